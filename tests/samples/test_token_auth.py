"""token-auth: log in for a bearer token; the endpoint answers 401 without a valid one."""

import secrets
import statistics
import time
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from pwdlib import PasswordHash

from tests.samples.harness import FRAMEWORKS, django_sample, fastapi_sample

PASSWORD = secrets.token_urlsafe(12)  # made per run: no working login is written down anywhere
JWT_SECRET = secrets.token_urlsafe(32)
CREATE_ALICE = f"from django.contrib.auth.models import User; User.objects.create_user('alice', password='{PASSWORD}')"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def make_sample(framework: str):
    if framework == "fastapi":  # one user, from the environment
        env = {
            "JWT_SECRET_KEY": JWT_SECRET,
            "APP_USERNAME": "alice",
            "APP_PASSWORD_HASH": PasswordHash.recommended().hash(PASSWORD),
        }
        return fastapi_sample("token_auth", env=env)
    return django_sample(
        "token_auth",
        setup=[["-m", "django", "migrate", "--noinput"], ["-m", "django", "shell", "-c", CREATE_ALICE]],
    )


@pytest.fixture(scope="module", params=FRAMEWORKS)
def api(request, tmp_path_factory):
    db = tmp_path_factory.mktemp("token_auth") / "db.sqlite3"
    with (
        make_sample(request.param).serve({"DATABASE_PATH": str(db)}) as url,
        httpx.Client(base_url=url, timeout=10) as client,
    ):
        client.framework = request.param
        yield client


def log_in(api, password: str = PASSWORD, username: str = "alice") -> httpx.Response:
    return api.post("/api/token", data={"username": username, "password": password})


def token_from(response: httpx.Response) -> str:
    body = response.json()
    # OAuth2 (FastAPI) calls it access_token; DRF's obtain_auth_token calls it token.
    tokens = [body[k] for k in ("access_token", "token") if k in body]
    assert len(tokens) == 1 and isinstance(tokens[0], str) and len(tokens[0]) >= 20, body
    return tokens[0]


def test_a_valid_token_gets_the_user(api):
    response = log_in(api)
    assert response.status_code == 200, response.text
    token = token_from(response)
    me = api.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json() == {"username": "alice"}


def test_wrong_password_gets_no_token(api):
    response = log_in(api, password="guess")
    assert response.status_code == 400
    assert not {"access_token", "token"} & set(response.json())


@pytest.mark.parametrize("header", [None, "Bearer not-a-real-token", "Basic YWxpY2U6d29uZGVybGFuZA=="])
def test_missing_or_bad_credentials_are_401_with_a_bearer_challenge(api, header):
    headers = {"Authorization": header} if header else {}
    response = api.get("/api/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["detail"]


def test_a_browser_gets_json_not_an_error_page(api):
    response = api.get("/api/me", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/json")


def test_an_unknown_user_takes_as_long_to_refuse_as_a_wrong_password(api):
    times: dict[str, list[float]] = {"alice": [], "nobody": []}
    for round_ in range(9):  # interleaved, alternating who goes first, so load changes affect both alike
        for username in sorted(times, reverse=bool(round_ % 2)):
            started = time.perf_counter()
            assert log_in(api, "wrong", username).status_code == 400
            times[username].append(time.perf_counter() - started)
    known, unknown = statistics.median(times["alice"]), statistics.median(times["nobody"])
    # Without a dummy hash the unknown user is refused over 20 times faster; a loaded machine adds noise.
    assert 0.2 < unknown / known < 5, (known, unknown)


def test_fastapi_tokens_expire_and_drf_keeps_one_token_per_user(api):
    if api.framework == "django":  # one row per user, valid until deleted: every login returns it
        assert token_from(log_in(api)) == token_from(log_in(api))
        return
    claims = jwt.decode(token_from(log_in(api)), JWT_SECRET, algorithms=["HS256"])
    assert claims["exp"] - time.time() <= 30 * 60
    expired = jwt.encode(
        {"sub": "alice", "exp": datetime.now(UTC) - timedelta(seconds=1)}, JWT_SECRET, algorithm="HS256"
    )
    response = api.get("/api/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")
