"""WSGI entry point (gunicorn serves ``metalloop.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metalloop.settings")
application = get_wsgi_application()
