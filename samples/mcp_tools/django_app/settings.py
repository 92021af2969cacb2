"""Minimal settings for an API with MCP tools beside it: no database needed."""

import os

from django.core.exceptions import ImproperlyConfigured

# Never in source: one per deployment, e.g. python -c "import secrets; print(secrets.token_urlsafe(50))"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set the DJANGO_SECRET_KEY environment variable.")

DEBUG = False
# Django answers 400 to any other Host; django-mcpz also refuses (403) an Origin outside this list, so a web
# page cannot reach the MCP view through DNS rebinding.
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = []
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "django_app.urls"
DATABASES = {}
USE_TZ = True
TIME_ZONE = "UTC"
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # request bodies over 1 MiB are refused (default 2.5 MB)

# Errors (a 500 and its traceback) go to stderr; Django's default sends them only to ADMINS by email.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
