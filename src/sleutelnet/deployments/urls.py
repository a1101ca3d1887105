"""Pages of the deployments app. The paths are fixed: e-mails link to them."""

from django.urls import path

from sleutelnet.deployments import views

app_name = "deployments"

urlpatterns = [
    # coordinator
    path("coordinator/", views.coordinator_queue, name="coordinator_queue"),
    path("coordinator/requests/export.<str:fmt>", views.coordinator_requests_export, name="coordinator_requests_export"),
    path("coordinator/requests/<uuid:uuid>/", views.coordinator_request, name="coordinator_request"),
    path("coordinator/requests/<uuid:uuid>/offer/", views.coordinator_offer, name="coordinator_offer"),
    path("coordinator/requests/<uuid:uuid>/cancel/", views.coordinator_cancel_request, name="coordinator_cancel_request"),
    path("coordinator/assignments/<uuid:uuid>/cancel/", views.coordinator_cancel_assignment, name="coordinator_cancel_assignment"),
    path("coordinator/plan/", views.coordinator_plan, name="coordinator_plan"),
    path("coordinator/plan/export.json", views.coordinator_plan_export, name="coordinator_plan_export"),
    path("coordinator/plan/import/", views.coordinator_plan_import, name="coordinator_plan_import"),
    path("coordinator/plan/send/", views.coordinator_plan_send, name="coordinator_plan_send"),
    path("coordinator/approvals/", views.approvals, name="approvals"),
    path("coordinator/approvals/<uuid:uuid>/approve/", views.approve, name="approve"),
    path("coordinator/approvals/<uuid:uuid>/return/", views.return_report, name="return_report"),
    # requester
    path("requests/", views.request_list, name="request_list"),
    path("requests/export.<str:fmt>", views.request_list_export, name="request_list_export"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<uuid:uuid>/", views.request_detail, name="request_detail"),
    path("requests/<uuid:uuid>/edit/", views.request_edit, name="request_edit"),
    path("requests/<uuid:uuid>/cancel/", views.request_cancel, name="request_cancel"),
    # key person
    path("me/", views.portal, name="portal"),
    path("me/hours/", views.hours, name="hours"),
    path("me/offers/", views.offers, name="offers"),
    path("me/offers/<uuid:uuid>/accept/", views.offer_accept, name="offer_accept"),
    path("me/offers/<uuid:uuid>/decline/", views.offer_decline, name="offer_decline"),
    path("me/agenda/", views.agenda, name="agenda"),
    path("me/assignments/<uuid:uuid>/withdraw/", views.assignment_withdraw, name="assignment_withdraw"),
    path("me/assignments/<uuid:uuid>/report/", views.report, name="report"),
    path("me/assignments/<uuid:uuid>/calendar.ics", views.assignment_calendar, name="assignment_calendar"),
]
