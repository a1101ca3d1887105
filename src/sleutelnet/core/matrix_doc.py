"""`docs/permissions.md`, generated from the permission matrix (`core.permissions`).

`sleutelnet permissions_matrix` writes it; `tests/core/test_permission_docs.py` fails when the
committed file differs, so the document always says what the code enforces.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

import sleutelnet
from sleutelnet.core.permissions import ANYONE, MATRIX_ENTRIES, METHODS, ROLES, Endpoint, Scope

ROLE_NAMES = {
    "coordinator": "coordinator",
    "requester": "requester",
    "key_person": "key person",
    "policy_officer": "policy officer",
    "privacy_officer": "privacy officer",
    "administrator": "administrator",
}

INTRO = """\
# Permissions

Generated from `src/sleutelnet/core/permissions.py` by `sleutelnet permissions_matrix`; a test
fails when this file and the code differ. Do not edit by hand.

## How access is decided

One permission model for the whole product. Every page and API endpoint has one entry in the
matrix below: per HTTP method, the roles that may call it and the *scope* in which they see
records there. One function, `core.permissions.decide()`, applies it before any view code
runs: `web.middleware.PermissionMiddleware` for pages, `api.permissions.MatrixPermission` for
the API (after the token is checked). A URL without an entry is refused, and
`tests/core/test_permission_matrix.py` fails for it; that test calls every URL with every
method as every role, on own and on foreign records, and checks the answer against this table.

- A method not listed: **405**, for everyone.
- Not signed in: the login page (web) or **401** (API). Signed in with the password only: the
  second-factor page.
- A role not listed for that method: **403**.
- A listed role on a record outside its scope (another region, another organisation, another
  key person): **404**, and nothing of that record in the answer. The scope is kept by the
  selectors (`*/selectors.py`), which only ever return records inside it.
- A user can hold several roles (in one or more regions); each role counts in its own regions.

## Roles and scopes

| role | who | scope |
| --- | --- | --- |
| coordinator | coordinates key persons for a region | region: every record of their regions |
| requester | caseworker at a municipality or partner organisation | organisation: their organisation's requests, the assignments and reports on them, the key person's name only |
| key person | the volunteer | own: their own profile, the offers made to them, their assignments and reports |
| policy officer | advises on policy | aggregate: figures only, never a person |
| privacy officer | supervises the processing of personal data | region: the processing log, data-subject requests and retention of their regions |
| administrator | manages accounts and reference data | region: accounts, roles and organisations of their regions (the admin) |

| scope | meaning |
| --- | --- |
| region | records of the regions in which the user holds this role |
| organisation | records of the organisations the user files requests for |
| own | the key person's own record, offers and assignments |
| aggregate | figures only; no person is ever listed |
| reference | vocabularies (languages, roles, life domains): no personal data |
| self | the user's own account (start page) |
| secret | a secret link is the credential (the calendar feed) |
| public | no personal data and no login (sign-in, the API document) |

## Field-level rules

- **Key persons** see of a newcomer only what the assignment needs: the first name or initials,
  the language, the time and the place. Never the reference, the municipality's file or the
  contact details, unless the newcomer consented to share them for that request (and the
  consent still holds). After consent is withdrawn they see no newcomer details at all.
- **Requesters** see who comes (the key person's name) and nothing else of the key person.
- **Policy officers** see aggregates only: no endpoint that shows a person is open to them.
- **API writes** refuse fields the role may not set (`400`, code `not_allowed`), unknown fields
  (`unknown_field`) and read-only fields (`read_only`): a key person may change only `phone`,
  `email`, `uiLanguage` and `availability` of their own record; nobody sets `status`,
  `region` of an existing record or an organisation of another user.
"""


def _paths() -> dict[str, str]:
    """URL name -> path pattern, from the resolver."""
    found: dict[str, str] = {}

    def walk(patterns: list[Any], namespaces: list[str], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, namespaces + ([p.namespace] if p.namespace else []), prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name:
                path = prefix + str(p.pattern)
                if path.startswith("^") or "(?P" in path:
                    path = path.replace("^", "").replace("$", "").replace(r"\.", ".")
                    path = path.replace("(?P<token>[A-Za-z0-9_-]{20,100})", "<secret>")
                found.setdefault(":".join([*namespaces, p.name]), "/" + path.replace("<uuid:uuid>", "<uuid>"))

    walk(get_resolver().url_patterns, [], "")
    found["admin:*"] = "/admin/…"
    return found


def _cell(endpoint: Endpoint, role: str) -> str:
    parts = []
    for method in METHODS:
        scopes = endpoint.roles_for(method) if method in endpoint.methods else {}
        scope = scopes.get(role) or scopes.get(ANYONE)
        if scope is not None:
            parts.append(f"{method} {scope.value}")
    return " · ".join(parts) or "–"


def render() -> str:
    """The whole document."""
    paths = _paths()
    lines = [INTRO, "## The matrix", ""]
    sections = [("Pages", [e for e in MATRIX_ENTRIES if not e.is_api]), ("API v1", [e for e in MATRIX_ENTRIES if e.is_api])]
    for title, entries in sections:
        lines += [f"### {title}", ""]
        header = ["path", "what", "anyone"] + [ROLE_NAMES[r] for r in ROLES] + ["processing activity"]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + " --- |" * len(header))
        for e in entries:
            anyone = []
            for method in METHODS:
                scope = e.roles_for(method).get(ANYONE) if method in e.methods else None
                if scope is not None and scope is not Scope.SELF:
                    anyone.append(f"{method} {scope.value}")
                elif scope is Scope.SELF:
                    anyone.append(f"{method} self (signed in)")
            what = e.summary + (" (export/download)" if e.export else "")
            row = [f"`{paths.get(e.name, e.name)}`", what, " · ".join(anyone) or "–"]
            row += [_cell(e, role) if not anyone else "–" for role in ROLES]
            row.append(f"`{e.activity}`" if e.activity else "–")
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def default_path() -> Path:
    root = Path(sleutelnet.__file__).resolve().parents[2]
    if not (root / "pyproject.toml").exists():
        root = Path.cwd()
    return root / "docs" / "permissions.md"
