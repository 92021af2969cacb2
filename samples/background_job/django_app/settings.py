"""Settings for a project whose tasks are stored in the database by django-tasks-db."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = "sample-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django_tasks_db",  # the task table, the db_worker command
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "django_app.urls"
USE_TZ = True

# --8<-- [start:tasks]
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# --8<-- [end:tasks]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("DATABASE_PATH", BASE_DIR / "db.sqlite3"),
        # The web server and the worker share the file: wait for locks instead of failing.
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 10, "init_command": "PRAGMA journal_mode=WAL;"},
    }
}
