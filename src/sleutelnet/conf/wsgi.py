"""WSGI entry point (gunicorn sleutelnet.conf.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sleutelnet.conf.settings")
application = get_wsgi_application()
