"""The one permission model of Sleutelnet: who may call which page or API endpoint, how, and where.

Every URL of the product has one entry in `MATRIX`, keyed by its URL name. An entry says, per
HTTP method, which roles may call it and in which *scope* they see records there (their region,
their organisation, their own records, aggregates only). Two thin adapters enforce it before any
view code runs: `sleutelnet.web.middleware.PermissionMiddleware` for pages and
`sleutelnet.api.permissions.MatrixPermission` for the API; both call `decide()`. A URL without an
entry is refused (fail closed), and `tests/core/test_permission_matrix.py` fails for it.

The role opens the door; the scope is kept by the selectors, which only ever return records
of the user's scope, so a record outside it answers 404. `docs/permissions.md` is generated
from this module (`sleutelnet permissions_matrix`); a test keeps it equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from sleutelnet.core.models import Role

#: Pseudo-role for endpoints anyone may call (login, the public API document).
ANYONE = "anyone"

C, R, K = Role.COORDINATOR.value, Role.REQUESTER.value, Role.KEY_PERSON.value
P, V, A = Role.POLICY_OFFICER.value, Role.PRIVACY_OFFICER.value, Role.ADMINISTRATOR.value
ROLES: tuple[str, ...] = (C, R, K, P, V, A)

METHODS: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE")


class Scope(StrEnum):
    """What part of the data a role reaches through an endpoint."""

    REGION = "region"  # records of the regions the user holds this role in
    ORGANISATION = "organisation"  # records of the organisations the user files requests for
    OWN = "own"  # the key person's own record, offers and assignments
    AGGREGATE = "aggregate"  # figures only; never a person
    REFERENCE = "reference"  # vocabularies: no personal data
    SELF = "self"  # the user's own account, after the second factor
    SIGN_IN = "sign-in"  # signed in with the password, before the second factor
    SECRET = "secret"  # noqa: S105 - a scope name: a secret link is the credential (calendar feed)
    PUBLIC = "public"  # no personal data, no login


@dataclass(frozen=True)
class Endpoint:
    """One URL of the product: who may use it with which method, and in which scope."""

    name: str
    summary: str
    access: Mapping[str, Mapping[str, Scope]]
    #: The processing activity (see `core.processing`) when it shows or changes personal data.
    activity: str | None = None
    #: The kind of record its URL names (for the matrix test and the docs), if any.
    subject: str | None = None
    #: True for exports and file downloads (listed as such in the docs).
    export: bool = False
    #: For the API: the token scope needed, per method ("read" for GET, else "write").
    resource: str | None = None
    methods: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "methods", frozenset(self.access))

    def roles_for(self, method: str) -> Mapping[str, Scope]:
        """The roles allowed for `method` (HEAD counts as GET)."""
        return self.access.get("GET" if method == "HEAD" else method, {})

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api-")


def _e(
    name: str,
    summary: str,
    *,
    activity: str | None = None,
    subject: str | None = None,
    export: bool = False,
    resource: str | None = None,
    **methods: Mapping[str, Scope],
) -> Endpoint:
    """An entry; the methods are given as keyword arguments: get={role: scope}, post=..."""
    access = {method.upper(): dict(spec) for method, spec in methods.items()}
    return Endpoint(name, summary, access, activity, subject, export, resource)


def _same(scope: Scope, *roles: str) -> dict[str, Scope]:
    return {role: scope for role in roles}


# Shorthands for the table below.
COORD = _same(Scope.REGION, C)
OWN_KP = _same(Scope.OWN, K)
ORG_REQ = _same(Scope.ORGANISATION, R)
PUBLIC = {ANYONE: Scope.PUBLIC}
EVERY_ROLE_SELF = {ANYONE: Scope.SELF}
SIGNING_IN = {ANYONE: Scope.SIGN_IN}
REFERENCE = _same(Scope.REFERENCE, *ROLES)
AGGREGATES = _same(Scope.AGGREGATE, C, P)
PRIVACY = _same(Scope.REGION, V)
ADMIN = _same(Scope.REGION, A)

# Processing activities (their legal basis is in core.processing and docs/privacy.md).
REGISTRY = "key-person-registry"
NEWCOMERS = "newcomer-registration"
DEPLOYMENT = "deployment"
REPORTING = "activity-reporting"
SUPERVISION = "privacy-supervision"
RIGHTS = "data-subject-rights"
ACCOUNTS = "account-management"
RETENTION = "retention"
VOICE = "voice"
ALLOWANCES = "allowances"
RAISERS = {K: Scope.OWN, C: Scope.REGION}
OWNERS = {P: Scope.OWN, R: Scope.ORGANISATION}
ASKERS = {P: Scope.REGION, R: Scope.ORGANISATION}


MATRIX_ENTRIES: tuple[Endpoint, ...] = (
    # --- signing in and the start page -------------------------------------------------------
    _e("home", "Start page: sends each user to the page of their role", get=EVERY_ROLE_SELF),
    _e("login", "Sign in with username and password", get=PUBLIC, post=PUBLIC),
    _e("logout", "Sign out", post=PUBLIC),
    _e("set_language", "Choose the interface language", post=PUBLIC),
    _e("manifest", "The web app manifest (install the portal on a phone)", get=PUBLIC),
    _e("translations", "How far each language's translation is", get=PUBLIC),
    _e("healthz", "Health check for the load balancer: database and queue (JSON, no personal data)", get=PUBLIC),
    _e("accounts:verify", "Second factor: a code from the app, the e-mail or a backup code", activity=ACCOUNTS, get=SIGNING_IN, post=SIGNING_IN),
    _e("accounts:link_request", "Key persons: ask for a sign-in link by e-mail", activity=ACCOUNTS, get=PUBLIC, post=PUBLIC),
    _e("accounts:link_use", "Key persons: open the sign-in link and type the PIN", activity=ACCOUNTS, get={ANYONE: Scope.SECRET}, post={ANYONE: Scope.SECRET}),
    _e("accounts:recheck", "Type the PIN again before contact details show", activity=ACCOUNTS, get=OWN_KP, post=OWN_KP),
    _e("accounts:setup", "Set up an authenticator app (QR code)", activity=ACCOUNTS, get=SIGNING_IN, post=SIGNING_IN),
    _e("accounts:security", "My second factor: backup codes, a new app", activity=ACCOUNTS, get=EVERY_ROLE_SELF, post=EVERY_ROLE_SELF),
    _e("accounts:oidc_authenticate", "Sign in at the municipality's identity provider (OIDC)", get=PUBLIC),
    _e("accounts:oidc_callback", "Back from the identity provider (OIDC)", get=PUBLIC),
    _e("accounts:api_tokens", "API tokens of the region's organisations: issue one", activity=ACCOUNTS, get=ADMIN, post=ADMIN),
    _e("accounts:api_token_revoke", "Revoke an API token", activity=ACCOUNTS, subject="api_token", post=ADMIN),
    # --- coordinator: requests, offers, planning, approvals ----------------------------------
    _e("deployments:coordinator_queue", "Queue of open requests (search, filters)", activity=DEPLOYMENT, get=COORD),
    _e("deployments:coordinator_requests_export", "Requests of the region as CSV/XLSX, with the queue's filters", activity=DEPLOYMENT, export=True, get=COORD),
    _e("deployments:request_list_export", "Our organisation's requests as CSV/XLSX, with the list's filters", activity=DEPLOYMENT, export=True, get=ORG_REQ),
    _e("deployments:coordinator_request", "A request with candidates and 'why not'", activity=DEPLOYMENT, subject="request", get=COORD),
    _e("deployments:coordinator_offer", "Offer a request to key persons", activity=DEPLOYMENT, subject="request", post=COORD),
    _e("deployments:coordinator_cancel_request", "Cancel a request", activity=DEPLOYMENT, subject="request", post=COORD),
    _e("deployments:coordinator_cancel_assignment", "Withdraw an offer or assignment", activity=DEPLOYMENT, subject="assignment", post=COORD),
    _e("deployments:coordinator_plan", "Plan a period: proposals for all open requests", activity=DEPLOYMENT, get=COORD),
    _e("deployments:coordinator_plan_export", "Download the planning problem (JSON)", activity=DEPLOYMENT, export=True, get=COORD),
    _e("deployments:coordinator_plan_import", "Upload a plan file (JSON)", activity=DEPLOYMENT, get=COORD, post=COORD),
    _e("deployments:coordinator_plan_send", "Send many offers at once (bulk action)", activity=DEPLOYMENT, post=COORD),
    _e("deployments:approvals", "Filed reports waiting for approval", activity=REPORTING, get=COORD),
    _e("deployments:approve", "Approve a report", activity=REPORTING, subject="assignment", post=COORD),
    _e("deployments:return_report", "Send a report back", activity=REPORTING, subject="assignment", post=COORD),
    # --- requester ----------------------------------------------------------------------------
    _e("deployments:request_list", "My organisation's requests (search, filters)", activity=DEPLOYMENT, get=ORG_REQ),
    _e("deployments:request_new", "File a request", activity=DEPLOYMENT, get=ORG_REQ, post=ORG_REQ),
    _e("deployments:request_detail", "A request of my organisation and who comes", activity=DEPLOYMENT, subject="request", get=ORG_REQ),
    _e("deployments:request_edit", "Change an open request", activity=DEPLOYMENT, subject="request", get=ORG_REQ, post=ORG_REQ),
    _e("deployments:request_cancel", "Withdraw a request", activity=DEPLOYMENT, subject="request", post=ORG_REQ),
    # --- key person ---------------------------------------------------------------------------
    _e("deployments:portal", "My start page: the soonest new offers, today and the coming week", activity=DEPLOYMENT, get=OWN_KP),
    _e("deployments:hours", "My hours and allowance against the tax-free limits", activity=REPORTING, get=OWN_KP),
    _e("deployments:offers", "My open offers", activity=DEPLOYMENT, get=OWN_KP),
    _e("deployments:offer_accept", "Accept an offer", activity=DEPLOYMENT, subject="assignment", post=OWN_KP),
    _e("deployments:offer_decline", "Decline an offer", activity=DEPLOYMENT, subject="assignment", post=OWN_KP),
    _e("deployments:agenda", "My agenda", activity=DEPLOYMENT, get=OWN_KP),
    _e("deployments:assignment_withdraw", "Step back from an accepted assignment", activity=DEPLOYMENT, subject="assignment", post=OWN_KP),
    _e("deployments:report", "File the activity report", activity=REPORTING, subject="assignment", get=OWN_KP, post=OWN_KP),
    _e("deployments:assignment_calendar", "One assignment as an .ics file (download)", activity=DEPLOYMENT, subject="assignment", export=True, get=OWN_KP),
    _e("people:profile", "My profile: contact details, language, roles, life domains, municipalities", activity=REGISTRY, get=OWN_KP, post=OWN_KP),
    _e("people:availability", "When I can help: weekly slots, days off, a pause", activity=REGISTRY, get=OWN_KP, post=OWN_KP),
    _e("notifications:calendar_feed_create", "Start or renew my calendar link", activity=DEPLOYMENT, post=OWN_KP),
    _e("notifications:calendar_feed_revoke", "Stop my calendar link", activity=DEPLOYMENT, post=OWN_KP),
    _e("notifications:calendar_feed", "My agenda as a calendar feed (secret link)", activity=DEPLOYMENT, export=True, get={ANYONE: Scope.SECRET}),
    # --- coordinator: key persons and newcomers -----------------------------------------------
    _e("people:key_person_list", "Key persons of the region (search, filters)", activity=REGISTRY, get=COORD),
    _e("people:key_person_export", "Key persons of the region as CSV/XLSX, with the list's filters", activity=REGISTRY, export=True, get=COORD),
    _e("people:newcomer_export", "Newcomers of the region as CSV/XLSX, with the list's filters (no contact details)", activity=NEWCOMERS, export=True, get=COORD),
    _e("people:key_person_new", "Register a key person", activity=REGISTRY, get=COORD, post=COORD),
    _e("people:key_person_detail", "A key person's profile", activity=REGISTRY, subject="key_person", get=COORD),
    _e("care:overview", "Care: from candidate to active, workload, check-ins to suggest, VOG ending", activity=REGISTRY, get=COORD),
    _e("care:key_person", "Care for one key person: onboarding, VOG, agreement, trainings, check-ins, statement", activity=REGISTRY, subject="key_person", get=COORD),
    _e("care:step", "Tick off an onboarding step", activity=REGISTRY, subject="key_person", post=COORD),
    _e("care:vog", "Record a VOG (valid by the region's rule)", activity=REGISTRY, subject="key_person", post=COORD),
    _e("care:agreement", "Record an agreement (volunteer, employment, freelance)", activity=REGISTRY, subject="key_person", post=COORD),
    _e("care:birth_date", "Record the date of birth (only for the allowance limit below 21)", activity=REGISTRY, subject="key_person", post=COORD),
    _e("care:certificate", "Record a training certificate", activity=REGISTRY, subject="key_person", post=COORD),
    _e("care:check_in", "Log a check-in conversation", activity=REGISTRY, subject="key_person", post=COORD),
    _e("care:activate", "Make a candidate active when every step is done", activity=REGISTRY, subject="key_person", post=COORD),
    _e("care:sign_statement", "Sign off an experience statement", activity=REGISTRY, subject="key_person", post=COORD),
    _e("care:statement_pdf", "The signed experience statement (PDF)", activity=REGISTRY, subject="key_person", export=True, get=COORD),
    _e("care:trainings", "Trainings and peer meetings; add one", activity=REGISTRY, get=COORD, post=COORD),
    _e("care:course", "A training with its sessions; plan one", activity=REGISTRY, subject="course", get=COORD, post=COORD),
    _e("care:session", "Attendance of a session", activity=REGISTRY, subject="session", get=COORD, post=COORD),
    _e("care:my_experience", "My experience: what I did, and the signed statement", activity=REGISTRY, get=OWN_KP),
    _e("care:my_experience_pdf", "My signed experience statement (PDF)", activity=REGISTRY, export=True, get=OWN_KP),
    # --- imports and background tasks ----------------------------------------------------------
    _e("imports:index", "Imports of the region: the log, and upload a spreadsheet", activity=REGISTRY, get=COORD, post=COORD),
    _e("imports:template", "An empty spreadsheet with the columns of one kind of import", export=True, get=COORD),
    _e("imports:detail", "One import: map the columns, the check with its errors, import", activity=REGISTRY, subject="import", get=COORD, post=COORD),
    _e("imports:undo", "Undo an import while nothing was built on it", activity=REGISTRY, subject="import", post=COORD),
    _e("imports:errors", "The error list of an import's check", activity=REGISTRY, subject="import", export=True, get=COORD),
    _e("tasks:list", "My background tasks (large imports and exports)", get=_same(Scope.SELF, *ROLES)),
    _e("tasks:detail", "One background task and its progress", subject="task", get=_same(Scope.SELF, *ROLES)),
    _e("tasks:download", "The file a background task made (an export)", subject="task", export=True, get=_same(Scope.SELF, *ROLES)),
    _e("people:key_person_edit", "Change a key person's profile", activity=REGISTRY, subject="key_person", get=COORD, post=COORD),
    _e("people:newcomer_list", "Newcomers of the region (search, filters)", activity=NEWCOMERS, get=COORD),
    _e("people:newcomer_new", "Register a newcomer", activity=NEWCOMERS, get=COORD, post=COORD),
    _e("people:newcomer_detail", "A newcomer's record, consent and requests", activity=NEWCOMERS, subject="newcomer", get=COORD),
    _e("people:newcomer_edit", "Change a newcomer's record", activity=NEWCOMERS, subject="newcomer", get=COORD, post=COORD),
    _e("people:newcomer_consent", "Record a newcomer's consent", activity=NEWCOMERS, subject="newcomer", post=COORD),
    _e("people:consent_withdraw", "Record the withdrawal of a consent", activity=NEWCOMERS, subject="consent", post=COORD),
    # --- the voice of newcomers: signals and consultations ---------------------------------------
    _e("voice:signal_new", "Raise a signal (what is noticed in a community)", activity=VOICE, get=RAISERS, post=RAISERS),
    _e("voice:my_signals", "The signals I raised", activity=VOICE, get=OWN_KP),
    _e("voice:my_signal", "One of my signals: its answer; say it does not answer it", activity=VOICE, subject="signal", get=OWN_KP, post=OWN_KP),
    _e("voice:you_said_we_did", "'You said, we did': published answers of the region", activity=VOICE, get=_same(Scope.REGION, K, C, P)),
    _e("voice:my_consultations", "Consultations that ask me for advice", activity=VOICE, get=OWN_KP),
    _e("voice:my_consultation", "Answer a consultation; read its outcome", activity=VOICE, subject="consultation", get=OWN_KP, post=OWN_KP),
    _e("voice:triage", "Signals of the region (triage)", activity=VOICE, get=COORD),
    _e("voice:triage_signal", "Triage a signal: merge, route with a deadline, close", activity=VOICE, subject="signal", get=COORD, post=COORD),
    _e("voice:owned", "Signals routed to me or my organisation", activity=VOICE, get=OWNERS),
    _e("voice:owned_signal", "Answer a signal routed to me", activity=VOICE, subject="signal", get=OWNERS, post=OWNERS),
    _e("voice:consultations", "Consultations I asked (or of the region)", activity=VOICE, get={**ASKERS, C: Scope.REGION}),
    _e("voice:consultation_new", "Ask key persons for advice", activity=VOICE, get=ASKERS, post=ASKERS),
    _e("voice:consultation", "A consultation: answers, meeting, outcome", activity=VOICE, subject="consultation", get={**ASKERS, C: Scope.REGION}, post=ASKERS),
    _e("voice:figures", "Signals and consultations in figures", get=AGGREGATES),
    # --- allowances: statements, claims, the payment export -------------------------------------
    _e("allowances:statements", "Allowances of a month: every key person's statement, totals and limit warnings", activity=ALLOWANCES, get=COORD),
    _e("allowances:payment_export", "The approved statements of a month for finance (CSV, XLSX)", activity=ALLOWANCES, export=True, get=COORD),
    _e("allowances:sepa_export", "The approved statements of a month as a SEPA credit transfer (XML)", activity=ALLOWANCES, export=True, get=COORD),
    _e("allowances:key_person", "A key person's allowances: the month, the year against the limits, the account", activity=ALLOWANCES, subject="key_person", get=COORD),
    _e("allowances:statement_approve", "Approve a key person's monthly statement (the amounts are frozen)", activity=ALLOWANCES, subject="key_person", post=COORD),
    _e("allowances:declare", "Record an allowance from another organisation", activity=ALLOWANCES, subject="key_person", post=COORD),
    _e("allowances:declared_withdraw", "Withdraw an allowance from elsewhere entered by mistake", activity=ALLOWANCES, subject="key_person", post=COORD),
    _e("allowances:payment_details", "Set the account a key person is paid to (IBAN)", activity=ALLOWANCES, subject="key_person", post=COORD),
    _e("allowances:claims", "Expense claims of the region (waiting ones first)", activity=ALLOWANCES, get=COORD),
    _e("allowances:claim", "An expense claim: approve, or decline with a reason", activity=ALLOWANCES, subject="claim", get=COORD, post=COORD),
    _e("allowances:claim_receipt", "The receipt of an expense claim (download)", activity=ALLOWANCES, subject="claim", export=True, get={C: Scope.REGION, K: Scope.OWN}),
    _e("allowances:my_claims", "My expense claims and what happened to them", activity=ALLOWANCES, get=OWN_KP),
    _e("allowances:my_claim_new", "Claim expenses (kilometres, public transport with a receipt, other)", activity=ALLOWANCES, get=OWN_KP, post=OWN_KP),
    # --- figures ------------------------------------------------------------------------------
    _e("reporting:coordinator_today", "Today and this week: what needs the coordinator", activity=DEPLOYMENT, get=COORD),
    _e("reporting:coordinator_dashboard", "All figures of the region or a municipality, with the previous period", get=_same(Scope.AGGREGATE, C)),
    _e("reporting:coordinator_report", "The quarterly report for the council (print)", get=_same(Scope.AGGREGATE, C)),
    _e("reporting:coordinator_export", "A table of the figures as CSV or XLSX (small counts hidden)", export=True, get=_same(Scope.AGGREGATE, C)),
    _e("reporting:policy_dashboard", "Figures for policy: aggregates only, small counts hidden", get=_same(Scope.AGGREGATE, P)),
    _e("reporting:policy_report", "The quarterly report for the council (print)", get=_same(Scope.AGGREGATE, P)),
    _e("reporting:policy_export", "A table of the figures as CSV or XLSX (small counts hidden)", export=True, get=_same(Scope.AGGREGATE, P)),
    # --- privacy officer ----------------------------------------------------------------------
    _e("privacy:log", "Search the processing log", activity=SUPERVISION, get=PRIVACY),
    _e("privacy:log_export", "Export the processing log (CSV, XLSX)", activity=SUPERVISION, export=True, get=PRIVACY),
    _e("privacy:audit", "Search the audit log", activity=SUPERVISION, get=PRIVACY),
    _e("privacy:audit_export", "Export the audit log (CSV, XLSX)", activity=SUPERVISION, export=True, get=PRIVACY),
    _e("privacy:subjects", "Find a person for a data-subject request", activity=RIGHTS, get=PRIVACY),
    _e("privacy:newcomer_subject", "Everything held about a newcomer", activity=RIGHTS, subject="newcomer", get=PRIVACY),
    _e("privacy:newcomer_subject_export", "Everything held about a newcomer (JSON download)", activity=RIGHTS, subject="newcomer", export=True, post=PRIVACY),
    _e("privacy:newcomer_subject_erase", "Erase a newcomer", activity=RIGHTS, subject="newcomer", post=PRIVACY),
    _e("privacy:key_person_subject", "Everything held about a key person", activity=RIGHTS, subject="key_person", get=PRIVACY),
    _e("privacy:key_person_subject_export", "Everything held about a key person (JSON download)", activity=RIGHTS, subject="key_person", export=True, post=PRIVACY),
    _e("privacy:key_person_subject_erase", "Erase a key person", activity=RIGHTS, subject="key_person", post=PRIVACY),
    _e("privacy:retention", "Retention periods of the region, and what is due", activity=RETENTION, get=PRIVACY, post=PRIVACY),
    # --- administration -----------------------------------------------------------------------
    _e("admin:*", "The admin: accounts, roles and reference data of the administrator's regions", activity=ACCOUNTS, get=ADMIN, post=ADMIN),
    # --- API v1 -------------------------------------------------------------------------------
    _e("api-schema", "The OpenAPI document", get=PUBLIC),
    _e("api-docs", "Interactive API documentation", get=PUBLIC),
    _e("api-language-list", "Languages", resource="reference", get=REFERENCE),
    _e("api-key-person-role-list", "Key-person roles", resource="reference", get=REFERENCE),
    _e("api-life-domain-list", "Life domains", resource="reference", get=REFERENCE),
    _e("api-municipality-list", "Municipalities of my regions", resource="reference", get=_same(Scope.REGION, *ROLES)),
    _e("api-municipality-detail", "A municipality", resource="reference", subject="municipality", get=_same(Scope.REGION, *ROLES)),
    _e(
        "api-organisation-list", "Organisations", resource="reference",
        get={C: Scope.REGION, P: Scope.REGION, A: Scope.REGION, R: Scope.ORGANISATION},
    ),
    _e(
        "api-organisation-detail", "An organisation", resource="reference", subject="organisation",
        get={C: Scope.REGION, P: Scope.REGION, A: Scope.REGION, R: Scope.ORGANISATION},
    ),
    _e(
        "api-key-person-list", "Key persons (search, filters); register one", activity=REGISTRY, resource="key-persons",
        get={C: Scope.REGION, K: Scope.OWN}, post=COORD,
    ),
    _e(
        "api-key-person-detail", "A key person's profile", activity=REGISTRY, resource="key-persons", subject="key_person",
        get={C: Scope.REGION, K: Scope.OWN}, put={C: Scope.REGION, K: Scope.OWN}, patch={C: Scope.REGION, K: Scope.OWN},
    ),
    _e("api-newcomer-list", "Newcomers (search, filters); register one", activity=NEWCOMERS, resource="newcomers", get=COORD, post=COORD),
    _e(
        "api-newcomer-detail", "A newcomer's record", activity=NEWCOMERS, resource="newcomers", subject="newcomer",
        get=COORD, put=COORD, patch=COORD,
    ),
    _e("api-newcomer-consents", "Record a newcomer's consent", activity=NEWCOMERS, resource="newcomers", subject="newcomer", post=COORD),
    _e("api-consent-withdraw", "Withdraw a consent", activity=NEWCOMERS, resource="newcomers", subject="consent", post=COORD),
    _e(
        "api-request-list", "Requests (search, filters); file one", activity=DEPLOYMENT, resource="requests",
        get={C: Scope.REGION, R: Scope.ORGANISATION, K: Scope.OWN}, post={C: Scope.REGION, R: Scope.ORGANISATION},
    ),
    _e(
        "api-request-detail", "A request", activity=DEPLOYMENT, resource="requests", subject="request",
        get={C: Scope.REGION, R: Scope.ORGANISATION, K: Scope.OWN},
        put={C: Scope.REGION, R: Scope.ORGANISATION}, patch={C: Scope.REGION, R: Scope.ORGANISATION},
    ),
    _e("api-request-candidates", "Ranked candidates for a request", activity=DEPLOYMENT, resource="requests", subject="request", get=COORD),
    _e("api-request-offer", "Offer a request", activity=DEPLOYMENT, resource="requests", subject="request", post=COORD),
    _e(
        "api-request-cancel", "Cancel a request", activity=DEPLOYMENT, resource="requests", subject="request",
        post={C: Scope.REGION, R: Scope.ORGANISATION},
    ),
    _e(
        "api-assignment-list", "Assignments (filters)", activity=DEPLOYMENT, resource="assignments",
        get={C: Scope.REGION, R: Scope.ORGANISATION, K: Scope.OWN},
    ),
    _e(
        "api-assignment-detail", "An assignment", activity=DEPLOYMENT, resource="assignments", subject="assignment",
        get={C: Scope.REGION, R: Scope.ORGANISATION, K: Scope.OWN},
    ),
    _e("api-assignment-accept", "Accept an offer", activity=DEPLOYMENT, resource="assignments", subject="assignment", post=OWN_KP),
    _e("api-assignment-decline", "Decline an offer", activity=DEPLOYMENT, resource="assignments", subject="assignment", post=OWN_KP),
    _e(
        "api-assignment-cancel", "Cancel an assignment", activity=DEPLOYMENT, resource="assignments", subject="assignment",
        post={C: Scope.REGION, K: Scope.OWN},
    ),
    _e("api-assignment-report", "File the activity report", activity=REPORTING, resource="assignments", subject="assignment", post=OWN_KP),
    _e("api-assignment-approve", "Approve a report", activity=REPORTING, resource="assignments", subject="assignment", post=COORD),
    _e("api-assignment-return", "Send a report back", activity=REPORTING, resource="assignments", subject="assignment", post=COORD),
    _e(
        "api-activity-report-list", "Activity reports", activity=REPORTING, resource="activity-reports",
        get={C: Scope.REGION, R: Scope.ORGANISATION, K: Scope.OWN},
    ),
    _e(
        "api-activity-report-detail", "An activity report", activity=REPORTING, resource="activity-reports", subject="report",
        get={C: Scope.REGION, R: Scope.ORGANISATION, K: Scope.OWN},
    ),
    # --- the voice loop ---------------------------------------------------------------------------
    _e("api-signal-list", "Signals (scoped); raise one", activity=VOICE, resource="signals",
       get={K: Scope.OWN, C: Scope.REGION, P: Scope.OWN, R: Scope.ORGANISATION}, post=RAISERS),
    _e("api-signal-detail", "A signal", activity=VOICE, resource="signals", subject="signal",
       get={K: Scope.OWN, C: Scope.REGION, P: Scope.OWN, R: Scope.ORGANISATION}),
    _e("api-signal-triage", "Take a signal into triage", activity=VOICE, resource="signals", subject="signal", post=COORD),
    _e("api-signal-merge", "Merge a duplicate signal", activity=VOICE, resource="signals", subject="signal", post=COORD),
    _e("api-signal-route", "Route a signal to an owner", activity=VOICE, resource="signals", subject="signal", post=COORD),
    _e("api-signal-start", "Work on a signal (owner)", activity=VOICE, resource="signals", subject="signal", post=OWNERS),
    _e("api-signal-answer", "Answer a signal (owner)", activity=VOICE, resource="signals", subject="signal", post=OWNERS),
    _e("api-signal-reopen", "Reopen an answered signal (who raised it)", activity=VOICE, resource="signals", subject="signal", post=OWN_KP),
    _e("api-signal-close", "Close a signal", activity=VOICE, resource="signals", subject="signal", post=COORD),
    _e("api-consultation-list", "Consultations (scoped); ask one", activity=VOICE, resource="consultations",
       get={K: Scope.OWN, C: Scope.REGION, **ASKERS}, post=ASKERS),
    _e("api-consultation-detail", "A consultation", activity=VOICE, resource="consultations", subject="consultation",
       get={K: Scope.OWN, C: Scope.REGION, **ASKERS}),
    _e("api-consultation-answers", "Give advice", activity=VOICE, resource="consultations", subject="consultation", post=OWN_KP),
    _e("api-consultation-meeting", "Record the meeting", activity=VOICE, resource="consultations", subject="consultation", post=ASKERS),
    _e("api-consultation-close", "Close for answers", activity=VOICE, resource="consultations", subject="consultation", post=ASKERS),
    _e("api-consultation-outcome", "Share the outcome", activity=VOICE, resource="consultations", subject="consultation", post=ASKERS),
    _e("api-reach", "Reach figures (aggregates only)", resource="reach", get=AGGREGATES),
)

MATRIX: dict[str, Endpoint] = {e.name: e for e in MATRIX_ENTRIES}
if len(MATRIX) != len(MATRIX_ENTRIES):  # pragma: no cover - a typo in the table above
    raise RuntimeError("Two entries of the permission matrix have the same name.")


def endpoint_for(view_name: str | None) -> Endpoint | None:
    """The matrix entry of a resolved URL name; the admin is one entry for all its pages."""
    if not view_name:
        return None
    if view_name.startswith("admin:"):
        return MATRIX["admin:*"]
    return MATRIX.get(view_name)


class Outcome(StrEnum):
    ALLOW = "allow"
    UNKNOWN = "unknown"  # no entry: refused, and a test fails
    METHOD = "method"  # 405
    LOGIN = "login"  # not signed in: 401 (API) or to the login page (web)
    VERIFY = "verify"  # signed in with the password only: to the second-factor page
    ROLE = "role"  # 403


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    endpoint: Endpoint | None = None

    @property
    def allowed(self) -> bool:
        return self.outcome is Outcome.ALLOW


def decide(view_name: str | None, method: str, user: object, *, roles: Iterable[str], verified: bool) -> Decision:
    """Whether `user` (holding `roles`) may call the endpoint `view_name` with `method`.

    `verified` says whether the user passed the second factor (or came with an API token).
    """
    endpoint = endpoint_for(view_name)
    if endpoint is None:
        return Decision(Outcome.UNKNOWN)
    method = method.upper()
    allowed = endpoint.roles_for(method)
    if not allowed:
        return Decision(Outcome.METHOD, endpoint)
    if ANYONE in allowed and allowed[ANYONE] in (Scope.PUBLIC, Scope.SECRET):
        return Decision(Outcome.ALLOW, endpoint)
    if not getattr(user, "is_authenticated", False):
        return Decision(Outcome.LOGIN, endpoint)
    if allowed.get(ANYONE) is Scope.SIGN_IN:
        return Decision(Outcome.ALLOW, endpoint)
    if not verified:
        return Decision(Outcome.VERIFY, endpoint)
    if ANYONE in allowed or set(roles) & set(allowed):
        return Decision(Outcome.ALLOW, endpoint)
    return Decision(Outcome.ROLE, endpoint)
