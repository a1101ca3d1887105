"""The processing log: one line per person per processing, pseudonymous, append-only, fail closed."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from sleutelnet.core import processing
from sleutelnet.core.models import AuditLogEntry, ProcessingLogEntry, Role
from sleutelnet.core.permissions import ROLES, endpoint_for
from sleutelnet.people import services as people_services
from sleutelnet.people.models import KeyPerson, Newcomer
from sleutelnet.people.services import NewcomerData
from tests import factories as f
from tests.auth import api_client, login
from tests.walk import own_and_foreign, url_for, url_patterns, user_of  # noqa: F401

pytestmark = pytest.mark.django_db


def lines_of_last_operation() -> tuple[AuditLogEntry, list[ProcessingLogEntry]]:
    entry = AuditLogEntry.objects.order_by("-id").first()
    assert entry is not None
    return entry, list(ProcessingLogEntry.objects.filter(operation_id=entry.operation_id))


def newcomers(world, n):  # type: ignore[no-untyped-def]
    return [f.NewcomerFactory(region=world.region, municipality=world.municipality) for _ in range(n)]


def test_a_list_of_twenty_newcomers_writes_twenty_lines(world):
    newcomers(world, 19)  # and the world's own: 20
    client = Client()
    login(client, world.coordinator)
    response = client.get("/coordinator/newcomers/")
    assert response.status_code == 200
    entry, lines = lines_of_last_operation()
    assert entry.actor == world.coordinator.username and entry.view == "people:newcomer_list"
    assert len(lines) == 20
    assert {line.subject for line in lines} == {processing.pseudonym("newcomer", nc.pk) for nc in Newcomer.objects.all()}
    assert {(line.operation, line.processing_activity, line.status, line.channel) for line in lines} == {
        ("read", "newcomer-registration", "OK", "web")
    }


def test_the_api_writes_one_line_per_newcomer_on_the_page(world):
    newcomers(world, 24)
    response = api_client(world.coordinator).get("/api/v1/newcomers", {"pageSize": 20})
    assert response.status_code == 200 and len(response.json()["results"]) == 20
    entry, lines = lines_of_last_operation()
    assert entry.channel == "api" and entry.view == "api-newcomer-list" and entry.status_code == 200
    assert len(lines) == 20 == len({line.subject for line in lines})
    shown = {nc["uuid"] for nc in response.json()["results"]}
    expected = {processing.pseudonym("newcomer", nc.pk) for nc in Newcomer.objects.filter(uuid__in=shown)}
    assert {line.subject for line in lines} == expected


def test_a_line_names_no_actor_and_no_plain_id(world):
    client = Client()
    login(client, world.coordinator)
    client.get(f"/coordinator/newcomers/{world.newcomer.uuid}/", headers={"traceparent": "00-" + "ab" * 16 + "-" + "cd" * 8 + "-01"})
    entry, [line] = lines_of_last_operation()
    field_names = {fld.name for fld in ProcessingLogEntry._meta.fields}
    assert not field_names & {"actor", "actor_id", "user", "user_id"}
    assert line.subject != str(world.newcomer.pk) and line.subject != str(world.newcomer.uuid)
    # keyed: not the plain hash that anyone could compute by trying every id
    assert line.subject != hashlib.sha256(f"newcomer:{world.newcomer.pk}".encode()).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", line.subject)
    assert line.trace_id == "ab" * 16 == entry.trace_id  # W3C trace context is carried over
    assert line.operation_id == entry.operation_id and line.started_at <= line.ended_at
    assert line.region_id == world.region.id
    assert processing.ACTIVITIES[line.processing_activity].legal_basis


def test_a_change_writes_its_line_in_the_same_transaction(world):
    before = ProcessingLogEntry.objects.count()
    data = NewcomerData(reference="NC-NEW-1", display_name="Amal", municipality=world.municipality)
    nc = people_services.register_newcomer(actor=world.coordinator, region=world.region, data=data)
    [line] = ProcessingLogEntry.objects.all()[: ProcessingLogEntry.objects.count() - before]
    assert (line.operation, line.subject, line.processing_activity) == (
        "create", processing.pseudonym("newcomer", nc.pk), "newcomer-registration",
    )
    audit = AuditLogEntry.objects.get(operation_id=line.operation_id)
    assert audit.actor == world.coordinator.username and audit.channel == "system"


def test_every_line_names_a_registered_activity(world):
    client = Client()
    login(client, world.coordinator)
    for url in ("/coordinator/", "/coordinator/key-persons/", f"/coordinator/key-persons/{world.key_person.uuid}/"):
        client.get(url)
    activities = set(ProcessingLogEntry.objects.values_list("processing_activity", flat=True))
    assert activities and activities <= set(processing.ACTIVITIES)


# --- append-only ------------------------------------------------------------------------------


def test_the_application_cannot_change_or_remove_log_lines(world):
    client = Client()
    login(client, world.coordinator)
    client.get(f"/coordinator/newcomers/{world.newcomer.uuid}/")
    entry, [line] = lines_of_last_operation()
    with pytest.raises(PermissionError):
        line.save()
    with pytest.raises(PermissionError):
        line.delete()
    with pytest.raises(PermissionError):
        ProcessingLogEntry.objects.filter(pk=line.pk).update(status="ERROR")
    with pytest.raises(PermissionError):
        AuditLogEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        entry.save()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database-level guard is PostgreSQL's")
def test_the_database_refuses_updates_and_deletes_of_log_lines(world):
    client = Client()
    login(client, world.coordinator)
    client.get(f"/coordinator/newcomers/{world.newcomer.uuid}/")
    entry, [line] = lines_of_last_operation()
    for sql, params in (
        ("UPDATE core_processinglogentry SET status = 'ERROR' WHERE id = %s", [line.pk]),
        ("DELETE FROM core_processinglogentry WHERE id = %s", [line.pk]),
        ("UPDATE core_auditlogentry SET actor = 'someone else' WHERE id = %s", [entry.pk]),
        ("DELETE FROM core_auditlogentry WHERE id = %s", [entry.pk]),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    assert ProcessingLogEntry.objects.get(pk=line.pk).status == "OK"
    assert AuditLogEntry.objects.get(pk=entry.pk).actor == world.coordinator.username
    # a line past the shortest retention (a year) may go, so the retention job can purge
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO core_processinglogentry (trace_id, operation_id, operation, started_at, ended_at, status, processing_activity, subject_kind, subject, channel) VALUES ('t', 'o', 'read', now() - interval '400 days', now() - interval '400 days', 'OK', 'deployment', 'newcomer', 'x', 'web') RETURNING id")
        (old_id,) = cursor.fetchone()
        cursor.execute("DELETE FROM core_processinglogentry WHERE id = %s", [old_id])
        assert cursor.rowcount == 1


# --- fail closed ------------------------------------------------------------------------------


def break_the_log() -> None:
    """A real failure of the log's storage: inserts into the processing log are refused."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_log_down() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'log storage down'; END $$ LANGUAGE plpgsql;"
                "CREATE TRIGGER test_log_down BEFORE INSERT ON core_processinglogentry FOR EACH ROW EXECUTE FUNCTION test_log_down();"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER test_log_down BEFORE INSERT ON core_processinglogentry BEGIN SELECT RAISE(ABORT, 'log storage down'); END;"
            )


def test_when_the_log_cannot_be_written_no_personal_data_is_shown(world):
    break_the_log()
    client = Client()
    login(client, world.coordinator)
    for url in ("/coordinator/newcomers/", f"/coordinator/newcomers/{world.newcomer.uuid}/", "/coordinator/key-persons/"):
        response = client.get(url)
        assert response.status_code == 503, url
        body = response.content.decode()
        assert world.newcomer.reference not in body and world.key_person.full_name not in body
    response = api_client(world.coordinator).get("/api/v1/newcomers")
    assert response.status_code == 503 and response["Content-Type"].startswith("application/problem+json")
    assert world.newcomer.reference not in response.content.decode()


def test_when_the_log_cannot_be_written_no_change_is_saved(world):
    break_the_log()
    client = Client()
    login(client, world.coordinator)
    response = api_client(world.coordinator).patch(
        f"/api/v1/newcomers/{world.newcomer.uuid}", {"displayName": "Veranderd"}, format="json"
    )
    assert response.status_code == 503
    world.newcomer.refresh_from_db()
    assert world.newcomer.display_name != "Veranderd"


def test_personal_data_loaded_where_the_matrix_declares_none_is_refused(world):
    op = processing.Operation(channel="web")
    token = processing._current.set(op)
    try:
        Newcomer.objects.get(pk=world.newcomer.pk)
    finally:
        processing._current.reset(token)
    with pytest.raises(processing.ProcessingLogUnavailable):
        processing.finish(op, actor=world.policy_officer, activity=None, view="reporting:reach")


# --- every page and endpoint that shows a person writes that person's line ------------------


def people_markers() -> list[tuple[str, int, re.Pattern[str]]]:
    """(kind, pk, pattern) for each person: the names and ids by which an answer shows them."""
    out = []
    for kp in KeyPerson.objects.all():
        out.append(("key_person", kp.pk, re.compile(rf"{re.escape(kp.full_name)}(?!\d)|{kp.uuid}")))
    for nc in Newcomer.objects.all():
        out.append(("newcomer", nc.pk, re.compile(rf"{re.escape(nc.reference)}(?!\d)|{re.escape(nc.display_name)}(?!\d)|{nc.uuid}")))
    return out


@pytest.mark.parametrize("role", ROLES)
def test_every_answer_that_shows_a_person_wrote_that_persons_line(both, role):  # type: ignore[no-untyped-def]
    mine, theirs = both
    user = user_of(mine, role)
    markers = people_markers()
    web, api = Client(), api_client(user)
    login(web, user)
    missing: list[str] = []
    checked = 0
    policy_shown: list[str] = []
    for name, pattern in url_patterns():
        endpoint = endpoint_for(name)
        if name.startswith("admin:") or endpoint is None:
            continue
        for method in ("GET", "POST"):
            if method not in endpoint.methods or role not in endpoint.roles_for(method):
                continue
            record = own_and_foreign(endpoint.subject, role, mine, theirs)[0] if endpoint.subject else None
            url = url_for(name, pattern, record)
            client = api if endpoint.is_api else web
            before = AuditLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
            response = getattr(client, method.lower())(url, {}, **({"format": "json"} if endpoint.is_api else {}))
            if "_auth_user_id" not in web.session:
                login(web, user)
            body = response.content.decode(errors="replace")
            shown = [(kind, pk) for kind, pk, rx in markers if rx.search(body.replace(url, ""))]
            if not shown:
                continue
            checked += 1
            if role == Role.POLICY_OFFICER and endpoint.activity != "voice":
                policy_shown.append(f"{method} {url}")
            entries = list(AuditLogEntry.objects.filter(id__gt=before).values_list("operation_id", flat=True))
            subjects = set(ProcessingLogEntry.objects.filter(operation_id__in=entries).values_list("subject", flat=True))
            for kind, pk in shown:
                if processing.pseudonym(kind, pk) not in subjects:
                    missing.append(f"{role} {method} {url}: shows {kind} {pk} without a line")
    if role in (Role.COORDINATOR, Role.REQUESTER, Role.KEY_PERSON):
        assert checked, "the walk found no answer with personal data: the test would prove nothing"
    if role == Role.POLICY_OFFICER:
        # only in the voice loop, where key persons advise them by name (docs/privacy.md, section 4)
        assert not policy_shown, f"a policy officer was shown a person: {policy_shown}"
    assert not missing, "\n".join(missing)


def test_the_worker_logs_the_key_persons_it_reminds(world):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from sleutelnet.core import clock
    from sleutelnet.deployments import services

    # 08:00 tomorrow, an assignment at 11:00: within the key person's hours whatever the time of the run
    moment = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    soon = moment + dt.timedelta(hours=3)
    data = world.request_data(starts_at=soon, ends_at=soon + dt.timedelta(hours=1))
    with clock.at(moment):
        req = services.file_request(actor=world.requester, organisation=world.organisation, data=data)
        [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
        services.accept(actor=world.key_person_user, assignment=a)
        call_command("run_worker", "--once", stdout=open("/dev/null", "w"))
    entry = AuditLogEntry.objects.filter(channel="worker").latest("id")
    lines = ProcessingLogEntry.objects.filter(operation_id=entry.operation_id)
    assert {(line.operation, line.subject_kind, line.processing_activity) for line in lines} >= {
        ("update", "key_person", "notifications"),
    }
    assert processing.pseudonym("key_person", world.key_person.pk) in {line.subject for line in lines}
    assert entry.actor == "" and entry.view == "worker round"
