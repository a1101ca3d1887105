"""The app config of the admin, pointing Django at our admin site (`core.admin_site`)."""

from django.contrib.admin.apps import AdminConfig


class SleutelnetAdminConfig(AdminConfig):
    """The admin site for administrators of a region."""

    default_site = "sleutelnet.core.admin_site.SleutelnetAdminSite"
