"""testing-endpoint: each sample *is* a test suite; run it with its framework's own runner.

The FastAPI sample is a pytest module using TestClient with a dependency override; the Django sample
is a `django.test` test case run by `manage.py test` (here `python -m django test`). Both must pass
and run exactly three tests. The endpoints are then served for real against the local fake LLM.
"""

import re

import httpx
import pytest

from tests.samples.harness import FRAMEWORKS, PYTHON, django_sample, fake_llm, fastapi_sample, run

SAMPLES = {"fastapi": fastapi_sample("testing_endpoint"), "django": django_sample("testing_endpoint")}
COMMANDS = {
    "fastapi": ["-m", "pytest", "-q", "-p", "no:cacheprovider", "fastapi_app/test_main.py"],
    "django": ["-m", "django", "test", "django_app", "-v", "2"],
}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_sample_test_suite_passes(framework):
    sample = SAMPLES[framework]
    result = run([PYTHON, *COMMANDS[framework]], cwd=sample.app_dir, env=sample.environ())
    output = result.stdout + result.stderr
    if framework == "fastapi":
        assert re.search(r"^3 passed\b", output, re.MULTILINE), output
        assert "failed" not in output and "error" not in output.lower().replace("deprecationwarning", "")
    else:
        assert re.search(r"^Ran 3 tests\b", output, re.MULTILINE), output
        assert re.search(r"^OK$", output, re.MULTILINE), output


@pytest.fixture(scope="module")
def upstream():
    with fake_llm() as url:
        yield url


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_tested_endpoint_works_against_an_llm(framework, upstream):
    with SAMPLES[framework].serve({"LLM_BASE_URL": upstream}) as url:
        ok = httpx.post(url + "/api/summaries", json={"text": "A long report."}, timeout=10)
        assert ok.status_code == 200, ok.text
        assert ok.json() == {"summary": "[alpha] You said: Summarise: A long report."}
