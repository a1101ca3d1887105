"""factory-boy factories: a region with people in every role, ready for the core loop."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from sleutelnet.core.models import Membership, Municipality, Organisation, Region, User
from sleutelnet.people.models import (
    Consent,
    KeyPerson,
    KeyPersonLanguage,
    KeyPersonRole,
    Language,
    LifeDomain,
    Newcomer,
    WeeklyAvailability,
)

PASSWORD = "correct-horse-battery-staple"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Regio {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    cbs_code = factory.Sequence(lambda n: f"GM{9000 + n:04d}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = "school"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Sequence(lambda n: f"Naam{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()


def member(role: str, region: Region, organisation: Organisation | None = None, **user_kwargs: object) -> User:
    """A user with one membership."""
    user = UserFactory(**user_kwargs)
    Membership.objects.create(user=user, region=region, role=role, organisation=organisation)
    return user


def language(tag: str) -> Language:
    code, _sep, variant = tag.partition("-")
    return Language.objects.get(code=code, variant=variant)


def roles(*codes: str) -> list[KeyPersonRole]:
    return list(KeyPersonRole.objects.filter(code__in=codes))


def domains(*codes: str) -> list[LifeDomain]:
    return list(LifeDomain.objects.filter(code__in=codes))


class KeyPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyPerson
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    full_name = factory.Sequence(lambda n: f"Sleutelpersoon {n}")
    email = factory.Sequence(lambda n: f"kp{n}@example.org")
    status = "active"
    capacity_hours_per_month = 20
    vog_valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))

    @factory.post_generation
    def setup(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        """Speaks Tigrinya 5/5 and Dutch 3/5, translator + connector, every day 08:00-22:00, all region municipalities."""
        if not create:
            return
        langs = kwargs.get("languages", {"ti": 5, "nl": 3})
        for tag, level in langs.items():
            KeyPersonLanguage.objects.create(key_person=obj, language=language(tag), level=level)
        obj.roles.set(roles(*kwargs.get("roles", ["translator", "connector"])))
        obj.life_domains.set(domains(*kwargs.get("domains", ["education", "health"])))
        obj.municipalities.set(Municipality.objects.filter(region=obj.region))
        for day in range(7):
            WeeklyAvailability.objects.create(
                key_person=obj, weekday=day, start_time=dt.time(8), end_time=dt.time(22)
            )


class NewcomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Newcomer
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    reference = factory.Sequence(lambda n: f"NC-{n:04d}")
    display_name = factory.Sequence(lambda n: f"Nieuwkomer {n}")
    municipality = factory.SubFactory(MunicipalityFactory, region=factory.SelfAttribute("..region"))
    @factory.post_generation
    def consent(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        """Consent to support by a key person, given 30 days ago; consent=False: none, a date: then."""
        if not create or extracted is False:
            return
        given = extracted if isinstance(extracted, dt.date) else timezone.localdate() - dt.timedelta(days=30)
        Consent.objects.create(
            newcomer=obj,
            purpose="key_person_support",
            given_on=given,
            method="paper",
            scope="Support by a key person for appointments",
            recorded_at=timezone.now(),
        )
