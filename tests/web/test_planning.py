"""Planning a week, "Why not …?", newcomer exclusions, and plan files in and out."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sleutelnet.deployments import services
from sleutelnet.deployments.models import Assignment, Request
from sleutelnet.matching import io
from sleutelnet.matching import plan as planner
from sleutelnet.people.models import KeyPerson
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db

PLAN = "/coordinator/plan/"
EXPORT = "/coordinator/plan/export.json"
IMPORT = "/coordinator/plan/import/"
SEND = "/coordinator/plan/send/"
HTMX = {"HTTP_HX_REQUEST": "true"}
#: Queries for the plan page, whatever the number of key persons and requests.
PLAN_CEILING = 30


def at(days: int, hour: int) -> dt.datetime:
    return timezone.localtime().replace(
        hour=hour, minute=0, second=0, microsecond=0
    ) + dt.timedelta(days=days)


def file(world: World, title: str, start: dt.datetime, **overrides: object) -> Request:
    data = world.request_data(
        title=title, starts_at=start, ends_at=start + dt.timedelta(hours=2), **overrides
    )
    return services.file_request(actor=world.requester, organisation=world.organisation, data=data)


@dataclass
class Week:
    """Three requests and four key persons: two speak Tigrinya, one Arabic, one is paused."""

    world: World
    kp2: KeyPerson
    arabic: KeyPerson
    paused: KeyPerson
    morning: Request
    afternoon: Request
    arabic_request: Request


@pytest.fixture
def week(world: World) -> Week:
    return Week(
        world=world,
        kp2=f.KeyPersonFactory(region=world.region, full_name="Tesfay Tweede"),
        arabic=f.KeyPersonFactory(
            region=world.region, full_name="Amal Arabisch", setup__languages={"ar": 5}
        ),
        paused=f.KeyPersonFactory(region=world.region, full_name="Pauze Persoon", status="paused"),
        morning=file(world, "Ochtendspreekuur", at(1, 10)),
        afternoon=file(world, "Middaggesprek", at(1, 14)),
        arabic_request=file(world, "Arabische avond", at(2, 10), language=f.language("ar")),
    )


def proposals(html: str) -> dict[str, tuple[str, str, list[str]]]:
    """line number -> (request uuid, chosen key person uuid, every key person on offer)."""
    requests = dict(re.findall(r'name="request-(\d+)" value="([0-9a-f-]+)"', html))
    out = {}
    for line, body in re.findall(
        r'<select name="key_person-(\d+)"[^>]*>(.*?)</select>', html, re.DOTALL
    ):
        chosen = re.search(r'<option value="([0-9a-f-]+)" selected>', body)
        assert chosen is not None
        out[line] = (
            requests[line],
            chosen.group(1),
            re.findall(r'<option value="([0-9a-f-]+)"', body),
        )
    return out


def send_data(
    lines: dict[str, tuple[str, str, list[str]]], *, keep=None, swap=None
) -> dict[str, object]:  # type: ignore[no-untyped-def]
    data: dict[str, object] = {"send": [n for n in lines if keep is None or n in keep]}
    for n, (req, kp, _options) in lines.items():
        data[f"request-{n}"] = req
        data[f"key_person-{n}"] = (swap or {}).get(n, kp)
    return data


def line_of(lines, req: Request) -> str:  # type: ignore[no-untyped-def]
    [n] = [n for n, (r, _kp, _o) in lines.items() if r == str(req.uuid)]
    return n


def messages_of(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(m) for m in response.context["messages"])


# --- the plan page ---------------------------------------------------------------------------


def test_plan_page_proposes_every_request_with_reasons_and_alternatives(client, week):
    w = week.world
    client.force_login(w.coordinator)
    response = client.get(PLAN)
    assert response.status_code == 200
    html = response.content.decode()
    lines = proposals(html)
    assert {r for r, _kp, _o in lines.values()} == {
        str(week.morning.uuid),
        str(week.afternoon.uuid),
        str(week.arabic_request.uuid),
    }
    tigrinya = {str(w.key_person.uuid), str(week.kp2.uuid)}
    for req in (week.morning, week.afternoon):
        _r, chosen, options = lines[line_of(lines, req)]
        assert chosen in tigrinya and set(options) == tigrinya  # the other feasible one to swap to
    _r, chosen, options = lines[line_of(lines, week.arabic_request)]
    assert chosen == str(week.arabic.uuid) and options == [chosen]
    assert str(week.paused.uuid) not in html  # not active: never proposed
    assert "speaks Tigrinya (5/5)" in html
    assert html.count('type="checkbox" name="send"') == 3 and html.count(" checked>") == 3
    assert "Send the offers" in html
    assert 'href="/coordinator/plan/"' in html  # the nav link


def test_sending_creates_offers_through_the_service(client, week):
    w = week.world
    client.force_login(w.coordinator)
    lines = proposals(client.get(PLAN).content.decode())
    response = client.post(SEND, send_data(lines), follow=True)
    assert response.status_code == 200
    offered = Assignment.objects.filter(status="offered")
    assert {(a.request_id, a.key_person_id) for a in offered} == {
        (Request.objects.get(uuid=r).id, KeyPerson.objects.get(uuid=kp).id)
        for r, kp, _o in lines.values()
    }
    assert all(a.offered_by == w.coordinator and a.match_reasons for a in offered)
    text = messages_of(response)
    assert "Ochtendspreekuur" in text and "offered to" in text
    # offered requests need nobody more: the next plan proposes nothing
    assert proposals(response.content.decode()) == {}


def test_dropping_a_line_sends_nothing_for_it(client, week):
    client.force_login(week.world.coordinator)
    lines = proposals(client.get(PLAN).content.decode())
    dropped = line_of(lines, week.afternoon)
    client.post(SEND, send_data(lines, keep=[n for n in lines if n != dropped]))
    assert not Assignment.objects.filter(request=week.afternoon).exists()
    assert Assignment.objects.filter(request=week.morning).count() == 1
    assert Assignment.objects.filter(request=week.arabic_request).count() == 1


def test_swapping_to_another_feasible_key_person(client, week):
    w = week.world
    client.force_login(w.coordinator)
    lines = proposals(client.get(PLAN).content.decode())
    n = line_of(lines, week.morning)
    _r, chosen, options = lines[n]
    [other] = [o for o in options if o != chosen]
    client.post(SEND, send_data(lines, swap={n: other}))
    [a] = Assignment.objects.filter(request=week.morning)
    assert str(a.key_person.uuid) == other


def test_an_infeasible_swap_gives_a_message_and_offers_nothing_for_that_request(client, week):
    client.force_login(week.world.coordinator)
    lines = proposals(client.get(PLAN).content.decode())
    n = line_of(lines, week.morning)
    response = client.post(SEND, send_data(lines, swap={n: str(week.arabic.uuid)}), follow=True)
    assert response.status_code == 200
    text = messages_of(response)
    assert "Ochtendspreekuur" in text and "nothing was offered" in text
    assert "does not speak Tigrinya" in text
    assert not Assignment.objects.filter(request=week.morning).exists()
    # the other requests still went out
    assert Assignment.objects.filter(request=week.afternoon).count() == 1
    assert Assignment.objects.filter(request=week.arabic_request).count() == 1


def test_sending_a_key_person_or_request_of_another_region_is_refused(client, week, other_world):
    client.force_login(week.world.coordinator)
    lines = proposals(client.get(PLAN).content.decode())
    n = line_of(lines, week.morning)
    foreign_request = file(other_world, "Andere regio", at(1, 10))
    data = send_data(lines, swap={n: str(other_world.key_person.uuid)})
    data["send"] = [*data["send"], "99"]  # type: ignore[list-item]
    data["request-99"], data["key_person-99"] = (
        str(foreign_request.uuid),
        str(other_world.key_person.uuid),
    )
    response = client.post(SEND, data, follow=True)
    assert response.status_code == 200
    text = messages_of(response)
    assert "not known in this region" in text and "skipped" in text
    assert not Assignment.objects.filter(request__in=[week.morning, foreign_request]).exists()
    assert Assignment.objects.filter(request=week.afternoon).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"send": ["0"]},
        {"send": ["0"], "request-0": "nonsense", "key_person-0": "x"},
        {"send": ["x" * 500], "request-0": "", "key_person-0": ""},
        {"send": ["0"], "request-0": str(uuid.uuid4()), "key_person-0": str(uuid.uuid4())},
        {"start": "not a date", "end": "2020-01-01"},
    ],
)
def test_broken_send_forms_give_a_message_never_a_500(client, week, data):
    client.force_login(week.world.coordinator)
    response = client.post(SEND, data, follow=True)
    assert response.status_code == 200
    assert messages_of(response)
    assert not Assignment.objects.exists()


def test_sending_keeps_the_period(client, week):
    client.force_login(week.world.coordinator)
    start, end = timezone.localdate(), timezone.localdate() + dt.timedelta(days=3)
    period = {"start": start.isoformat(), "end": end.isoformat()}
    lines = proposals(client.get(PLAN, period).content.decode())
    response = client.post(SEND, {**send_data(lines, keep=[]), **period})
    assert response.status_code == 302
    assert response["Location"] == f"{PLAN}?start={start.isoformat()}&end={end.isoformat()}"


def test_unfilled_requests_are_listed_with_their_reason(client, week):
    w = week.world
    file(w, "Somalisch gesprek", at(1, 18), language=f.language("so"))
    client.force_login(w.coordinator)
    html = client.get(PLAN).content.decode()
    assert "Not (fully) filled" in html
    assert "Somalisch gesprek" in html
    assert "nobody who fits speaks the language well enough" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"end": "2000-01-01"}, "The end must not be before the start."),
        ({"start": "2000-01-01"}, "Start today or later."),
        ({"end": "2999-01-01"}, "Plan at most 31 days at once."),
        ({"start": "morgen"}, "Enter a valid date."),
    ],
)
def test_bad_periods_get_a_message(client, week, params, message):
    client.force_login(week.world.coordinator)
    for url in (PLAN, EXPORT):
        response = client.get(url, params)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_a_period_of_31_days_is_fine(client, week):
    client.force_login(week.world.coordinator)
    today = timezone.localdate()
    response = client.get(
        PLAN, {"start": today.isoformat(), "end": (today + dt.timedelta(days=31)).isoformat()}
    )
    assert response.status_code == 200
    assert len(proposals(response.content.decode())) == 3


def test_other_regions_never_appear(client, week, other_world):
    foreign = file(other_world, "Twentse avond", at(1, 10))
    client.force_login(week.world.coordinator)
    html = client.get(PLAN).content.decode()
    assert "Twentse avond" not in html and str(foreign.uuid) not in html
    document = json.loads(client.get(EXPORT).content)
    ids = {r["id"] for r in document["requests"]} | {k["id"] for k in document["key_persons"]}
    assert str(foreign.uuid) not in ids and str(other_world.key_person.uuid) not in ids
    # and the other region's coordinator sees only their own
    client.force_login(other_world.coordinator)
    lines = proposals(client.get(PLAN).content.decode())
    assert [r for r, _kp, _o in lines.values()] == [str(foreign.uuid)]


@pytest.mark.parametrize("url", [PLAN, EXPORT, IMPORT])
def test_only_coordinators_may_plan(client, scene, url):
    w = scene.world
    for user in (w.requester, w.key_person_user, w.policy_officer):
        client.force_login(user)
        assert client.get(url).status_code == 403
        # the export only answers GET: any other method is 405 for everyone, before the role
        assert client.post(SEND if url == PLAN else url, {}).status_code == (405 if url == EXPORT else 403)
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_send_refuses_get(client, week):
    client.force_login(week.world.coordinator)
    assert client.get(SEND).status_code == 405


@pytest.mark.parametrize("extra", [2, 12])
def test_plan_page_query_ceiling(client, week, django_assert_max_num_queries, extra):
    for i in range(extra):
        f.KeyPersonFactory(region=week.world.region)
        if i % 4 == 0:
            file(week.world, f"Extra {i}", at(3, 8 + i % 10))
    client.force_login(week.world.coordinator)
    with django_assert_max_num_queries(PLAN_CEILING):
        response = client.get(PLAN)
    assert response.status_code == 200


def test_plan_page_queries_do_not_grow_with_key_persons(client, week):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(week.world.coordinator)
    client.get(PLAN)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(PLAN)
    for _ in range(15):
        f.KeyPersonFactory(region=week.world.region)
    with CaptureQueriesContext(connection) as many:
        client.get(PLAN)
    assert len(many) == len(few)


# --- export and import -----------------------------------------------------------------------


def test_export_is_a_valid_instance_file(client, week):
    client.force_login(week.world.coordinator)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="sleutelnet-instance-')
    document = io.parse_json(response.content.decode(), "instance")
    assert io.schema_errors(document, "instance") == []
    instance = io.load_instance(document)
    assert {r.id for r in instance.requests} == {
        str(week.morning.uuid),
        str(week.afternoon.uuid),
        str(week.arabic_request.uuid),
    }
    assert len(instance.key_persons) == 4
    assert all(r.municipality == week.world.municipality.cbs_code for r in instance.requests)
    assert "Tesfay Tweede" not in response.content.decode()  # no names in the file


def plan_file(client, **changes) -> dict:  # type: ignore[no-untyped-def]
    """The engine's plan for the exported instance, as the contract's JSON."""
    instance = io.load_instance(io.parse_json(client.get(EXPORT).content.decode()))
    return io.plan_to_dict(planner.plan(instance, time_limit=5))


def upload(client, content: bytes, name: str = "plan.json"):  # type: ignore[no-untyped-def]
    return client.post(IMPORT, {"plan": SimpleUploadedFile(name, content, "application/json")})


def test_import_of_a_valid_plan_shows_its_proposals(client, week):
    client.force_login(week.world.coordinator)
    document = plan_file(client)
    response = upload(client, json.dumps(document).encode())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Proposals from the imported plan" in html
    lines = proposals(html)
    assert {(r, kp) for r, kp, _o in lines.values()} == {
        (a["request"], a["key_person"]) for a in document["assignments"]
    }
    assert not Assignment.objects.exists()  # nothing is sent by importing
    response = client.post(SEND, send_data(lines), follow=True)
    assert Assignment.objects.filter(status="offered").count() == 3


def test_import_flags_a_pair_that_is_no_longer_possible(client, week):
    client.force_login(week.world.coordinator)
    document = plan_file(client)
    for a in document["assignments"]:
        if a["request"] == str(week.morning.uuid):
            a["key_person"] = str(week.arabic.uuid)
    html = upload(client, json.dumps(document).encode()).content.decode()
    n = line_of(proposals(html), week.morning)
    assert "No longer possible" in html and "does not speak Tigrinya" in html
    assert f'name="send" value="{n}" id="send-{n}">' in html  # not ticked


def test_import_skips_requests_that_need_nobody_any_more(client, week):
    w = week.world
    client.force_login(w.coordinator)
    document = plan_file(client)
    services.offer(actor=w.coordinator, request=week.morning, key_persons=[w.key_person])
    html = upload(client, json.dumps(document).encode()).content.decode()
    assert "Ochtendspreekuur: no longer open" in html
    assert str(week.morning.uuid) not in {r for r, _kp, _o in proposals(html).values()}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"dit is geen json", "invalid JSON at line 1"),
        (b"\xff\xfe\x00\x81", "not a text file"),
        (b"\xff\xfe\x81 no nul bytes", "not text in UTF-8"),
        (b"", "The file is empty."),
        (b"[1, 2]", "is not of type"),
        (
            json.dumps({"assignments": [], "unfilled": []}).encode(),
            "'objective' is a required property",
        ),
        (
            json.dumps(
                {
                    "assignments": [
                        {"request": "r", "key_person": "k", "weight": -1, "reasons": []}
                    ],
                    "unfilled": [],
                    "objective": 0,
                    "weights": [],
                }
            ).encode(),
            "assignments[0].weight",
        ),
        (b"[" * 100000, "not a valid plan"),
    ],
)
def test_import_of_a_broken_file_gives_a_message(client, week, content, message):
    client.force_login(week.world.coordinator)
    response = upload(client, content)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'"), html[-3000:]
    assert not Assignment.objects.exists()


def test_import_of_unknown_ids_names_the_record_and_field(client, week, other_world):
    client.force_login(week.world.coordinator)
    foreign = file(other_world, "Twentse avond", at(1, 10))
    document = plan_file(client)
    document["assignments"][0]["key_person"] = "kp-007"
    document["assignments"][1]["request"] = str(foreign.uuid)
    document["weights"].append(
        {
            "request": str(week.morning.uuid),
            "key_person": str(other_world.key_person.uuid),
            "weight": 5,
        }
    )
    response = upload(client, json.dumps(document).encode())
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert "assignments[0].key_person: unknown key person 'kp-007'" in html
    assert f"assignments[1].request: unknown request '{foreign.uuid}'" in html
    assert "weights[" in html and "unknown key person" in html
    assert "Twentse avond" not in html
    assert not Assignment.objects.exists()


def test_import_of_a_file_over_5_mb_is_refused(client, week):
    client.force_login(week.world.coordinator)
    response = upload(client, b" " * (5 * 1024 * 1024 + 1))
    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()


def test_import_without_a_file(client, week):
    client.force_login(week.world.coordinator)
    response = client.post(IMPORT, {})
    assert response.status_code == 400
    assert "Choose a file." in response.content.decode()
    assert client.get(IMPORT).status_code == 200


# --- "Why not …?" ----------------------------------------------------------------------------


def test_why_not_shows_every_failing_constraint(client, week):
    client.force_login(week.world.coordinator)
    url = f"/coordinator/requests/{week.morning.uuid}/"
    html = client.get(url).content.decode()
    assert (
        "Why not …?" in html and f'value="{week.paused.uuid}"' in html
    )  # any key person of the region
    response = client.get(url, {"why_not": str(week.paused.uuid)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pauze Persoon</strong> cannot take this request" in html
    assert "status is not active" in html
    response = client.get(url, {"why_not": str(week.arabic.uuid)})
    assert "does not speak Tigrinya at level 3 or higher" in response.content.decode()


def test_why_not_for_a_suitable_key_person_says_so_with_reasons(client, week):
    client.force_login(week.world.coordinator)
    html = client.get(
        f"/coordinator/requests/{week.morning.uuid}/", {"why_not": str(week.kp2.uuid)}
    ).content.decode()
    assert "Tesfay Tweede</strong> can take this request." in html
    assert "speaks Tigrinya (5/5)" in html


def test_why_not_refreshes_in_place_with_htmx(client, week):
    client.force_login(week.world.coordinator)
    response = client.get(
        f"/coordinator/requests/{week.morning.uuid}/", {"why_not": str(week.arabic.uuid)}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="why-not"' in html
    assert "does not speak Tigrinya" in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("value", ["other-region", "nonsense", ""])
def test_why_not_for_an_unknown_key_person_is_a_validation_message(
    client, week, other_world, value
):
    client.force_login(week.world.coordinator)
    if value == "other-region":
        value = str(other_world.key_person.uuid)
    response = client.get(f"/coordinator/requests/{week.morning.uuid}/", {"why_not": value})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_why_why_not-error"' in html
    assert other_world.key_person.full_name not in html


def test_why_not_on_a_request_of_another_region_is_404(client, week, other_world):
    foreign = file(other_world, "Twentse avond", at(1, 10))
    client.force_login(week.world.coordinator)
    response = client.get(f"/coordinator/requests/{foreign.uuid}/", {"why_not": str(week.kp2.uuid)})
    assert response.status_code == 404


# --- newcomer exclusions ---------------------------------------------------------------------


def newcomer_form(world: World, **overrides: object) -> dict[str, object]:
    nc = world.newcomer
    data: dict[str, object] = {
        "reference": nc.reference,
        "display_name": nc.display_name,
        "municipality": str(nc.municipality_id),
        "dutch_level": "a1",
        "learning_route": "b1",
    }
    data.update(overrides)
    return data


def test_newcomer_exclusions_are_editable_and_shown(client, week, other_world):
    w = week.world
    client.force_login(w.coordinator)
    edit = f"/coordinator/newcomers/{w.newcomer.uuid}/edit/"
    html = client.get(edit).content.decode()
    assert (
        f'value="{week.kp2.uuid}"' in html and f'value="{other_world.key_person.uuid}"' not in html
    )
    response = client.post(edit, newcomer_form(w, excluded_key_persons=[str(week.kp2.uuid)]))
    assert response.status_code == 302
    assert list(w.newcomer.excluded_key_persons.all()) == [week.kp2]
    html = client.get(f"/coordinator/newcomers/{w.newcomer.uuid}/").content.decode()
    assert "Key persons never to offer" in html and "Tesfay Tweede" in html
    # editing again keeps the choice ticked, and can clear it
    assert re.search(rf'value="{week.kp2.uuid}"[^>]*checked', client.get(edit).content.decode())
    client.post(edit, newcomer_form(w))
    assert not w.newcomer.excluded_key_persons.exists()


def test_a_key_person_of_another_region_cannot_be_excluded(client, week, other_world):
    w = week.world
    client.force_login(w.coordinator)
    response = client.post(
        f"/coordinator/newcomers/{w.newcomer.uuid}/edit/",
        newcomer_form(
            w, display_name="Gewijzigd", excluded_key_persons=[str(other_world.key_person.uuid)]
        ),
    )
    assert response.status_code == 200
    assert 'id="id_excluded_key_persons-error"' in response.content.decode()
    w.newcomer.refresh_from_db()
    assert w.newcomer.display_name != "Gewijzigd" and not w.newcomer.excluded_key_persons.exists()


def test_an_excluded_key_person_is_not_possible_for_the_newcomers_requests(client, week):
    w = week.world
    client.force_login(w.coordinator)
    client.post(
        f"/coordinator/newcomers/{w.newcomer.uuid}/edit/",
        newcomer_form(w, excluded_key_persons=[str(week.kp2.uuid)]),
    )
    req = file(w, "Mee naar de huisarts", at(3, 10), newcomer=w.newcomer)
    url = f"/coordinator/requests/{req.uuid}/"
    html = client.get(url).content.decode()
    assert f'name="key_persons" value="{week.kp2.uuid}"' not in html  # cannot be ticked
    assert "excluded for this newcomer" in html
    html = client.get(url, {"why_not": str(week.kp2.uuid)}).content.decode()
    assert "Tesfay Tweede</strong> cannot take this request" in html
    assert "excluded for this newcomer" in html
    # and the planner never proposes the pair
    lines = proposals(
        client.get(
            PLAN, {"end": (timezone.localdate() + dt.timedelta(days=5)).isoformat()}
        ).content.decode()
    )
    _r, chosen, options = lines[line_of(lines, req)]
    assert str(week.kp2.uuid) not in options and chosen == str(w.key_person.uuid)


def test_a_coordinator_of_two_regions_chooses_the_region(client, week, other_world):
    from sleutelnet.core.models import Membership, Role

    Membership.objects.create(user=week.world.coordinator, region=other_world.region, role=Role.COORDINATOR)
    foreign = file(other_world, "Twentse avond", at(1, 10))
    client.force_login(week.world.coordinator)
    response = client.get(PLAN)
    assert response.status_code == 200
    assert 'name="region"' in response.content.decode()
    first = proposals(response.content.decode())
    response = client.get(PLAN, {"region": str(other_world.region.uuid)})
    assert [r for r, _kp, _o in proposals(response.content.decode()).values()] == [str(foreign.uuid)]
    assert {r for r, _kp, _o in first.values()} != {str(foreign.uuid)}
    assert client.get(PLAN, {"region": str(uuid.uuid4())}).status_code == 400
