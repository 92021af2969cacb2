"""Django is configured once, here, for every probe (FastAPI needs no set-up).

The settings are those of a fresh `startproject` where it matters (middleware, templates), plus the
companion packages the facts name and that requirements.lock installs. The database is a SQLite file in a
temporary folder, migrated once per test session by the `django_db` fixture.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import django
import pytest
from django.conf import settings

_TMP = Path(tempfile.mkdtemp(prefix="probes-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="probes-only-not-secret",
        ALLOWED_HOSTS=["*"],
        USE_TZ=True,
        USE_I18N=True,
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(_TMP / "probes.sqlite3")}},
        INSTALLED_APPS=[
            "django.contrib.admin",
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "rest_framework",
            "rest_framework.authtoken",
            "drf_spectacular",
            "ninja",
            "django_tasks_db",
        ],
        MIDDLEWARE=[  # the list `startproject` writes (a probe checks the template still has it)
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
        ],
        ROOT_URLCONF="djangokit",
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [],
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.template.context_processors.csp",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                    ]
                },
            }
        ],
        REST_FRAMEWORK={"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"},
        STATIC_URL="static/",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()


@pytest.fixture(scope="session")
def django_db() -> None:
    """A migrated database for the probes that need one."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
