"""admin-interface: log in through the admin's own form, open the Documents list, add one, see it listed.

The test drives the HTML like a person would (follow the "Documents" link, the add link, the Save
button), so the same steps work for Django's admin and for SQLAdmin despite their different URLs.
"""

import re
from urllib.parse import urljoin

import httpx
import lxml.html
import pytest

from tests.samples.harness import FRAMEWORKS, TEST_SECRET_KEY, django_sample, fastapi_sample

PASSWORD = "correct-horse-battery-staple"
SUPERUSER = {
    "DJANGO_SUPERUSER_USERNAME": "admin",
    "DJANGO_SUPERUSER_EMAIL": "admin@example.com",
    "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
}


def make_sample(framework: str):
    if framework == "fastapi":
        return fastapi_sample(
            "admin_interface",
            env={"ADMIN_USERNAME": "admin", "ADMIN_PASSWORD": PASSWORD, "ADMIN_SECRET_KEY": TEST_SECRET_KEY},
        )
    return django_sample(
        "admin_interface",
        env=SUPERUSER,
        setup=[["-m", "django", "migrate", "--noinput"], ["-m", "django", "createsuperuser", "--noinput"]],
    )


@pytest.fixture(scope="module", params=FRAMEWORKS)
def base_url(request, tmp_path_factory):
    db = tmp_path_factory.mktemp("admin") / "db.sqlite3"
    with make_sample(request.param).serve({"DATABASE_URL": f"sqlite:///{db}", "DATABASE_PATH": str(db)}) as url:
        yield url


def page(response: httpx.Response):
    assert response.status_code == 200, (response.status_code, response.url, response.text[:500])
    return lxml.html.fromstring(response.text, base_url=str(response.url))


def submit(client: httpx.Client, response: httpx.Response, form, fields: dict[str, str], button: str | None = None):
    """Send a form as a browser would: its hidden inputs, our fields, and the clicked button."""
    values = dict(form.form_values())
    values.update(fields)
    if button:
        clicked = [
            b
            for b in form.xpath(".//input[@type='submit'] | .//button[@type='submit']")
            if (b.get("value") or b.text_content()).strip() == button
        ]
        assert clicked, f"no {button!r} button"
        if clicked[0].get("name"):
            values[clicked[0].get("name")] = clicked[0].get("value", "")
    action = urljoin(str(response.url), form.get("action") or str(response.url))
    return client.post(action, data=values)


def link(doc, text_pattern: str) -> str:
    for a in doc.iter("a"):
        if re.fullmatch(text_pattern, " ".join(a.text_content().split()), flags=re.IGNORECASE):
            return a.get("href")
    raise AssertionError(f"no link matching {text_pattern!r}")


def is_login_page(doc) -> bool:
    return bool(doc.xpath("//form[.//input[@type='password']]"))


def log_in(client: httpx.Client, password: str) -> httpx.Response:
    response = client.get("/admin/")
    doc = page(response)
    assert is_login_page(doc), "the admin must ask for a login first"
    form = doc.xpath("//form[.//input[@type='password']]")[0]
    return submit(client, response, form, {"username": "admin", "password": password})


def test_wrong_password_stays_on_the_login_page(base_url):
    with httpx.Client(base_url=base_url, follow_redirects=True, timeout=10) as client:
        response = log_in(client, "wrong")
        assert response.status_code in (200, 400)
        assert is_login_page(lxml.html.fromstring(response.text))


def test_log_in_add_a_document_and_see_it_in_the_list(base_url):
    with httpx.Client(base_url=base_url, follow_redirects=True, timeout=10) as client:
        index = page(log_in(client, PASSWORD))
        assert not is_login_page(index)

        list_page = client.get(urljoin(base_url + "/admin/", link(index, "Documents")))
        list_doc = page(list_page)

        add_page = client.get(urljoin(str(list_page.url), link(list_doc, r"\+? ?(add|new) document")))
        add_doc = page(add_page)
        form = add_doc.xpath("//form[.//*[@name='title']]")[0]
        saved = submit(client, add_page, form, {"title": "Quarterly report", "body": "Revenue grew."}, button="Save")
        saved_doc = page(saved)
        assert saved.url.path == list_page.url.path, "Save returns to the list"
        assert "Quarterly report" in saved_doc.text_content()

    # Without the session cookie the same list page only offers a login form.
    with httpx.Client(follow_redirects=True, timeout=10) as anonymous:
        response = anonymous.get(str(list_page.url))
        assert is_login_page(page(response))
        assert "Quarterly report" not in response.text


@pytest.fixture
def framework(request, base_url) -> str:
    return request.node.callspec.params["base_url"]


def test_forms_are_protected_from_other_sites(base_url, framework):
    with httpx.Client(base_url=base_url, follow_redirects=True, timeout=10) as client:
        index = log_in(client, PASSWORD)
        cookies = [h for r in [*index.history, index] for h in r.headers.get_list("set-cookie")]
        session = next(c for c in cookies if c.lower().startswith(("session=", "sessionid=")))
        list_page = client.get(urljoin(base_url + "/admin/", link(page(index), "Documents")))
        add_page = client.get(urljoin(str(list_page.url), link(page(list_page), r"\+? ?(add|new) document")))
        form = page(add_page).xpath("//form[.//*[@name='title']]")[0]
        hidden = {name for name, _ in form.form_values() if "csrf" in name.lower()}
        if framework == "django":
            # Django's admin puts a CSRF token in every form and refuses a POST without it.
            assert hidden == {"csrfmiddlewaretoken"}
            action = urljoin(str(add_page.url), form.get("action") or str(add_page.url))
            assert client.post(action, data={"title": "forged", "body": ""}).status_code == 403
        else:
            # SQLAdmin's forms have no token; the session cookie is SameSite=Strict, so a browser does not
            # send it with a form posted from another site, and it expires after eight hours.
            assert hidden == set()
            assert "samesite=strict" in session.lower() and "max-age=28800" in session.lower(), session


def test_who_serves_the_admin_stylesheets(base_url, framework):
    # SQLAdmin serves its own CSS; Django's admin leaves static files to collectstatic and the web
    # server (or WhiteNoise), so with DEBUG off and neither in place its stylesheet is a 404.
    response = httpx.get(base_url + "/admin/", follow_redirects=True, timeout=10)
    stylesheet = page(response).xpath("//link[@rel='stylesheet']/@href")[0]
    status = httpx.get(urljoin(str(response.url), stylesheet), timeout=10).status_code
    assert status == (200 if framework == "fastapi" else 404), stylesheet
