"""The decision model (macros/scoring.py), on the minimal dataset.

alpha: asgi yes, wsgi no, admin via `addon` (active). beta: asgi partial, wsgi yes, admin yes.
Use cases: api (asgi 3, wsgi 1, admin 2) and staff-admin (admin 3, wsgi 2, asgi 1).
"""

from macros.scoring import Model, Settings, tenths, value_bounds
from macros.views import decision, flip_text

API = Settings(presets=("api",))


def test_score_is_the_share_of_points_in_tenths(minimal):
    # alpha: 3 x 100% + 1 x 0% + 2 x 75% = 4.5 of 6; beta: 3 x 50% + 1 x 100% + 2 x 100% = 4.5 of 6
    assert Model(minimal).rank(API).scores == {"alpha": 750, "beta": 750}


def test_scores_round_half_up_in_integers_as_the_browser_does():
    assert tenths(65000, 80000) == 813  # 81.25 -> 81.3 (Python's round(81.25, 1) gives 81.2)
    assert tenths(1, 3) == 333 and tenths(2, 3) == 667 and tenths(0, 0) == 0


def test_an_exact_tie_puts_both_on_top_and_within_the_close_call(minimal):
    ranking = Model(minimal).rank(API)
    assert ranking.top == ("alpha", "beta") and ranking.close == ("alpha", "beta")


def test_presets_combine_by_the_highest_weight_per_criterion(minimal):
    weights = Model(minimal).weights(Settings(presets=("api", "staff-admin")))
    assert {k: v for k, v in weights.items() if v} == {"asgi": 3, "wsgi": 2, "admin-interface": 3}


def test_a_question_adds_its_presets_and_its_own_weights(minimal):
    m = Model(minimal)
    assert m.weights(Settings(answers=("async",))) == m.weights(API)
    assert m.weights(Settings(answers=("staff",))) == m.weights(Settings(presets=("staff-admin",)))
    assert [n.id for n in m.needs(Settings(answers=("async", "staff")))] == ["api", "q-staff"]


def test_reader_overrides_win_over_the_needs(minimal):
    weights = Model(minimal).weights(Settings(presets=("api",), weights={"asgi": 0, "admin-interface": 3}))
    assert (weights["asgi"], weights["admin-interface"], weights["wsgi"]) == (0, 3, 1)


def test_a_package_in_maintenance_is_worth_less(data_dir):
    data_dir.edit("packages.yaml", "status: active", "status: maintenance\n    status_note: Fixes only.")
    ds = data_dir.load()
    # alpha's admin: 75% x 75% = 56.25%; 3 + 2 x 0.5625 = 4.125 of 6 = 68.75 -> 68.8
    assert Model(ds).rank(API).scores["alpha"] == 688
    assert Model(ds).rank(Settings(presets=("api",), status={"maintenance": 100})).scores["alpha"] == 750


def test_a_category_weight_multiplies_its_criteria(minimal):
    # every criterion of the minimal data is in `performance`: weight 0 leaves nothing to score
    ranking = Model(minimal).rank(Settings(presets=("api",), categories={"performance": 0}))
    assert ranking.terms == () and ranking.scores == {"alpha": 0, "beta": 0}


def test_explanation_lists_deciding_criteria_against_and_ties(minimal):
    e = Model(minimal).explain(Settings(presets=("staff-admin",)))
    assert (e.leader, e.runner_up, e.gap) == ("beta", "alpha", 917 - 542)
    assert [t.criterion for t in e.deciding] == ["wsgi", "admin-interface"]  # 2 x 100 before 3 x 25
    assert [t.criterion for t in e.against] == ["asgi"]
    assert e.ties == ()


def test_ties_are_listed_not_dropped(data_dir):
    data_dir.edit("frameworks/beta.yaml", "    value: partial\n", "    value: yes\n")
    e = Model(data_dir.load()).explain(API)
    assert [t.criterion for t in e.ties] == ["asgi"]


def test_sensitivity_names_the_nearest_change_that_flips_the_leader_both_ways(minimal):
    m = Model(minimal)
    lead = Settings(presets=("api",), weights={"wsgi": 0})  # alpha 90.0, beta 70.0
    assert m.rank(lead).top == ("alpha",)
    flip = next(f for f in m.flips(lead) if (f.kind, f.key) == ("weight", "wsgi"))
    assert (flip.now, flip.to, flip.top) == (0, 1, ("alpha", "beta"))
    assert m.rank(Settings(presets=("api",), weights={"wsgi": flip.to})).top == flip.top
    # and back: from the tie, wsgi at 0 puts alpha ahead again
    back = next(f for f in m.flips(API) if (f.kind, f.key) == ("weight", "wsgi"))
    assert (back.now, back.to, back.top) == (1, 0, ("alpha",))


def test_sensitivity_covers_what_a_value_is_worth_within_the_order_of_values(minimal):
    flips = {(f.kind, f.key): f for f in Model(minimal).flips(API)}
    plugin = flips[("value", "plugin")]
    assert (plugin.to, plugin.top) == (70, ("beta",))  # 70 and 80 are equally near; the lower is tried first
    # both earn "yes" on 3 weights' worth of criteria: no worth of "yes" between 75 and 100 breaks the tie
    assert ("value", "yes") not in flips
    assert value_bounds("yes", Model(minimal).default_values) == (75, 100)
    assert value_bounds("plugin", Model(minimal).default_values) == (50, 100)


def test_flip_sentences_name_the_control_and_its_current_setting(minimal):
    flips = {(f.kind, f.key): f for f in Model(minimal).flips(API)}
    assert flip_text(minimal, flips[("weight", "wsgi")]) == (
        "Alpha leads if Runs under WSGI weighs 0 (ignored; now 1)."
    )
    assert (
        flip_text(minimal, flips[("value", "plugin")])
        == "Beta leads if \u201cVia package\u201d is worth 70% (now 75%)."
    )


def test_needs_that_point_to_different_frameworks_split_and_price_the_options(minimal):
    split = Model(minimal).split(Settings(presets=("api", "staff-admin")))
    assert [(n.id, top) for n, top in split.leaders] == [("api", ("alpha", "beta")), ("staff-admin", ("beta",))]
    options = {o.frameworks: o for o in split.options}
    assert options[("alpha",)].packages == (("admin-interface", ("addon",)),)
    assert options[("beta",)].gaps == ("asgi",) or options[("beta",)].score == 813
    assert options[("alpha", "beta")].score == 1000 and options[("alpha", "beta")].packages == ()


def test_needs_that_agree_do_not_split(minimal):
    assert Model(minimal).split(Settings(presets=("staff-admin",), answers=("staff",))) is None


def test_decision_view_carries_sentences_for_every_flip(minimal):
    d = decision(minimal, API)
    assert d.flips and all(text.endswith(".") for _, text in d.flips)
    assert d.score("alpha") == "75.0"
