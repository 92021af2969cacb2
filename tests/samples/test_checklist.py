"""What samples/README.md's checklist asks of every sample and a program can check, read from the source
(no server runs): no secrets in the code, Django settings, and a request-body limit on every app."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

from tests.samples.harness import PYTHON, SAMPLES, sample_env

SOURCES = sorted(p for p in SAMPLES.rglob("*.py") if "__pycache__" not in p.parts)
DJANGO_SETTINGS = sorted(SAMPLES.glob("*/django_app/settings.py"))
FASTAPI_MODULES = sorted(SAMPLES.glob("*/fastapi_app/*.py"))
MIB = 1024 * 1024

# Names that hold a secret: SECRET_KEY, ADMIN_PASSWORD, api_key, access_token ... (not token_type, tokenUrl).
SECRET_NAME = re.compile(r"secret|passw|api_?key|private_?key|(^|_)token$", re.IGNORECASE)
# Functions that turn a password into something stored: a literal argument is a working login.
HASHING = re.compile(r"hash|make_password|create_user|create_superuser|set_password", re.IGNORECASE)


def _literal(node: ast.AST | None) -> bool:
    """A hard-coded, non-empty string (or an f-string, which is one with holes)."""
    return (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip() != "") or isinstance(
        node, ast.JoinedStr
    )


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ""


def secret_violations(source: str) -> list[str]:
    """Each place in `source` where a secret is written into the code, as 'line N: what'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, (ast.Assign, ast.AnnAssign)):  # SECRET_KEY = "..."
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if SECRET_NAME.search(_name(target)) and _literal(node.value):
                    found.append(f"line {line}: {_name(target)} is a literal")
        elif isinstance(node, ast.Dict):  # {"SECRET_KEY": "..."}
            for key, value in zip(node.keys, node.values, strict=True):
                if key is not None and SECRET_NAME.search(_name(key)) and _literal(value):
                    found.append(f"line {line}: {_name(key)} is a literal")
        elif isinstance(node, ast.Call):
            function = _name(node.func)
            for keyword in node.keywords:  # AdminAuth(secret_key="..."), create_user(password="...")
                if keyword.arg and SECRET_NAME.search(keyword.arg) and _literal(keyword.value):
                    found.append(f"line {line}: {keyword.arg}= is a literal")
            # os.environ.get("SECRET_KEY", "...") and os.getenv(...): a silent fallback to a known secret
            if (
                function in ("get", "getenv", "setdefault")
                and len(node.args) >= 2
                and SECRET_NAME.search(_name(node.args[0]))
                and _literal(node.args[1])
            ):
                found.append(f"line {line}: {_name(node.args[0])} falls back to a literal")
            # hash_password("wonderland"): a working password in the code
            if HASHING.search(function) and any(_literal(arg) for arg in node.args):
                found.append(f"line {line}: {function}() of a literal")
    return found


@pytest.mark.parametrize(
    "bad",
    [
        'SECRET_KEY = "sample-only-not-a-secret"',
        'SECRET_KEY = os.environ.get("SECRET_KEY", "sample-only-not-a-secret")',
        'SECRET_KEY = os.getenv("DJANGO_SECRET_KEY", "x")',
        'ADMIN_PASSWORD: str = "hunter2"',
        'USERS = {"alice": hash_password("wonderland")}',
        'User.objects.create_user("alice", password="wonderland")',
        'auth = AdminAuth(secret_key="abc")',
        'CONFIG = {"api_key": "sk-123"}',
        'settings.SECRET_KEY = f"key-{1}"',
    ],
)
def test_the_scanner_finds_a_hard_coded_secret(bad):
    assert secret_violations("import os\n" + bad + "\n")


def test_the_scanner_accepts_secrets_from_the_environment():
    good = """
import os, secrets
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ADMIN_PASSWORD = required("ADMIN_PASSWORD")
DUMMY_HASH = password_hash.hash(secrets.token_urlsafe(16))
token = Token(access_token=token, token_type="bearer")
scheme = OAuth2PasswordBearer(tokenUrl="/api/token")
SECRET = os.environ.get("SECRET_KEY") or fail()
"""
    assert secret_violations(good) == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_no_sample_has_a_secret_in_its_source(path: Path):
    assert secret_violations(path.read_text(encoding="utf-8")) == []


def _settings(path: Path) -> dict[str, ast.expr]:
    return {
        target.id: node.value
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


@pytest.mark.parametrize("path", DJANGO_SETTINGS, ids=lambda p: p.parts[-3])
def test_django_settings_follow_the_checklist(path: Path):
    settings = _settings(path)
    literal = {
        name: ast.literal_eval(value) for name, value in settings.items() if name in ("DEBUG", "USE_TZ", "TIME_ZONE")
    }
    assert literal == {"DEBUG": False, "USE_TZ": True, "TIME_ZONE": "UTC"}
    assert ast.unparse(settings["SECRET_KEY"]) == "os.environ.get('DJANGO_SECRET_KEY', '')"
    logging = ast.literal_eval(settings["LOGGING"])
    assert logging["root"]["handlers"] and logging["root"]["level"] in ("WARNING", "INFO", "ERROR")
    assert eval(compile(ast.Expression(settings["DATA_UPLOAD_MAX_MEMORY_SIZE"]), str(path), "eval")) <= MIB
    apps = ast.literal_eval(settings.get("INSTALLED_APPS", ast.List(elts=[])))
    if "rest_framework" in apps and "TEMPLATES" not in settings:
        renderers = ast.literal_eval(settings["REST_FRAMEWORK"])["DEFAULT_RENDERER_CLASSES"]
        assert renderers == ["rest_framework.renderers.JSONRenderer"]


@pytest.mark.parametrize("value", [None, ""])
@pytest.mark.parametrize("path", DJANGO_SETTINGS, ids=lambda p: p.parts[-3])
def test_django_settings_refuse_to_load_without_a_secret_key(path: Path, value: str | None):
    env = sample_env(path.parent.parent, {} if value is None else {"DJANGO_SECRET_KEY": value})
    result = subprocess.run(
        [PYTHON, "-c", "import django_app.settings"],
        cwd=path.parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set the DJANGO_SECRET_KEY environment variable." in result.stderr


def _fastapi_apps(path: Path) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and _name(node.func) == "FastAPI"
    ]


def test_every_fastapi_sample_creates_an_app():
    tasks_with_app = {p.parts[-3] for p in FASTAPI_MODULES if _fastapi_apps(p)}
    assert tasks_with_app == {p.parts[-3] for p in DJANGO_SETTINGS}


@pytest.mark.parametrize("path", [p for p in FASTAPI_MODULES if _fastapi_apps(p)], ids=lambda p: p.parts[-3])
def test_every_fastapi_app_caps_the_request_body(path: Path):
    for call in _fastapi_apps(path):
        limit = next((k.value for k in call.keywords if k.arg == "max_body_size"), None)
        assert limit is not None, f"{path}: FastAPI(...) without max_body_size reads bodies of any size"
        assert eval(compile(ast.Expression(limit), str(path), "eval")) <= MIB


@pytest.mark.parametrize("task", ["admin_interface", "token_auth"])
def test_fastapi_samples_with_secrets_refuse_to_start_without_them(task: str):
    result = subprocess.run(
        [PYTHON, "-c", "import fastapi_app.main"],
        cwd=SAMPLES / task,
        env=sample_env(SAMPLES / task),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert re.search(r"RuntimeError: Set the [A-Z_]+ environment variable\.", result.stderr), result.stderr[-500:]
