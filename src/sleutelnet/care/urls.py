"""Pages of care."""

from django.urls import path

from sleutelnet.care import views

app_name = "care"

urlpatterns = [
    path("coordinator/care/", views.overview, name="overview"),
    path("coordinator/key-persons/<uuid:uuid>/care/", views.key_person, name="key_person"),
    path("coordinator/key-persons/<uuid:uuid>/care/step/", views.complete_step, name="step"),
    path("coordinator/key-persons/<uuid:uuid>/care/vog/", views.record_vog, name="vog"),
    path("coordinator/key-persons/<uuid:uuid>/care/agreement/", views.record_agreement, name="agreement"),
    path("coordinator/key-persons/<uuid:uuid>/care/birth-date/", views.record_birth_date, name="birth_date"),
    path("coordinator/key-persons/<uuid:uuid>/care/certificate/", views.issue_certificate, name="certificate"),
    path("coordinator/key-persons/<uuid:uuid>/care/check-in/", views.log_check_in, name="check_in"),
    path("coordinator/key-persons/<uuid:uuid>/care/activate/", views.activate, name="activate"),
    path("coordinator/key-persons/<uuid:uuid>/care/statement/", views.sign_statement, name="sign_statement"),
    path("coordinator/key-persons/<uuid:uuid>/care/statement.pdf", views.statement_download, name="statement_pdf"),
    path("coordinator/trainings/", views.trainings, name="trainings"),
    path("coordinator/trainings/<uuid:uuid>/", views.course, name="course"),
    path("coordinator/trainings/sessions/<uuid:uuid>/", views.session, name="session"),
    path("me/experience/", views.my_experience, name="my_experience"),
    path("me/experience.pdf", views.my_experience_pdf, name="my_experience_pdf"),
]
