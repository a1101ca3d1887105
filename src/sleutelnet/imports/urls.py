"""Pages of imports."""

from django.urls import path

from sleutelnet.imports import views

app_name = "imports"

urlpatterns = [
    path("coordinator/imports/", views.index, name="index"),
    path("coordinator/imports/template/<slug:kind>.<str:fmt>", views.template, name="template"),
    path("coordinator/imports/<uuid:uuid>/", views.detail, name="detail"),
    path("coordinator/imports/<uuid:uuid>/undo/", views.undo, name="undo"),
    path("coordinator/imports/<uuid:uuid>/errors.<str:fmt>", views.errors, name="errors"),
]
