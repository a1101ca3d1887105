"""The whole core loop in headless Chromium, as the four roles, each in their own browser context."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sleutelnet.deployments.models import Assignment, AssignmentStatus, Request, RequestStatus
from sleutelnet.people.models import KeyPersonRole, Language
from tests.browser.conftest import login
from tests.conftest import make_world
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _reach_totals(page, live_server) -> list[str]:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/policy/figures/")
    return [cell.strip() for cell in page.locator("section[aria-labelledby=t-reach] tfoot tr td").all_inner_texts()]


def test_whole_loop_as_four_roles(live_server, new_page):  # type: ignore[no-untyped-def]
    world = make_world()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    ti = Language.objects.get(code="ti", variant="")
    translator = KeyPersonRole.objects.get(code="translator")
    educator = KeyPersonRole.objects.get(code="educator")

    policy = new_page(locale="en-GB")
    login(policy, live_server, world.policy_officer.username, PASSWORD)
    assert _reach_totals(policy, live_server)[2] == "0"  # participants before

    # 1. The requester files a request (in Dutch, the default language).
    requester = new_page()
    login(requester, live_server, world.requester.username, PASSWORD)
    requester.goto(f"{live_server.url}/requests/new/")
    assert requester.locator("html").get_attribute("lang") == "nl"
    requester.fill("#id_title", "Ouderavond groep 3")
    requester.select_option("#id_kind", "group_session")
    requester.select_option("#id_language", str(ti.pk))
    requester.check(f"input[name=roles][value='{translator.pk}']")
    requester.check(f"input[name=roles][value='{educator.pk}']")
    requester.select_option("#id_municipality", str(world.municipality.pk))
    requester.fill("#id_place", "De Regenboog, Doetinchem")
    requester.fill("#id_date", tomorrow.isoformat())
    requester.fill("#id_start_time", "10:00")
    requester.fill("#id_end_time", "12:00")
    requester.select_option("#id_chain_link", "execution")
    requester.locator("form button[type=submit]").last.click()
    requester.wait_for_url("**/requests/*/")
    req = Request.objects.get(title="Ouderavond groep 3")
    assert req.status == RequestStatus.OPEN

    # 2. The coordinator sees it in the queue, with the key person as a candidate and reasons.
    coordinator = new_page(locale="en-GB")
    login(coordinator, live_server, world.coordinator.username, PASSWORD)
    coordinator.goto(f"{live_server.url}/coordinator/")
    coordinator.get_by_role("link", name="Ouderavond groep 3").click()
    coordinator.wait_for_url(f"**/coordinator/requests/{req.uuid}/")
    assert "Tigrinya (5/5)" in coordinator.content()
    coordinator.check(f"input[name=key_persons][value='{world.key_person.uuid}']")
    coordinator.get_by_role("button", name="Offer to the ticked key persons").click()
    coordinator.wait_for_load_state()
    offer = Assignment.objects.get(request=req, key_person=world.key_person)
    assert offer.status == AssignmentStatus.OFFERED

    # 3. The key person accepts on a phone-sized screen.
    key_person = new_page(locale="en-GB", width=390, height=844)
    login(key_person, live_server, world.key_person_user.username, PASSWORD)
    key_person.goto(f"{live_server.url}/me/offers/")
    key_person.locator(f"#offer-{offer.uuid}").get_by_role("button", name="Yes, I will come").click()
    key_person.get_by_text("Thank you! The assignment is in your agenda.").wait_for()  # the portal works without htmx
    offer.refresh_from_db()
    assert offer.status == AssignmentStatus.ACCEPTED

    # 4. The requester sees who comes.
    requester.goto(f"{live_server.url}/requests/{req.uuid}/")
    assert world.key_person.full_name in requester.content()

    # The date passes.
    yesterday = timezone.now() - dt.timedelta(days=1)
    Request.objects.filter(pk=req.pk).update(starts_at=yesterday, ends_at=yesterday + dt.timedelta(hours=2))

    # 5. The key person files the report from the agenda.
    key_person.goto(f"{live_server.url}/me/agenda/")
    key_person.locator(f"a[href$='/me/assignments/{offer.uuid}/report/']").click()
    key_person.fill("#id_hours", "2.5")
    key_person.check(f"input[name=roles_used][value='{translator.pk}']")
    key_person.check(f"input[name=roles_used][value='{educator.pk}']")
    key_person.fill("#id_participants", "12")
    key_person.fill("#id_participants_little_dutch", "9")
    key_person.fill("#id_participants_first_contact", "4")
    key_person.check("input[name=outcome_code][value=done]")
    key_person.check("input[name=follow_up_code][value=none]")
    key_person.get_by_role("button", name="Send report").click()
    key_person.wait_for_url("**/me/agenda/")
    offer.refresh_from_db()
    assert offer.status == AssignmentStatus.REPORTED
    assert _reach_totals(policy, live_server)[2] == "0"  # not approved yet: not counted

    # 6. The coordinator approves; the request closes.
    coordinator.goto(f"{live_server.url}/coordinator/approvals/")
    coordinator.get_by_role("button", name="Approve").click()
    coordinator.wait_for_load_state()
    coordinator.get_by_text("Approved").first.wait_for()
    req.refresh_from_db()
    assert req.status == RequestStatus.CLOSED

    # 7. The policy officer sees the figures change.
    totals = _reach_totals(policy, live_server)
    # 4 reached for the first time is a small count: a policy officer sees "<5".
    assert totals[:5] == ["1", "2.5", "12", "9", "<5"], totals


def test_bad_input_in_the_browser_keeps_what_was_typed(live_server, new_page):  # type: ignore[no-untyped-def]
    world = make_world()
    page = new_page(locale="en-GB")
    login(page, live_server, world.requester.username, PASSWORD)
    page.goto(f"{live_server.url}/requests/new/")
    page.fill("#id_title", "Brief van de gemeente lezen")
    page.fill("#id_place", "Gemeentehuis")
    page.fill("#id_date", (timezone.localdate() + dt.timedelta(days=2)).isoformat())
    page.fill("#id_start_time", "14:00")
    page.fill("#id_end_time", "13:00")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.input_value("#id_title") == "Brief van de gemeente lezen"
    assert page.locator("[aria-invalid=true]").count() >= 1
    assert not Request.objects.exists()
