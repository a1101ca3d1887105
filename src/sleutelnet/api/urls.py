"""URLs of REST API v1, under /api/v1.

No trailing slashes (NLGov API-48): `/api/v1/requests/` is a 404. Paths are kebab-case,
records are addressed by UUID, workflow steps are sub-resources that accept a POST.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from sleutelnet.api import views, voice_views
from sleutelnet.api.openapi import OpenApiJsonView

LIST = {"get": "list"}
LIST_CREATE = {"get": "list", "post": "create"}
DETAIL = {"get": "retrieve"}
DETAIL_UPDATE = {"get": "retrieve", "put": "update", "patch": "partial_update"}


def post(viewset, action):  # type: ignore[no-untyped-def]
    return viewset.as_view({"post": action})


api_patterns = [
    path("openapi.json", OpenApiJsonView.as_view(), name="api-schema"),
    path(
        "docs",
        # The split view serves its init script as a file: no inline script (strict CSP).
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", title="Sleutelnet API v1", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    # vocabularies and organisations
    path("languages", views.LanguageViewSet.as_view(LIST), name="api-language-list"),
    path(
        "key-person-roles",
        views.KeyPersonRoleViewSet.as_view(LIST),
        name="api-key-person-role-list",
    ),
    path("life-domains", views.LifeDomainViewSet.as_view(LIST), name="api-life-domain-list"),
    path("municipalities", views.MunicipalityViewSet.as_view(LIST), name="api-municipality-list"),
    path(
        "municipalities/<uuid:uuid>",
        views.MunicipalityViewSet.as_view(DETAIL),
        name="api-municipality-detail",
    ),
    path("organisations", views.OrganisationViewSet.as_view(LIST), name="api-organisation-list"),
    path(
        "organisations/<uuid:uuid>",
        views.OrganisationViewSet.as_view(DETAIL),
        name="api-organisation-detail",
    ),
    # people
    path("key-persons", views.KeyPersonViewSet.as_view(LIST_CREATE), name="api-key-person-list"),
    path(
        "key-persons/<uuid:uuid>",
        views.KeyPersonViewSet.as_view(DETAIL_UPDATE),
        name="api-key-person-detail",
    ),
    path("newcomers", views.NewcomerViewSet.as_view(LIST_CREATE), name="api-newcomer-list"),
    path(
        "newcomers/<uuid:uuid>",
        views.NewcomerViewSet.as_view(DETAIL_UPDATE),
        name="api-newcomer-detail",
    ),
    path(
        "newcomers/<uuid:uuid>/consents",
        post(views.NewcomerViewSet, "consents"),
        name="api-newcomer-consents",
    ),
    path(
        "consents/<uuid:uuid>/withdraw",
        post(views.ConsentViewSet, "withdraw"),
        name="api-consent-withdraw",
    ),
    # requests and their workflow
    path("requests", views.RequestViewSet.as_view(LIST_CREATE), name="api-request-list"),
    path(
        "requests/<uuid:uuid>",
        views.RequestViewSet.as_view(DETAIL_UPDATE),
        name="api-request-detail",
    ),
    path(
        "requests/<uuid:uuid>/candidates",
        views.RequestViewSet.as_view({"get": "candidates"}),
        name="api-request-candidates",
    ),
    path(
        "requests/<uuid:uuid>/offer", post(views.RequestViewSet, "offer"), name="api-request-offer"
    ),
    path(
        "requests/<uuid:uuid>/cancel",
        post(views.RequestViewSet, "cancel"),
        name="api-request-cancel",
    ),
    # assignments and their workflow
    path("assignments", views.AssignmentViewSet.as_view(LIST), name="api-assignment-list"),
    path(
        "assignments/<uuid:uuid>",
        views.AssignmentViewSet.as_view(DETAIL),
        name="api-assignment-detail",
    ),
    path(
        "assignments/<uuid:uuid>/accept",
        post(views.AssignmentViewSet, "accept"),
        name="api-assignment-accept",
    ),
    path(
        "assignments/<uuid:uuid>/decline",
        post(views.AssignmentViewSet, "decline"),
        name="api-assignment-decline",
    ),
    path(
        "assignments/<uuid:uuid>/cancel",
        post(views.AssignmentViewSet, "cancel"),
        name="api-assignment-cancel",
    ),
    path(
        "assignments/<uuid:uuid>/report",
        post(views.AssignmentViewSet, "report"),
        name="api-assignment-report",
    ),
    path(
        "assignments/<uuid:uuid>/approve",
        post(views.AssignmentViewSet, "approve"),
        name="api-assignment-approve",
    ),
    path(
        "assignments/<uuid:uuid>/return",
        post(views.AssignmentViewSet, "return_report"),
        name="api-assignment-return",
    ),
    # reports and aggregates
    path(
        "activity-reports",
        views.ActivityReportViewSet.as_view(LIST),
        name="api-activity-report-list",
    ),
    path(
        "activity-reports/<uuid:uuid>",
        views.ActivityReportViewSet.as_view(DETAIL),
        name="api-activity-report-detail",
    ),
    path("reach", views.ReachViewSet.as_view({"get": "read"}), name="api-reach"),
    # the voice loop
    path("signals", voice_views.SignalViewSet.as_view(LIST_CREATE), name="api-signal-list"),
    path("signals/<uuid:uuid>", voice_views.SignalViewSet.as_view(DETAIL), name="api-signal-detail"),
    *[
        path(f"signals/<uuid:uuid>/{step}", post(voice_views.SignalViewSet, step), name=f"api-signal-{step}")
        for step in ("triage", "merge", "route", "start", "answer", "reopen", "close")
    ],
    path("consultations", voice_views.ConsultationViewSet.as_view(LIST_CREATE), name="api-consultation-list"),
    path("consultations/<uuid:uuid>", voice_views.ConsultationViewSet.as_view(DETAIL), name="api-consultation-detail"),
    *[
        path(f"consultations/<uuid:uuid>/{step}", post(voice_views.ConsultationViewSet, step), name=f"api-consultation-{step}")
        for step in ("answers", "meeting", "close", "outcome")
    ],
]

# conf/urls.py includes this module at "api/v1" (without a slash); the slash is added here once,
# so the patterns above need no leading slash (and Django's urls.W002 check stays quiet).
urlpatterns = [path("/", include(api_patterns))]
