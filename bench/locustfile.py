"""The load of bench/load.py: coordinators, key persons and API integrations on the production setup.

Run by `python bench/run.py --bench load`, which starts gunicorn, writes the actors file (sessions
that passed both sign-in steps, API tokens, ids to visit) and runs locust headless in its own
process on loopback, one phase at a time:

    LOAD_ACTORS=actors.json LOAD_SAMPLES=out.jsonl locust -f bench/locustfile.py --headless \
        -u 50 -r 10 -t 5m -H http://127.0.0.1:8xxx MixCoordinator MixKeyPerson MixApi

Every request is named "read: ..." or "write: ..." and written, with its time and outcome, to
LOAD_SAMPLES (one JSON line each) when locust stops; bench/load.py computes the percentiles from
those samples. Redirects are not followed: a page must answer 200, a form post 302, an API POST
201, or the request counts as an error. Writes go through the real forms: the form is fetched
first and posted back with its CSRF token, as a browser does.

The production setup sets Secure `__Host-` cookies, which an HTTP client does not send back over
plain HTTP; the users keep their cookies themselves and send `X-Forwarded-Proto: https`, as a
TLS proxy in front of gunicorn would.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import threading
from collections import defaultdict
from html.parser import HTMLParser
from typing import Any

from locust import HttpUser, between, constant, events, task

ACTORS: dict[str, Any] = {}
if os.environ.get("LOAD_ACTORS"):
    with open(os.environ["LOAD_ACTORS"], encoding="utf-8") as handle:
        ACTORS = json.load(handle)
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "1,3").split(","))

_samples: list[tuple[str, float, bool, float]] = []
_turns: dict[str, itertools.count[int]] = defaultdict(itertools.count)
_lock = threading.Lock()


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, start_time: float = 0.0, **_: Any) -> None:
    with _lock:
        _samples.append((name, round(response_time, 3), exception is None, round(start_time or 0.0, 3)))


@events.quitting.add_listener
def _dump(**_: Any) -> None:
    target = os.environ.get("LOAD_SAMPLES")
    if not target:
        return
    with open(target, "w", encoding="utf-8") as out:
        for name, ms, ok, started in _samples:
            out.write(json.dumps({"name": name, "ms": ms, "ok": ok, "t": started}) + "\n")


# --- forms ----------------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The forms of a page: action, method and the values a browser would send as they stand."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                               "fields": [], "radios": {}, "checkboxes": {}})
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind == "radio":
                form["radios"].setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form["fields"].append((name, a.get("value", "on")))
            elif kind == "checkbox":
                form["checkboxes"].setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form["fields"].append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                form["fields"].append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = name
            form["fields"].append((name, None))
        elif tag == "option" and self._select:
            fields = form["fields"]
            index = max(i for i, (n, _) in enumerate(fields) if n == self._select)
            if fields[index][1] is None or "selected" in a:
                fields[index] = (self._select, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"].append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            fields = self.forms[-1]["fields"]
            fields[-1] = (fields[-1][0], fields[-1][1] + data)


def forms_of(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def filled(form: dict[str, Any], fill: dict[str, str] | None = None, check_first: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The form's values, with a first choice for unanswered radio groups, the first box of the
    named checkbox groups when none is ticked, and `fill` for fields that are empty."""
    fields = [(n, v or "") for n, v in form["fields"]]
    names = {n for n, _ in fields}
    for name, values in form["radios"].items():
        if name not in names and values:
            fields.append((name, values[0]))
    for name in check_first:
        if name not in names and form["checkboxes"].get(name):
            fields.append((name, form["checkboxes"][name][0]))
    for name, value in (fill or {}).items():
        fields = [(n, value if n == name and not v else v) for n, v in fields]
    return fields


# --- users ----------------------------------------------------------------------------------------


class _Browser(HttpUser):
    """A signed-in browser: its own cookie jar (Secure cookies over loopback HTTP), no redirects."""

    abstract = True
    wait_time = between(*THINK)
    role = ""

    def on_start(self) -> None:
        people = ACTORS.get(self.role, [])
        self.actor = people[next(_turns[self.role]) % len(people)] if people else {}  # one user each, in turn
        self.jar: dict[str, str] = {ACTORS.get("session_cookie", "sessionid"): self.actor.get("session", "")}
        host = self.host.split("://", 1)[-1].rstrip("/")
        self.origin = f"https://{host}"

    def _send(self, method: str, kind: str, label: str, path: str, expect: int, **kwargs: Any) -> Any:
        headers = {"X-Forwarded-Proto": "https", "Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items() if v)}
        if method == "POST":
            headers |= {"Origin": self.origin, "Referer": self.origin + path}
        headers |= kwargs.pop("headers", {})
        with self.client.request(method, path, name=f"{kind}: {label}", headers=headers, allow_redirects=False,
                                 catch_response=True, **kwargs) as response:
            for raw in response.raw.headers.getlist("Set-Cookie") if response.raw is not None else []:
                pair = raw.split(";", 1)[0]
                name, _, value = pair.partition("=")
                gone = "max-age=0" in raw.lower() or "1970" in raw
                if gone:
                    self.jar.pop(name.strip(), None)
                else:
                    self.jar[name.strip()] = value.strip().strip('"')
            self.client.cookies.clear()
            if response.status_code != expect:
                where = response.headers.get("Location", "")
                response.failure(f"{response.status_code} (expected {expect}) {where}"[:200])
            else:
                response.success()
            return response

    def read(self, label: str, path: str) -> Any:
        return self._send("GET", "read", label, path, 200)

    def post_form(self, label: str, page: str, path: str, data: list[tuple[str, str]], expect: int = 302) -> Any:
        return self._send("POST", "write", label, path, expect, data=data)


class MixCoordinator(_Browser):
    """A coordinator: the queue, a request with its candidates, the key persons, today, the figures;
    approves a filed report now and then."""

    weight = 4
    role = "coordinators"

    @task(5)
    def queue(self) -> None:
        self.read("coordinator: request list", "/coordinator/")

    @task(4)
    def request_detail(self) -> None:
        uuids = self.actor.get("requests") or []
        if uuids:
            self.read("coordinator: request with candidates", f"/coordinator/requests/{random.choice(uuids)}/")

    @task(3)
    def key_persons(self) -> None:
        self.read("coordinator: key-person list", "/coordinator/key-persons/")

    @task(3)
    def today(self) -> None:
        self.read("coordinator: today", "/coordinator/today/")

    @task(2)
    def figures(self) -> None:
        self.read("coordinator: figures of the region", "/coordinator/figures/")

    @task(2)
    def approve(self) -> None:
        page = self.read("coordinator: approvals (form)", "/coordinator/approvals/")
        if page.status_code != 200:
            return
        forms = [f for f in forms_of(page.text) if f["method"] == "post" and f["action"].endswith("/approve/")]
        if forms:
            form = random.choice(forms[:5])
            self.post_form("coordinator: approve a report", "/coordinator/approvals/", form["action"], filled(form))


class MixKeyPerson(_Browser):
    """A key person on the portal: home, offers, agenda; files a report for a past assignment,
    and saves the weekly times."""

    weight = 4
    role = "key_persons"

    @task(5)
    def home(self) -> None:
        self.read("portal: home", "/me/")

    @task(3)
    def offers(self) -> None:
        self.read("portal: offers", "/me/offers/")

    @task(2)
    def agenda(self) -> None:
        self.read("portal: agenda", "/me/agenda/")

    @task(2)
    def report(self) -> None:
        agenda = self.read("portal: agenda", "/me/agenda/")
        if agenda.status_code != 200:
            return
        links = sorted(set(re.findall(r'href="(/me/assignments/[0-9a-f-]{36}/report/)"', agenda.text)))
        if not links:
            self.availability()
            return
        path = random.choice(links)
        page = self.read("portal: report form", path)
        if page.status_code != 200:
            return
        forms = [f for f in forms_of(page.text) if f["method"] == "post" and "hours" in dict(f["fields"])]
        if forms:
            data = filled(forms[0], {"participants": "1", "hours": "1.5"}, check_first=("roles_used",))
            self.post_form("portal: file a report", path, forms[0]["action"] or path, data)

    @task(1)
    def availability(self) -> None:
        page = self.read("portal: availability (form)", "/me/availability/")
        if page.status_code != 200:
            return
        for form in forms_of(page.text):
            values = dict(form["fields"])
            if form["method"] == "post" and "availability-TOTAL_FORMS" in values:
                data = [(n, v) for n, v in filled(form) if not n.startswith("availability-")]
                day = random.randrange(7)
                data += [
                    ("availability-TOTAL_FORMS", "1"), ("availability-INITIAL_FORMS", "0"),
                    ("availability-MIN_NUM_FORMS", "0"), ("availability-MAX_NUM_FORMS", "21"),
                    ("availability-0-weekday", str(day)), ("availability-0-start_time", "09:00"),
                    ("availability-0-end_time", "12:00"), ("action", "slots"),
                ]
                self.post_form("portal: save weekly times", "/me/availability/", form["action"] or "/me/availability/", data)
                return


class _Api(HttpUser):
    abstract = True

    def on_start(self) -> None:
        tokens = ACTORS.get("tokens", [])
        self.token = tokens[next(_turns["tokens"]) % len(tokens)] if tokens else {}

    def call(self, method: str, kind: str, label: str, path: str, expect: int, token: dict[str, Any] | None = None,
             **kwargs: Any) -> Any:
        token = token or self.token
        headers = {"Authorization": f"Bearer {token.get('key', '')}", "X-Forwarded-Proto": "https",
                   "Accept": "application/json"}
        with self.client.request(method, path, name=f"{kind}: {label}", headers=headers, allow_redirects=False,
                                 catch_response=True, **kwargs) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} (expected {expect}): {response.text[:160]}")
            else:
                response.success()
            return response


class MixApi(_Api):
    """An integration (a case system): lists requests, reads the reach, files a request."""

    weight = 2
    wait_time = between(*THINK)

    @task(5)
    def list_requests(self) -> None:
        self.call("GET", "read", "api: list requests", "/api/v1/requests?pageSize=20", 200)

    @task(2)
    def reach(self) -> None:
        coordinators = [t for t in ACTORS.get("tokens", []) if t.get("role") == "coordinator"]
        if coordinators:
            self.call("GET", "read", "api: reach", "/api/v1/reach", 200, token=random.choice(coordinators))

    @task(2)
    def file_request(self) -> None:
        token = self.token
        if token.get("role") != "requester":
            requesters = [t for t in ACTORS.get("tokens", []) if t.get("role") == "requester"]
            if not requesters:
                return
            token = random.choice(requesters)
        start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=random.randint(3, 40))).replace(
            hour=9 + random.randrange(8), minute=0, second=0, microsecond=0)
        body = {
            "title": "Uitleg over de zorgverzekering", "kind": "individual_support", "language": "ar",
            "roles": token.get("roles", [])[:1], "municipality": token.get("municipality", ""),
            "place": "Wijkcentrum", "startsAt": start.isoformat().replace("+00:00", "Z"),
            "endsAt": (start + dt.timedelta(hours=2)).isoformat().replace("+00:00", "Z"), "chainLink": "execution",
        }
        self.call("POST", "write", "api: file a request", "/api/v1/requests", 201, token=token, json=body)


# --- the baseline phases: no think time, one endpoint each --------------------------------------


class MinimalDrf(_Api):
    """The minimal DRF list of bench/loadsite (20 rows a page with its COUNT, no auth)."""

    wait_time = constant(0)

    @task
    def minimal(self) -> None:
        self.call("GET", "read", "baseline: minimal DRF list", "/bench/minimal/", 200)


class MinimalDrfRequests(_Api):
    """The minimal DRF list of the same table: the requests of the organisation of a requester's token."""

    wait_time = constant(0)

    @task
    def minimal_requests(self) -> None:
        requesters = [t for t in ACTORS.get("tokens", []) if t.get("role") == "requester"] or [self.token]
        token = requesters[hash(id(self)) % len(requesters)]
        self.call("GET", "read", "baseline: minimal DRF list of requests",
                  f"/bench/minimal-requests/?organisation={token.get('organisation_id', 0)}", 200)


class OurApiList(_Api):
    """Our API list endpoint with a token, the same 20 rows a page."""

    wait_time = constant(0)

    @task
    def ours(self) -> None:
        requesters = [t for t in ACTORS.get("tokens", []) if t.get("role") == "requester"] or [self.token]
        self.call("GET", "read", "baseline: our API list requests", "/api/v1/requests?pageSize=20", 200,
                  token=requesters[hash(id(self)) % len(requesters)])
