"""token-auth: log in for a bearer token; the endpoint answers 401 without a valid one."""

import httpx
import pytest

from tests.samples.harness import FRAMEWORKS, django_sample, fastapi_sample

CREATE_ALICE = "from django.contrib.auth.models import User; User.objects.create_user('alice', password='wonderland')"


def make_sample(framework: str):
    if framework == "fastapi":
        return fastapi_sample("token_auth")  # its user store is a dict in the sample
    return django_sample(
        "token_auth",
        setup=[["-m", "django", "migrate", "--noinput"], ["-m", "django", "shell", "-c", CREATE_ALICE]],
    )


@pytest.fixture(scope="module", params=FRAMEWORKS)
def api(request, tmp_path_factory):
    db = tmp_path_factory.mktemp("token_auth") / "db.sqlite3"
    with make_sample(request.param).serve({"DATABASE_PATH": str(db)}) as url:
        with httpx.Client(base_url=url, timeout=10) as client:
            yield client


def log_in(api, password: str = "wonderland") -> httpx.Response:
    return api.post("/api/token", data={"username": "alice", "password": password})


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
