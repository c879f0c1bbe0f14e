"""WSGI entry point for gunicorn (`gilde serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gilde.settings")
application = get_wsgi_application()
