"""Minimal settings for a rate-limited LLM proxy: no database needed."""

import hashlib
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
CHAT_LIMIT = os.environ.get("CHAT_LIMIT", "10/m")


def _api_key_users() -> dict[str, str]:
    """API_KEYS="alice:<key>,bob:<key>" from the environment, as {sha256 of the key: user}."""
    raw = os.environ.get("API_KEYS", "")
    if not raw:
        raise ImproperlyConfigured("Set the API_KEYS environment variable (user:key pairs, comma-separated).")
    pairs = (item.split(":", 1) for item in raw.split(","))
    return {hashlib.sha256(key.encode()).hexdigest(): user for user, key in pairs}


API_KEY_USERS = _api_key_users()

# Errors (a 500 and its traceback) go to stderr; Django's default sends them only to ADMINS by email.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
