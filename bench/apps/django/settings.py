"""Settings as `startproject` makes them, with DEBUG off and the variant's URLconf.

Kept deliberately close to the defaults people deploy (the full default MIDDLEWARE list,
CONN_MAX_AGE=0) rather than trimmed for speed: the guide compares frameworks as used.
"""

import os

from bench.apps import common

VARIANT = os.environ.get("BENCH_DJANGO_VARIANT", "sync")
URLCONFS = {
    "sync": "bench.apps.django.sync_views",
    "async": "bench.apps.django.async_views",
    "ninja": "bench.apps.django.ninja_api",
    "drf": "bench.apps.django.drf_views",
}

SECRET_KEY = "benchmark-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = URLCONFS[VARIANT]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "bench.apps.django.apps.BenchConfig",
]
if VARIANT == "drf":
    INSTALLED_APPS.append("rest_framework")
    REST_FRAMEWORK = {
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    }
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": common.db_path()},
}
USE_TZ = True
LOGGING_CONFIG = None
