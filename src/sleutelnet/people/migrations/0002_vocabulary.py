"""Load the roles, life domains and languages (facts of the domain, as data)."""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from sleutelnet.people.vocabulary import LANGUAGES, LIFE_DOMAINS, ROLES

    Role = apps.get_model("people", "KeyPersonRole")
    Domain = apps.get_model("people", "LifeDomain")
    Language = apps.get_model("people", "Language")
    for position, (code, label) in enumerate(ROLES):
        Role.objects.update_or_create(code=code, defaults={"label": label, "position": position})
    for position, (code, label) in enumerate(LIFE_DOMAINS):
        Domain.objects.update_or_create(code=code, defaults={"label": label, "position": position})
    for code, variant, name, native, direction in LANGUAGES:
        Language.objects.update_or_create(
            code=code, variant=variant, defaults={"name": name, "native_name": native, "direction": direction}
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
