"""The verifier (the answer-or-refuse model) and its calibration: the weights file, the fit, the threshold's choice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answering import verifier as verifier_module
from bot.answering.calibration import (
    HELD_OUT_SETS,
    TUNING_SETS,
    Example,
    choose_threshold,
    cross_validate,
    fit,
    rates,
)
from bot.answering.verifier import Verifier, for_model, load, weights_file
from bot.errors import PolicybotError


def _verifier(bias: float, threshold: float = 0.5) -> Verifier:
    return Verifier(("coverage", "gap"), (0.5, 0.2), (0.25, 0.1), (2.0, -1.0), bias, threshold)


@pytest.mark.parametrize("model", ["all-MiniLM-L6-v2", "multilingual-e5-small"])
def test_each_shipped_model_has_its_own_fitted_weights(model: str) -> None:
    shipped = for_model(model)
    assert shipped is not None
    assert shipped.features and len(shipped.features) == len(set(shipped.features))
    assert 0.0 < shipped.threshold < 1.0
    assert any(w != 0.0 for w in shipped.weights)  # fitted, not the all-zero bootstrap


def test_the_two_models_weigh_the_same_evidence_on_their_own_scales() -> None:
    minilm, e5 = for_model("all-MiniLM-L6-v2"), for_model("multilingual-e5-small")
    assert minilm is not None and e5 is not None
    assert minilm.features == e5.features
    similarity = minilm.features.index("similarity")
    assert minilm.mean[similarity] != e5.mean[similarity]  # fitted on each model's own similarities


def test_every_name_of_a_model_finds_its_weights_and_a_local_model_none() -> None:
    assert weights_file("sentence-transformers/all-MiniLM-L6-v2") == weights_file("all-MiniLM-L6-v2")
    assert weights_file("intfloat/multilingual-e5-small") == weights_file("multilingual-e5-small")
    assert weights_file("all-MiniLM-L6-v2") != weights_file("multilingual-e5-small")
    assert weights_file("/models/my-own-minilm") is None and for_model("/models/my-own-minilm") is None


def test_a_shipped_weights_file_that_is_broken_is_an_error_not_a_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "all-MiniLM-L6-v2.json").write_text("{}")
    monkeypatch.setattr(verifier_module, "WEIGHTS_DIR", tmp_path)
    with pytest.raises(PolicybotError, match="all-MiniLM-L6-v2"):
        for_model("all-MiniLM-L6-v2")


def test_probability_follows_the_weights() -> None:
    model = _verifier(0.0)
    assert model.probability({"coverage": 0.5, "gap": 0.2}) == pytest.approx(0.5)
    assert model.probability({"coverage": 0.9, "gap": 0.2}) > 0.5  # a positive weight
    assert model.probability({"coverage": 0.5, "gap": 0.5}) < 0.5  # a negative one
    assert model.probability({"coverage": 1e9, "gap": 0.0}) == pytest.approx(1.0)  # no overflow past the clip


def test_accepts_at_the_threshold_and_not_below() -> None:
    model = _verifier(0.0, threshold=0.5)
    assert model.accepts({"coverage": 0.5, "gap": 0.2})  # exactly 0.5
    assert not model.accepts({"coverage": 0.49, "gap": 0.2})


def test_a_missing_feature_is_an_error_not_a_zero() -> None:
    with pytest.raises(PolicybotError, match="gap"):
        _verifier(0.0).probability({"coverage": 0.5})


@pytest.mark.parametrize(
    "change",
    [
        {"weights": [1.0]},  # fewer weights than features
        {"scale": [0.0, 1.0]},
        {"threshold": 1.0},
        {"bias": "high"},
    ],
)
def test_a_malformed_weights_file_is_refused_with_its_name(tmp_path: Path, change: dict[str, object]) -> None:
    data = json.loads(_verifier(0.0).to_json())
    data.update(change)
    path = tmp_path / "verifier.json"
    path.write_text(json.dumps(data))
    with pytest.raises(PolicybotError, match="verifier"):
        load(path)


def test_a_missing_weights_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicybotError, match=r"missing\.json"):
        load(tmp_path / "missing.json")


def test_weights_survive_a_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "verifier.json"
    path.write_text(_verifier(0.3, threshold=0.25).to_json())
    again = load(path)
    assert again == _verifier(0.3, threshold=0.25)


def _examples(set_name: str, n: int) -> list[Example]:
    """Answerable questions whose candidate answers when coverage is high; traps with low coverage."""
    examples = []
    for k in range(n):
        high = k % 2 == 0
        coverage = 0.8 + 0.01 * (k % 7) if high else 0.3 + 0.01 * (k % 5)
        examples.append(Example(set_name, str(k), high, {"coverage": coverage, "gap": 0.1}, high, supported=True))
    examples.append(Example(set_name, "none", True, None, False, supported=False))  # no candidate at all
    return examples


def test_fit_separates_what_answers_from_what_does_not() -> None:
    model = fit(_examples("a", 40), threshold=0.5)
    assert model.accepts({"coverage": 0.85, "gap": 0.1})
    assert not model.accepts({"coverage": 0.3, "gap": 0.1})
    assert model.scale[model.features.index("gap")] == 1.0  # a constant feature is not divided by zero


def test_fit_needs_both_labels() -> None:
    same = [Example("a", "q", True, {"coverage": 0.5}, True, True) for _ in range(5)]
    with pytest.raises(ValueError, match="both labels"):
        fit(same)


def test_rates_count_right_answers_refused_traps_and_wrong_refusals() -> None:
    examples = [
        Example("a", "1", True, {"coverage": 1.0}, True, True),  # answered right
        Example("a", "2", True, {"coverage": 1.0}, False, True),  # answered, wrong sentence
        Example("a", "3", True, None, False, False),  # refused
        Example("a", "4", False, {"coverage": 1.0}, False, True),  # trap answered
        Example("a", "5", False, {"coverage": 1.0}, False, True),  # trap refused
    ]
    found = rates(examples, [True, True, False, True, False])
    assert found.right == pytest.approx(1 / 3)
    assert found.wrongly_refused == pytest.approx(1 / 3)
    assert found.traps_refused == pytest.approx(1 / 2)


def test_the_threshold_is_chosen_on_sets_left_out() -> None:
    examples = _examples("a", 30) + _examples("b", 30) + _examples("c", 30)
    fixed, by_threshold = cross_validate(examples)
    # the fixed thresholds answered every candidate, traps too; the fitted model refuses the traps
    assert fixed.traps_refused == 0.0
    chosen = choose_threshold(fixed, by_threshold)
    assert by_threshold[chosen].right >= fixed.right
    assert by_threshold[chosen].traps_refused == 1.0
    assert all(by_threshold[t].right < fixed.right for t in by_threshold if t > chosen)


def test_the_held_out_sets_are_never_tuned_on() -> None:
    assert not set(HELD_OUT_SETS) & set(TUNING_SETS)
    assert not set(HELD_OUT_SETS) & {corpus for corpus in TUNING_SETS.values() if corpus}
