"""Calendar feed URLs. The feed path is fixed: phones keep it."""

from django.urls import path, re_path

from sleutelnet.notifications import views

app_name = "notifications"

urlpatterns = [
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{20,100})\.ics$", views.calendar_feed, name="calendar_feed"),
    path("me/calendar/", views.calendar_feed_create, name="calendar_feed_create"),
    path("me/calendar/stop/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
]
