"""The key-person portal on a small phone (360x740), in Dutch and in Arabic (right to left).

One walk per language: sign in with a one-time link and a PIN, accept an offer on the start page,
add the calendar feed (it parses as iCal), file a report while the connection drops halfway (the
draft stays on the phone and is sent when the connection is back), and see the hours change.
On every page: axe-core finds no serious or critical violation, the page weighs under 100 KB,
nothing scrolls sideways at 360 px nor at 200 % zoom, and touch targets are at least 44 px.
Screenshots for docs/key-persons.md are written when SCREENSHOTS=1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from sleutelnet.allowances.models import AllowanceRate
from sleutelnet.core import clock
from sleutelnet.deployments import services
from sleutelnet.deployments.models import Assignment, AssignmentStatus
from tests.conftest import make_world
from tests.web.conftest import accepted_in_past

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "docs" / "img"
PAGE_BUDGET = 100 * 1024
#: What the axe run checks and reports (WCAG 2.1 A and AA rules, and best practices).
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""
#: Interactive elements smaller than 44 px (inline links in running text are exempt, WCAG 2.5.5).
SMALL_TARGETS = """() => {
  const small = [];
  const boxOf = el => el.getBoundingClientRect();
  for (const el of document.querySelectorAll('button, input, select, textarea, summary, a.button, .site-nav a, .site-header a, .breadcrumb a')) {
    if (el.type === 'hidden' || el.offsetParent === null) continue;
    let target = el;
    if (el.type === 'checkbox' || el.type === 'radio') target = el.closest('label') || (el.labels && el.labels[0]) || el;
    const box = boxOf(target);
    if (box.height < 43.5 || box.width < 43.5) small.push((el.name || el.id || el.textContent.trim()).slice(0, 40) + ' ' + Math.round(box.width) + 'x' + Math.round(box.height));
  }
  return small;
}"""


PAGE_PARTS = """() => ({
  html: performance.getEntriesByType('navigation')[0].decodedBodySize,
  resources: performance.getEntriesByType('resource').map(r => r.name),
})"""
WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !el.closest('.table-wrapper'))
  .slice(0, 8).map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().width))"""


class Phone:
    """One browser context at 360x740 that records what each page load transfers."""

    def __init__(self, page, live_server, language: str) -> None:  # type: ignore[no-untyped-def]
        self.page, self.base, self.language = page, live_server.url, language
        self.weights: dict[str, int] = {}
        self.problems: list[str] = []
        page.on("console", lambda msg: self.problems.append(msg.text) if msg.type == "error" else None)
        self.sizes: dict[str, int] = {}

    def open(self, path: str, name: str = "") -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        self.check(name or path)

    def check(self, name: str) -> None:
        """Weight, sideways scrolling, touch targets and axe-core on the page now shown."""
        page = self.page
        # What a first visit loads: the page and every file it pulls in, each weighed by
        # fetching it afresh (the browser's cache would hide the files after the first page).
        parts = page.evaluate(PAGE_PARTS)
        for url in parts["resources"]:
            if url not in self.sizes:
                self.sizes[url] = len(page.request.get(url).body())
        weight = parts["html"] + sum(self.sizes[url] for url in parts["resources"])
        self.weights[name] = weight
        assert weight < PAGE_BUDGET, f"{name}: {weight} bytes"
        assert page.locator("html").get_attribute("lang") == self.language
        assert page.locator("html").get_attribute("dir") == ("rtl" if self.language == "ar" else "ltr")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{name} scrolls sideways at 360 px"
        small = page.evaluate(SMALL_TARGETS)
        assert not small, f"{name}: touch targets under 44 px: {small}"
        # 200 % zoom on this phone is a 180 px wide layout: it must reflow, not scroll sideways
        page.set_viewport_size({"width": 180, "height": 370})
        wide = page.evaluate("document.documentElement.scrollWidth")
        offenders = page.evaluate(WIDE_ELEMENTS) if wide > 181 else []
        page.set_viewport_size({"width": 360, "height": 740})
        assert wide <= 181, f"{name} scrolls sideways at 200 % zoom ({wide} px): {offenders}"
        if AXE.exists():
            page.evaluate(AXE.read_text(encoding="utf-8"))
            serious = page.evaluate(AXE_RUN)
            assert not serious, f"{name}: {serious}"
        elif os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("axe-core is missing: run `npm ci --prefix tests/browser`")

    def shot(self, name: str) -> None:
        if os.environ.get("SCREENSHOTS") == "1":
            SHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SHOTS / f"portal-{self.language}-{name}.png"), full_page=False)


def _future_offer(world) -> Assignment:  # type: ignore[no-untyped-def]
    start = timezone.localtime() + dt.timedelta(days=2)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0)
    req = services.file_request(
        actor=world.requester, organisation=world.organisation,
        data=world.request_data(title="Ouderavond groep 3", starts_at=start, ends_at=start + dt.timedelta(hours=2)),
    )
    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    return a


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_the_portal_on_a_phone(live_server, chromium, language):  # type: ignore[no-untyped-def]
    world = make_world()
    AllowanceRate.objects.create(region=world.region, valid_from=dt.date(2020, 1, 1), per_hour=Decimal("5.00"))
    offer = _future_offer(world)
    past = accepted_in_past(world, days_ago=1)
    context = chromium.new_context(locale="nl-NL", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    phone = Phone(page, live_server, language)
    try:
        # 1. Sign in: the e-mail address, the link from the e-mail, a PIN chosen once.
        mail.outbox.clear()
        phone.language = "nl"
        phone.open("/login/")
        phone.language = language
        if language == "ar":  # the key person picks Arabic on the sign-in page
            page.locator("form.lang-switch button[value='ar']").click()
            page.wait_for_load_state()
            phone.check("/login/ (ar)")
        page.locator("a[href='/login/link/']").click()
        page.wait_for_load_state("networkidle")
        phone.check("link_request")
        phone.shot("sign-in")
        page.fill("#id_email", world.key_person.email)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        link = re.search(r"https?://\S+/login/link/\S+/", mail.outbox[-1].body).group(0)  # type: ignore[union-attr]
        phone.open(urlparse(link).path, "/login/link/<token>/")
        page.fill("#id_new_pin", "48213")
        page.fill("#id_new_pin_again", "48213")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/me/")
        phone.check("/me/")
        phone.shot("home")

        # 2. The new offer is on top of the start page: one tap to accept.
        card = page.locator(f"#offer-{offer.uuid}")
        assert card.is_visible()
        card.locator("form[action$='/accept/'] button").click()
        page.wait_for_url(f"{live_server.url}/me/")
        offer.refresh_from_db()
        assert offer.status == AssignmentStatus.ACCEPTED
        assert page.locator(".messages .alert--success").is_visible()

        # 3. The calendar feed: made on the agenda page, it parses as iCal and holds the assignment.
        phone.open("/me/agenda/")
        phone.shot("agenda")
        page.locator("form[action$='/calendar-feed/'] button, form[action*='calendar'] button.button--primary").first.click()
        page.wait_for_load_state()
        feed_url = page.locator("#feed-url").input_value()
        assert urlparse(feed_url).path.endswith(".ics")
        feed = page.request.get(live_server.url + urlparse(feed_url).path)  # SITE_URL is the production host
        assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(feed.body())
        summaries = [str(event.get("summary")) for event in calendar.walk("VEVENT")]
        assert any("Ouderavond groep 3" in s for s in summaries), summaries

        # 4. The report, with the connection dropping halfway.
        phone.open(f"/me/assignments/{past.uuid}/report/")
        assert page.locator("#id_hours").input_value() in ("2", "2.0", "2,0")  # prefilled from the plan
        page.fill("#id_date", timezone.localdate().isoformat())  # done today: it counts in this month's hours
        page.fill("#id_hours", "2.5" if language != "nl" else "2,5")
        page.locator("input[name=roles_used]").first.check()
        plus = page.locator("#id_participants").locator("xpath=following-sibling::button")
        for _ in range(3):
            plus.click()
        assert page.locator("#id_participants").input_value() == "3"
        page.locator("#id_participants_little_dutch").locator("xpath=following-sibling::button").click()
        phone.shot("report")
        context.set_offline(True)
        page.locator("input[name=outcome_code][value=done]").check()
        page.locator("input[name=follow_up_code][value=none]").check()
        page.locator("main form[data-draft] button[type=submit]").click()
        status = page.locator("#draft-status")
        status.wait_for(state="visible")
        assert "alert--warning" in (status.get_attribute("class") or "")
        draft = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('sleutelnet-draft:'))")
        assert draft, "the draft is kept on the phone"
        past.refresh_from_db()
        assert past.status == AssignmentStatus.ACCEPTED  # nothing reached the server
        context.set_offline(False)
        page.wait_for_url(f"{live_server.url}/me/agenda/", timeout=20000)
        past.refresh_from_db()
        assert past.status == AssignmentStatus.REPORTED
        assert past.report.hours == Decimal("2.5") and past.report.participants == 3
        assert past.report.participants_little_dutch == 1 and past.report.outcome_code == "done"
        assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('sleutelnet-draft:')).length") == 0

        # 5. The hours change: waiting for approval, then approved with the allowance.
        phone.open("/me/hours/")
        assert re.search(r"2[.,٫]5", page.locator(".figure").first.inner_text())
        with clock.at(timezone.now()):
            services.approve_report(actor=world.coordinator, assignment=past)
        phone.open("/me/hours/")
        assert re.search(r"2[.,٫]5", page.locator(".figure__value").first.inner_text())
        assert re.search(r"12[.,٫]50", page.locator("table").inner_text())  # 2.5 hours x EUR 5.00
        phone.shot("hours")

        # 6. The other portal pages pass the same checks.
        for path in ("/me/offers/", "/me/availability/", "/me/profile/", "/translations/", "/me/signals/", "/signals/new/", "/me/you-said-we-did/", "/me/consultations/", "/me/experience/", "/me/expenses/", "/me/expenses/new/"):
            phone.open(path)
        phone.shot("availability")
        assert not [p for p in phone.problems if "Content Security Policy" in p], phone.problems
        print(f"page weight ({language}, bytes):", json.dumps(phone.weights, sort_keys=True))  # noqa: T201
    finally:
        context.close()
