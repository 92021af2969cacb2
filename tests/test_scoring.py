"""Decision-matrix arithmetic."""

from macros.scoring import CLOSE_CALL, score_use_case


def test_score_is_the_weighted_share_of_points(minimal):
    uc = minimal.use_cases[0]
    s = score_use_case(minimal, uc)
    # asgi 3 x (yes 1, partial .5) + wsgi 1 x (no 0, yes 1) + admin 2 x (plugin .75, yes 1), out of 6
    assert s.scores == {"alpha": 75.0, "beta": 75.0}


def test_a_gap_under_the_close_call_threshold_names_both(minimal):
    assert score_use_case(minimal, minimal.use_cases[0]).best == ("alpha", "beta")


def test_weights_can_be_overridden_for_what_if_views(minimal):
    s = score_use_case(minimal, minimal.use_cases[0], {"asgi": 3, "wsgi": 1})
    assert s.scores == {"alpha": 75.0, "beta": 62.5}
    assert s.scores["alpha"] - s.scores["beta"] >= CLOSE_CALL and s.best == ("alpha",)


def test_drivers_are_the_biggest_weighted_differences_first(minimal):
    s = score_use_case(minimal, minimal.use_cases[0])
    assert [c.criterion_id for c in s.drivers()] == ["asgi", "wsgi", "admin-interface"]


def test_unknown_counts_as_zero(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "    value: yes\n", "    value: unknown\n")
    ds = data_dir.load()
    assert score_use_case(ds, ds.use_cases[0], {"asgi": 1, "wsgi": 1}).scores["alpha"] == 0.0
