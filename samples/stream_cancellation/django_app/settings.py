"""Minimal settings for an LLM proxy: no database needed."""

import os

from django.core.exceptions import ImproperlyConfigured

# Never in source: one per deployment, e.g. python -c "import secrets; print(secrets.token_urlsafe(50))"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set the DJANGO_SECRET_KEY environment variable.")

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

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

LLM_BASE_URL = os.environ.get("LLM_BASE_URL", "http://127.0.0.1:8001")

# Errors (a 500 and its traceback) go to stderr; Django's default sends them only to ADMINS by email.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
