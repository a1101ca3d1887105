"""The coordinator's pages: queue, request detail with candidates, offers, approvals."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from sleutelnet.core import clock
from sleutelnet.deployments import services
from sleutelnet.deployments.models import (
    ActivityReport,
    Assignment,
    AssignmentStatus,
    RequestStatus,
)
from sleutelnet.people.models import KeyPerson
from tests import factories as f
from tests.web.conftest import accepted_in_past, report_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_queue_lists_open_requests_with_counts_and_interpreter_flag(client, world):
    services.file_request(
        actor=world.requester,
        organisation=world.organisation,
        data=world.request_data(title="Gesprek huisarts", needs_certified_interpreter=True),
    )
    client.force_login(world.coordinator)
    html = client.get("/coordinator/").content.decode()
    assert "Gesprek huisarts" in html
    assert "Certified interpreter needed" in html
    assert "0 of 1 accepted" in html
    assert world.organisation.name in html
    assert world.municipality.name in html


def test_queue_filters_refresh_in_place_with_htmx(client, world):
    services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data(title="Tigrinya-avond"))
    services.file_request(
        actor=world.requester,
        organisation=world.organisation,
        data=world.request_data(title="Arabisch spreekuur", language=f.language("ar")),
    )
    client.force_login(world.coordinator)
    response = client.get("/coordinator/", {"language": "ar"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html  # a fragment only
    assert "HX-Request" in response["Vary"]
    assert 'id="queue-results"' in html
    assert "Arabisch spreekuur" in html and "Tigrinya-avond" not in html
    # and without JavaScript the same filter gives the full page
    full = client.get("/coordinator/", {"language": "ar"}).content.decode()
    assert "<html" in full and "Arabisch spreekuur" in full and "Tigrinya-avond" not in full


def test_queue_status_filter_shows_other_states(client, scene):
    w = scene.world
    client.force_login(w.coordinator)
    html = client.get("/coordinator/").content.decode()
    assert f"/coordinator/requests/{scene.open_request.uuid}/" in html
    filled = client.get("/coordinator/", {"status": "filled"}).content.decode()
    assert f"/coordinator/requests/{scene.past_accepted.request.uuid}/" in filled
    assert f"/coordinator/requests/{scene.past_accepted.request.uuid}/" not in html  # filled: not in the queue


def test_queue_ignores_a_bad_filter_value_with_a_message(client, world):
    client.force_login(world.coordinator)
    response = client.get("/coordinator/", {"urgency": "abc"})
    assert response.status_code == 200
    assert "form-field__error" in response.content.decode()


def test_request_detail_shows_ranked_candidates_with_reasons_and_why_not(client, world):
    other = f.KeyPersonFactory(region=world.region, full_name="Amal Arabisch", setup__languages={"ar": 5})
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    client.force_login(world.coordinator)
    html = client.get(f"/coordinator/requests/{req.uuid}/").content.decode()
    assert world.key_person.full_name in html
    assert "speaks Tigrinya (5/5)" in html  # reason through the Explainer
    assert "covers 1 of 2 requested roles" in html
    assert "score" in html
    assert "Not possible" in html
    assert other.full_name in html
    assert "does not speak Tigrinya at level 3 or higher" in html  # why not
    assert f'name="key_persons" value="{world.key_person.uuid}"' in html
    assert f'name="key_persons" value="{other.uuid}"' not in html  # infeasible people cannot be ticked


def test_a_long_why_not_list_shows_the_nearest_and_counts_everyone_by_condition(client, world):
    """A region of hundreds: the page names the 30 nearest who cannot take it, counts all of them
    per condition failed, and points to "Why not …?" for the rest."""
    from sleutelnet.deployments.views import INFEASIBLE_SHOWN

    far = [f.KeyPersonFactory(region=world.region, full_name=f"Ver Weg {i:02d}", setup__languages={"ar": 5}) for i in range(INFEASIBLE_SHOWN + 4)]
    near = f.KeyPersonFactory(region=world.region, full_name="Bijna Goed", setup__languages={"ti": 2})
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    client.force_login(world.coordinator)
    html = client.get(f"/coordinator/requests/{req.uuid}/").content.decode()
    total = len(far) + 1
    assert f"Not possible ({total} key persons)" in html
    assert "Why not: how many key persons fail each condition" in html
    assert f"<td>does not speak Tigrinya at level 3 or higher</td><td class=\"num\">{total}</td>" in html
    assert f"The {INFEASIBLE_SHOWN} key persons closest to a match:" in html
    assert "And 5 more." in html
    named = [kp for kp in [near, *far] if kp.full_name in html.split('id="why-not-heading"')[0]]
    assert len(named) == INFEASIBLE_SHOWN
    # everyone can still be checked one by one
    assert all(f'value="{kp.uuid}"' in html for kp in [near, *far])


def test_the_long_select_renders_what_django_renders():
    from django import forms

    from sleutelnet.web.forms import LongSelect

    choices = [("", "–"), ("a", "Ämal <Ali>"), ("b", 'B "quote"')]
    for value in (None, "b"):
        ours = LongSelect(choices=choices).render("why_not", value, attrs={"id": "id_x", "required": True, "aria-describedby": "h"})
        django = forms.Select(choices=choices).render("why_not", value, attrs={"id": "id_x", "required": True, "aria-describedby": "h"})
        assert re.sub(r">\s+<", "><", ours) == re.sub(r">\s+<", "><", django)


def test_offer_creates_assignments_and_hides_them_from_candidates(client, world):
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    client.force_login(world.coordinator)
    response = client.post(f"/coordinator/requests/{req.uuid}/offer/", {"key_persons": [str(world.key_person.uuid)]})
    assert response.status_code == 302
    a = Assignment.objects.get(request=req, key_person=world.key_person)
    assert a.status == AssignmentStatus.OFFERED and a.match_reasons
    html = client.get(f"/coordinator/requests/{req.uuid}/").content.decode()
    assert "offered to 1 key person" in html
    assert f'name="key_persons" value="{world.key_person.uuid}"' not in html  # live on the request: no longer a candidate
    assert "Withdraw offer" in html


def test_offer_without_choice_or_with_unknown_person_gives_field_error(client, world, other_world):
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    client.force_login(world.coordinator)
    response = client.post(f"/coordinator/requests/{req.uuid}/offer/", {})
    assert response.status_code == 200
    assert "Choose at least one key person." in response.content.decode()
    response = client.post(f"/coordinator/requests/{req.uuid}/offer/", {"key_persons": [str(other_world.key_person.uuid)]})
    assert response.status_code == 200
    assert "not one of the suitable key persons" in response.content.decode()
    assert not Assignment.objects.filter(request=req).exists()


def test_cancel_assignment_and_request_with_reason(client, scene):
    w = scene.world
    client.force_login(w.coordinator)
    url = f"/coordinator/assignments/{scene.offered.uuid}/cancel/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    scene.offered.refresh_from_db()
    assert scene.offered.status == AssignmentStatus.OFFERED
    response = client.post(url, {"reason": "Andere sleutelpersoon gevraagd."})
    assert response.status_code == 302
    scene.offered.refresh_from_db()
    assert scene.offered.status == AssignmentStatus.CANCELLED

    long_reason = "x" * 600
    response = client.post(f"/coordinator/requests/{scene.open_request.uuid}/cancel/", {"reason": long_reason})
    assert response.status_code == 200
    assert long_reason in response.content.decode()  # the input is kept
    response = client.post(f"/coordinator/requests/{scene.open_request.uuid}/cancel/", {"reason": "Gaat niet door."})
    assert response.status_code == 302
    scene.open_request.refresh_from_db()
    assert scene.open_request.status == RequestStatus.CANCELLED


def test_cancel_of_a_finished_request_shows_the_service_refusal(client, scene):
    client.force_login(scene.world.coordinator)
    req = scene.reported.request
    response = client.post(f"/coordinator/requests/{req.uuid}/cancel/", {"reason": "Te laat."})
    assert response.status_code == 200
    assert "cannot be cancelled" in response.content.decode()


def test_approvals_show_report_and_approve(client, scene):
    client.force_login(scene.world.coordinator)
    html = client.get("/coordinator/approvals/").content.decode()
    assert scene.reported.request.title in html
    assert "2.5" in html and "Goed gesprek." in html
    response = client.post(f"/coordinator/approvals/{scene.reported.uuid}/approve/")
    assert response.status_code == 302
    scene.reported.refresh_from_db()
    assert scene.reported.status == AssignmentStatus.APPROVED
    # approving twice is refused with a message, not a 500
    response = client.post(f"/coordinator/approvals/{scene.reported.uuid}/approve/", follow=True)
    assert "Only a filed report can be approved." in response.content.decode()


def test_approve_in_place_with_htmx(client, scene):
    client.force_login(scene.world.coordinator)
    response = client.post(f"/coordinator/approvals/{scene.reported.uuid}/approve/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Approved." in html


def test_send_report_back_needs_a_comment(client, scene):
    client.force_login(scene.world.coordinator)
    url = f"/coordinator/approvals/{scene.reported.uuid}/return/"
    response = client.post(url, {"comment": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client.post(url, {"comment": ""}, **HTMX)
    assert "This field is required." in response.content.decode() and "<html" not in response.content.decode()
    response = client.post(url, {"comment": "Klopt het aantal uren?"})
    assert response.status_code == 302
    scene.reported.refresh_from_db()
    assert scene.reported.status == AssignmentStatus.ACCEPTED
    assert scene.reported.review_comment == "Klopt het aantal uren?"
    assert ActivityReport.objects.filter(assignment=scene.reported).exists()



def test_approval_comment_fields_have_ids_of_their_own_card(client, scene):
    """The comment fields are rendered once for all approval cards (web.forms.card_blank); each
    card must still get its own ids, also when one card comes back with an error."""
    w = scene.world
    other = accepted_in_past(w, days_ago=6)
    services.submit_report(actor=w.key_person_user, assignment=other, data=report_data(other))
    client.force_login(w.coordinator)
    expected = {f"id_{a.uuid.hex[:12]}_comment" for a in (scene.reported, other)}
    for response in (
        client.get("/coordinator/approvals/"),
        client.post(f"/coordinator/approvals/{other.uuid}/return/", {"comment": ""}),
    ):
        html = response.content.decode()
        labels = set(re.findall(r'<label class="form-label" for="(id_[0-9a-f]{12}_comment)">', html))
        areas = set(re.findall(r'<textarea name="comment"[^>]*id="(id_[0-9a-f]{12}_comment)"', html))
        assert labels == areas == expected
        assert "offer0000placeholder" not in html
    assert f'id="id_{other.uuid.hex[:12]}_comment-error"' in html


def test_approvals_page_the_oldest_filed_first_25_a_page(client, world, django_assert_max_num_queries):
    """The page is chosen on the ids, then its cards are loaded: the order is the order of filing
    (not of the work's date), 25 a page, and the second page holds the rest."""
    KeyPerson.objects.filter(pk=world.key_person.pk).update(capacity_hours_per_month=200)  # 27 requests in a month
    assignments = [accepted_in_past(world, days_ago=30 - i) for i in range(27)]  # the oldest work first
    filed = assignments[13:] + assignments[:13]  # ... filed in an order of neither the work's date nor the id
    base = timezone.now() - dt.timedelta(hours=1)
    for i, a in enumerate(filed):
        with clock.at(base + dt.timedelta(seconds=i)):
            services.submit_report(actor=world.key_person_user, assignment=a, data=report_data(a))
    client.force_login(world.coordinator)

    def cards(page: int) -> list[str]:
        html = client.get("/coordinator/approvals/", {"page": page}).content.decode()
        found = [(html.find(f"/coordinator/approvals/{a.uuid}/approve/"), a.uuid.hex) for a in assignments]
        return [uuid for at, uuid in sorted(found) if at >= 0]

    with django_assert_max_num_queries(30):
        first = cards(1)
    assert first == [a.uuid.hex for a in filed[:25]]
    assert cards(2) == [a.uuid.hex for a in filed[25:]]
