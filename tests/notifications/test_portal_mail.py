"""The key person's e-mails: an offer that changed, and "you were not needed this time", in their language."""

from __future__ import annotations

import pytest

from sleutelnet.deployments import services
from sleutelnet.notifications.models import OutboxMessage
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_changed_offer_is_told_to_whoever_has_it_open(world):
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    world.key_person.ui_language = "en"
    world.key_person.save()
    OutboxMessage.objects.all().delete()
    services.update_request(actor=world.requester, request=req, data=world.request_data(place="Bibliotheek, Doetinchem"))
    [mail] = OutboxMessage.objects.filter(to_email=world.key_person.email)
    assert mail.subject == f"An offer changed: {req.title}"
    assert "Bibliotheek, Doetinchem" in mail.body and "/me/offers/" in mail.body


def test_someone_who_was_not_needed_hears_so_in_their_language(world):
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data(key_persons_needed=1))
    other_user = f.member("key_person", world.region)
    other = f.KeyPersonFactory(region=world.region, user=other_user, email="ander@example.org", ui_language="ar")
    a, _b = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person, other])
    OutboxMessage.objects.all().delete()
    services.accept(actor=world.key_person_user, assignment=a)
    [mail] = OutboxMessage.objects.filter(to_email="ander@example.org")
    from django.utils import translation

    with translation.override("ar"):
        expected = translation.gettext("You were not needed this time")
    assert mail.subject == expected != "You were not needed this time"
