"""Pages of allowances. The paths are fixed: e-mails link to them."""

from django.urls import path

from sleutelnet.allowances import views

app_name = "allowances"

urlpatterns = [
    # coordinator
    path("coordinator/allowances/", views.statements, name="statements"),
    path("coordinator/allowances/export.<str:fmt>", views.payment_export, name="payment_export"),
    path("coordinator/allowances/sepa.xml", views.sepa_export, name="sepa_export"),
    path("coordinator/allowances/key-persons/<uuid:uuid>/", views.key_person, name="key_person"),
    path("coordinator/allowances/key-persons/<uuid:uuid>/approve/", views.statement_approve, name="statement_approve"),
    path("coordinator/allowances/key-persons/<uuid:uuid>/declare/", views.declare, name="declare"),
    path("coordinator/allowances/key-persons/<uuid:uuid>/declared/withdraw/", views.declared_withdraw, name="declared_withdraw"),
    path("coordinator/allowances/key-persons/<uuid:uuid>/payment-details/", views.payment_details, name="payment_details"),
    path("coordinator/claims/", views.claims, name="claims"),
    path("coordinator/claims/<uuid:uuid>/", views.claim, name="claim"),
    # the receipt: the claim's key person and the region's coordinators
    path("claims/<uuid:uuid>/receipt", views.claim_receipt, name="claim_receipt"),
    # key person
    path("me/expenses/", views.my_claims, name="my_claims"),
    path("me/expenses/new/", views.my_claim_new, name="my_claim_new"),
]
