"""Settings as `startproject` makes them (class "stock") or as Django's production docs advise
(class "tuned"), with DEBUG off and the variant's URLconf. BENCH_CLASS picks the class.

stock: the seven startproject middleware, CONN_MAX_AGE=0 (a new connection per request).
tuned: under ASGI no middleware at all, because every MiddlewareMixin middleware hops to a thread
for its request and response halves ("you will only get the benefits of a fully-asynchronous
request stack if you have no synchronous middleware loaded", Django's async docs), and psycopg's
connection pool for PostgreSQL (Django's docs: disable persistent connections under ASGI and use
the backend's pool); under WSGI the default middleware stays (it costs no thread hops there) and
connections persist (CONN_MAX_AGE=60 with health checks, the deployment checklist's advice).
"""

import os

from bench.apps import common

VARIANT = os.environ.get("BENCH_DJANGO_VARIANT", "sync")
CLASS = os.environ.get("BENCH_CLASS", "stock")
ASGI = VARIANT in ("async", "ninja")
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
STARTPROJECT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
MIDDLEWARE = [] if (CLASS == "tuned" and ASGI) else STARTPROJECT_MIDDLEWARE
CONN_MAX_AGE = 60 if (CLASS == "tuned" and not ASGI) else 0
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": common.db_path(),
        "CONN_MAX_AGE": CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": CONN_MAX_AGE > 0,
    },
}
if common.pg_dsn():
    pg = common.pg_params()
    DATABASES["pg"] = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": pg["dbname"],
        "USER": pg["user"],
        "HOST": pg["host"],
        "PORT": pg["port"],
        "CONN_MAX_AGE": CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": CONN_MAX_AGE > 0,
    }
    if CLASS == "tuned" and ASGI:
        DATABASES["pg"]["OPTIONS"] = {"pool": {"min_size": 4, "max_size": common.PG_POOL_MAX}}
USE_TZ = True
LOGGING_CONFIG = None
