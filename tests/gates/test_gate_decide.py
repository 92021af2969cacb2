"""The decision page in Chromium: the browser's model agrees with Python's to the last digit, the controls
steer it, the URL holds the state, bad links open a valid state, and without JavaScript the default ranking
is there."""

from __future__ import annotations

import json
import re
from dataclasses import asdict

import pytest

from macros.dataset import load_dataset
from macros.scoring import Model, Settings

pytestmark = [pytest.mark.browser, pytest.mark.build]

PAGE = "/decide/"
PRODUCT = Settings(
    presets=("llm-chat-streaming", "internal-admin-tool", "in-process-model-serving"), answers=("accounts",)
)


@pytest.fixture(scope="module")
def model() -> Model:
    return Model(load_dataset())


def python_result(m: Model, s: Settings) -> dict:
    """What window.fwDecide.compute returns, computed by macros/scoring.py."""
    from macros.views import flip_text

    e = m.explain(s)
    r = m.rank(s)
    split = m.split(s)
    return {
        "scores": dict(r.scores),
        "order": list(r.order),
        "top": list(r.top),
        "close": list(r.close),
        "weights": m.weights(s),
        "leader": e.leader,
        "runner": e.runner_up,
        "gap": e.gap,
        "deciding": [t.criterion for t in e.deciding],
        "against": [t.criterion for t in e.against],
        "ties": [t.criterion for t in e.ties],
        "flips": [{**asdict(f), "top": list(f.top), "text": flip_text(m.ds, f)} for f in e.flips],
        "split": split
        and {
            "leaders": [[n.id, list(top)] for n, top in split.leaders],
            "options": [
                {
                    "frameworks": list(o.frameworks),
                    "score": o.score,
                    "packages": [[c, list(ps)] for c, ps in o.packages],
                    "gaps": list(o.gaps),
                }
                for o in split.options
            ],
        },
    }


def js_settings(s: Settings) -> dict:
    return {
        "presets": list(s.presets),
        "answers": list(s.answers),
        "weights": dict(s.weights),
        "categories": dict(s.categories),
        "values": dict(s.values),
        "status": dict(s.status),
    }


def shown_scores(page) -> dict[str, int]:
    rows = page.locator("#fw-decide-result tr[data-framework]")
    return {
        rows.nth(i).get_attribute("data-framework"): int(rows.nth(i).get_attribute("data-score"))
        for i in range(rows.count())
    }


def test_python_and_javascript_agree_on_every_preset_and_on_mixed_settings(open_page, model: Model):
    visit = open_page(PAGE)
    page = visit.page
    cases = [Settings(presets=(uc.id,)) for uc in model.ds.use_cases]
    cases += [
        PRODUCT,
        Settings(answers=tuple(q.id for q in model.ds.decision.questions)),
        Settings(
            presets=("rag-service",),
            weights={"admin-interface": 3, "cors": 0},
            categories={"security": 3, "devex": 0},
            values={"plugin": 100, "partial": 35},
            status={"maintenance": 20},
        ),
        Settings(),
    ]
    for s in cases:
        got = page.evaluate("s => window.fwDecide.compute(s)", js_settings(s))
        assert got == json.loads(json.dumps(python_result(model, s))), f"the two runtimes differ for {s}"
    assert not visit.console_errors + visit.page_errors


def test_the_page_opens_on_the_default_needs_and_shows_the_static_ranking_first(open_page, model: Model):
    page = open_page(PAGE).page
    expected = model.rank(Settings(presets=tuple(model.ds.decision.defaults.presets))).scores
    assert shown_scores(page) == dict(expected)
    assert page.locator("#p-llm-chat-streaming").is_checked()


def test_moving_a_weight_changes_the_ranking_as_the_model_says(open_page, model: Model):
    page = open_page(PAGE + "?need=llm-chat-streaming").page
    page.locator("summary", has_text="Weights").click()
    slider = page.locator("#w-admin-interface")
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expected = model.rank(Settings(presets=("llm-chat-streaming",), weights={"admin-interface": 3})).scores
    assert page.locator('output[for="w-admin-interface"]').inner_text() == "3"
    assert shown_scores(page) == dict(expected)
    assert "w.admin-interface=3" in page.url
    ranking = model.rank(Settings(presets=("llm-chat-streaming",), weights={"admin-interface": 3}))
    summary = ", ".join(
        f"{model.ds.framework(f).name} {ranking.scores[f] // 10}.{ranking.scores[f] % 10}" for f in ranking.order
    )
    assert page.locator("#fw-decide-summary span").inner_text() == summary


def _plain(summary: str) -> str:
    return " ".join(summary.replace("`", "").split())


def test_the_explanation_quotes_the_summaries_fetched_from_the_column_pages_once(open_page, model: Model):
    """The page carries no summaries: it opens on the server's result; focus in the form fetches the column pages
    of the frameworks the explanation quotes, without redrawing. Drawn by the script, the default result reads
    exactly as the server's (which quotes each deciding fact's summary)."""
    visit = open_page(PAGE)
    page = visit.page
    default = Settings(presets=tuple(model.ds.decision.defaults.presets))
    e = model.explain(default)
    static = page.inner_text("#fw-decide-result")
    assert [u for u in visit.requests if "/comparison/" in u] == []
    for t in e.deciding:
        assert _plain(model.ds.framework(e.leader).facts[t.criterion].summary) in " ".join(static.split())
    # Focus in the form fetches the quoted columns early, without redrawing the result (a live region).
    page.evaluate("document.querySelector('#fw-decide-result h3').dataset.mark = 'server'")
    first = model.ds.decision.defaults.presets[0]
    page.locator(f"#p-{first}").focus()
    page.wait_for_function(
        "ids => ids.every(f => f in window.fwDecide.summaries.found)", arg=[e.leader, e.runner_up], timeout=10_000
    )
    assert page.locator("#fw-decide-result h3[data-mark='server']").count() == 1, "an early fetch redrew the result"
    page.locator(f"#p-{first}").click()  # off, then on again: the same needs, drawn by the script
    page.locator(f"#p-{first}").click()
    page.wait_for_function("!document.querySelector('#fw-decide-result .fw-pending')")
    assert page.inner_text("#fw-decide-result") == static
    fetched = sorted(u.split("/comparison/")[1] for u in visit.requests if "/comparison/" in u)
    assert len(fetched) == len(set(fetched)) and {f"{e.leader}/", f"{e.runner_up}/"} <= set(fetched)
    assert not visit.console_errors + visit.page_errors


def test_a_summary_that_cannot_be_loaded_links_its_column(open_page, model: Model):
    visit = open_page(PAGE)
    page = visit.page
    page.route("**/comparison/*/", lambda route: route.fulfill(status=503, body="unavailable"))
    page.locator("#p-rag-service").click()
    page.wait_for_function("!document.querySelector('#fw-decide-result .fw-pending')")
    links = page.locator("#fw-decide-result .fw-deciding a", has_text="the summary on")
    assert links.count() > 0
    href = links.first.get_attribute("href")
    assert re.search(r"/comparison/[a-z-]+/#c-[a-z-]+$", href), href
    assert not visit.page_errors


def test_moving_what_a_package_is_worth_changes_the_result_live(open_page, model: Model):
    page = open_page(PAGE + "?need=public-api-product").page
    page.locator("summary", has_text="The scoring model").click()
    page.locator("#v-plugin").fill("100")
    expected = model.rank(Settings(presets=("public-api-product",), values={"plugin": 100})).scores
    assert shown_scores(page) == dict(expected)


def test_presets_combine_and_the_questionnaire_reaches_the_same_weights(open_page, model: Model):
    page = open_page(PAGE + "?need=").page
    for q in ("stream", "admin", "serve-model"):
        page.locator(f"#q-{q}").check()
    by_questions = page.evaluate("() => [...document.querySelectorAll('input[name^=\"w.\"]')].map(i => i.value)")
    result_by_questions = shown_scores(page)
    for q in ("stream", "admin", "serve-model"):
        page.locator(f"#q-{q}").uncheck()
    for p in ("llm-chat-streaming", "internal-admin-tool", "in-process-model-serving"):
        page.locator(f"#p-{p}").check()
    by_presets = page.evaluate("() => [...document.querySelectorAll('input[name^=\"w.\"]')].map(i => i.value)")
    assert by_questions == by_presets
    assert shown_scores(page) == result_by_questions
    merged = model.weights(Settings(presets=("llm-chat-streaming", "internal-admin-tool", "in-process-model-serving")))
    assert by_presets == [str(merged[c.id]) for c in model.criteria]
    assert "Your needs split" in page.locator("#fw-decide-result").inner_text()


def test_the_url_restores_the_state_after_a_reload_and_back_goes_back(open_page, model: Model):
    page = open_page(PAGE + "?need=llm-chat-streaming").page
    page.locator("#p-internal-admin-tool").check()
    page.locator("#q-accounts").check()
    assert re.search(r"need=llm-chat-streaming,internal-admin-tool", page.url) and "q=accounts" in page.url
    before = shown_scores(page)
    page.reload(wait_until="load")
    assert shown_scores(page) == before
    assert page.locator("#p-internal-admin-tool").is_checked() and page.locator("#q-accounts").is_checked()
    page.go_back(wait_until="load")
    assert not page.locator("#q-accounts").is_checked()
    expected = model.rank(Settings(presets=("llm-chat-streaming", "internal-admin-tool"))).scores
    assert shown_scores(page) == dict(expected)


def test_a_bad_link_opens_a_valid_state_with_a_notice_and_no_injected_markup(open_page, model: Model):
    hostile = "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
    visit = open_page(PAGE + f"?need=nope,llm-chat-streaming&w.cors=9&w.{hostile}=1&v.plugin=abc&s.active=50")
    page = visit.page
    notice = page.locator("#fw-decide-notice")
    assert notice.is_visible()
    text = notice.inner_text()
    assert "need=nope" in text and "w.cors=9" in text and "v.plugin=abc" in text and "<img" in text
    assert page.locator("#fw-decide img").count() == 0
    expected = model.rank(Settings(presets=("llm-chat-streaming",), status={"active": 50})).scores
    assert shown_scores(page) == dict(expected)
    assert not visit.console_errors + visit.page_errors


def test_the_split_verdict_prices_one_framework_or_both_together(open_page, model: Model):
    page = open_page(PAGE + "?need=llm-chat-streaming,internal-admin-tool,in-process-model-serving&q=accounts").page
    result = page.locator("#fw-decide-result").inner_text()
    split = model.split(PRODUCT)
    assert split is not None and "Your needs split" in result
    assert "FastAPI + Django" in result and "the running sample" in result
    options = page.locator("#fw-decide-result .fw-options")
    assert options.get_by_role("link", name="How it works").get_attribute("href").endswith("/hybrid/")
    assert options.get_by_role("link", name="the running sample").get_attribute("href").endswith("/tasks/hybrid-asgi/")
    assert not page.locator("#fw-decide-nojs").is_visible()
    flips = model.flips(PRODUCT)
    assert len(flips) > 0 and "What would change the verdict" in result


def test_without_javascript_the_default_ranking_and_every_preset_are_there(browser, base_url: str, model: Model):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + PAGE, wait_until="load")
        expected = model.rank(Settings(presets=tuple(model.ds.decision.defaults.presets))).scores
        assert shown_scores(page) == dict(expected)
        assert page.locator("#fw-decide-nojs").is_visible()
        rows = page.locator(".fw-presets-static tr[data-preset]")
        assert rows.count() == len(model.ds.use_cases)
        first = model.ds.use_cases[0].id
        cells = page.locator(f'.fw-presets-static tr[data-preset="{first}"] td[data-framework]')
        assert {
            cells.nth(i).get_attribute("data-framework"): int(cells.nth(i).get_attribute("data-score"))
            for i in range(cells.count())
        } == dict(model.rank(Settings(presets=(first,))).scores)
    finally:
        context.close()


def test_the_page_script_stays_small(site_dir):
    import gzip

    script = (site_dir / "javascripts" / "decide.js").read_bytes()
    assert len(gzip.compress(script)) <= 15 * 1024
