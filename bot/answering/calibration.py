"""Fitting the verifier (bot/answering/verifier.py) on the tuning question sets, never on the held-out ones.

``python -m bot.answering.calibration`` (or ``make calibrate``) indexes each tuning set's corpus, asks every
question, and records the evidence of the best candidate sentence the rules allow, labelled by whether it
contains an expected answer (a trap's never does). A logistic model is fitted on those records; its threshold is
chosen by leaving one set out at a time: the highest threshold at which the sets, each scored by a model fitted
without it, keep on average the answers the fixed thresholds gave. The table it prints is that cross-validation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bot.answering.evaluation import EvalQuestion, load_questions
from bot.answering.service import AnswerService
from bot.answering.verifier import SHIPPED_MODELS, Verifier, weights_file
from bot.settings import PROJECT_ROOT, Settings
from index.embedding import build_embedder

EVAL_DIR = PROJECT_ROOT / "tests" / "eval"
# The tuning sets and the corpus each is asked over (None: the shipped articles in seeds/). The held-out sets
# (policy5, general4) are not here and must never be.
TUNING_SETS: dict[str, str | None] = {
    "questions": None,
    "tuning_policy": None,
    "tuning_paraphrase": None,
    "heldout2": None,
    "general": "general",
    "policy2": "policy2",
    "policy3": "policy3",
    "general2": "general2",
    "policy4": "policy4",
    "general3": "general3",
}
HELD_OUT_SETS = ("policy5", "general4")
THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(2, 13))  # 0.10 .. 0.60
L2 = 1.0  # ridge penalty on the standardised weights

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Example:
    """One question's best candidate: its features (None when no sentence passed the rules) and its label."""

    set_name: str
    question_id: str
    answerable: bool
    features: dict[str, float] | None
    label: bool  # the candidate contains an expected answer
    supported: bool  # the fixed thresholds let it answer
    lead: str = ""  # its lead sentence, for reading the examples file


@dataclass(frozen=True)
class Rates:
    """Shares over a set: answerable questions answered right, traps refused, answerable questions refused."""

    right: float
    traps_refused: float
    wrongly_refused: float


async def collect(service: AnswerService, questions: Sequence[EvalQuestion], set_name: str) -> list[Example]:
    """The evidence of each question's best candidate, through the service's own search."""
    examples = []
    for item in questions:
        found = await service.search(item.question)
        evidence = service.extractive.evidence(
            found.query, found.passages, query_vector=found.vector, names=found.names
        )
        label = (
            evidence is not None
            and item.answerable
            and any(expected.casefold() in evidence.text.casefold() for expected in item.expect_any)
        )
        examples.append(
            Example(
                set_name,
                item.id,
                item.answerable,
                None if evidence is None else evidence.features,
                label,
                evidence is not None and evidence.supported,
                "" if evidence is None else evidence.lead,
            )
        )
    return examples


def fit(examples: Sequence[Example], threshold: float = 0.5) -> Verifier:
    """A logistic model of ``label`` over the examples with features (Newton's method, ridge-penalised)."""
    rows = [e for e in examples if e.features is not None]
    if not rows or len({e.label for e in rows}) < 2:
        raise ValueError("fitting needs examples of both labels")
    names = tuple(sorted(rows[0].features or {}))
    x = np.array([[float((e.features or {})[n]) for n in names] for e in rows])
    y = np.array([1.0 if e.label else 0.0 for e in rows])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    beta = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * L2
    penalty[0, 0] = 0.0  # the bias is not penalised
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -60, 60)))
        gradient = z.T @ (p - y) + penalty @ beta
        hessian = (z * (p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return Verifier(
        features=names,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        weights=tuple(float(v) for v in beta[1:]),
        bias=float(beta[0]),
        threshold=threshold,
    )


def rates(examples: Sequence[Example], answers: Sequence[bool]) -> Rates:
    """The rates of answering exactly the examples marked in ``answers``."""
    answerable = [(e, a) for e, a in zip(examples, answers, strict=True) if e.answerable]
    traps = [a for e, a in zip(examples, answers, strict=True) if not e.answerable]
    n = len(answerable) or 1
    return Rates(
        right=sum(1 for e, a in answerable if a and e.label) / n,
        traps_refused=sum(1 for a in traps if not a) / (len(traps) or 1),
        wrongly_refused=sum(1 for _, a in answerable if not a) / n,
    )


def cross_validate(examples: Sequence[Example]) -> tuple[Rates, dict[float, Rates]]:
    """Leave-one-set-out: the fixed thresholds' mean rates, and each threshold's, over the sets."""
    sets = sorted({e.set_name for e in examples})
    fixed: list[Rates] = []
    by_threshold: dict[float, list[Rates]] = {t: [] for t in THRESHOLDS}
    for held in sets:
        model = fit([e for e in examples if e.set_name != held])
        test = [e for e in examples if e.set_name == held]
        fixed.append(rates(test, [e.supported for e in test]))
        probabilities = [model.probability(e.features) if e.features is not None else 0.0 for e in test]
        for threshold in THRESHOLDS:
            by_threshold[threshold].append(rates(test, [p >= threshold for p in probabilities]))
    return _mean(fixed), {t: _mean(r) for t, r in by_threshold.items()}


def choose_threshold(fixed: Rates, by_threshold: dict[float, Rates]) -> float:
    """The highest threshold that keeps, on average over the left-out sets, the fixed thresholds' right answers."""
    keeping = [t for t, r in by_threshold.items() if r.right >= fixed.right]
    return max(keeping) if keeping else min(by_threshold)


def _mean(values: Sequence[Rates]) -> Rates:
    n = len(values) or 1
    return Rates(
        right=sum(r.right for r in values) / n,
        traps_refused=sum(r.traps_refused for r in values) / n,
        wrongly_refused=sum(r.wrongly_refused for r in values) / n,
    )


async def _collect_all(
    data_dir: Path, model_name: str, eval_dir: Path, sets: Mapping[str, str | None]
) -> list[Example]:
    """The examples of every set in ``sets`` (``eval_dir``/<name>.jsonl, asked over its corpus), with one index
    per corpus built with ``model_name``."""
    embedder = build_embedder(model_name)  # the similarity features are on this model's scale
    services: dict[str, AnswerService] = {}
    examples: list[Example] = []
    for name, corpus_name in sets.items():
        corpus = eval_dir / corpus_name if corpus_name else PROJECT_ROOT / "seeds"
        service = services.get(str(corpus))
        if service is None:
            settings = Settings(data_dir=data_dir / corpus.name, seeds_dir=corpus, embedding_model=model_name)
            service = AnswerService(settings, embedder)
            report = service.index_sources([str(corpus)])
            if report.failed:
                raise RuntimeError(f"indexing {corpus} failed: {report.failed}")
            services[str(corpus)] = service
        examples += await collect(service, load_questions(eval_dir / f"{name}.jsonl"), name)
        log.info("collected %s", name)
    return examples


def main(
    argv: Sequence[str] | None = None, *, eval_dir: Path = EVAL_DIR, sets: Mapping[str, str | None] = TUNING_SETS
) -> int:
    """Fit the verifier of each model asked for (every shipped one by default) on ``sets``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model",
        action="append",
        choices=SHIPPED_MODELS,
        help="an embedding model to fit weights for, each on its own similarity scale (repeatable; default: all)",
    )
    parser.add_argument("--out", type=Path, help="where to write the weights (default: the model's weights file)")
    parser.add_argument("--examples", type=Path, help="also write the examples fitted on (JSON), for reading")
    args = parser.parse_args(argv)
    models = list(dict.fromkeys(args.model or SHIPPED_MODELS))
    if (args.out or args.examples) and len(models) > 1:
        parser.error("--out and --examples are for one --model")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for model in models:
        _calibrate(model, args.out, args.examples, eval_dir, sets)
    return 0


def _calibrate(
    model_name: str, out: Path | None, examples_out: Path | None, eval_dir: Path, sets: Mapping[str, str | None]
) -> None:
    """Collect the examples with ``model_name``, cross-validate, and write the fitted weights."""
    with tempfile.TemporaryDirectory(prefix="policybot-calibration-") as tmp:
        examples = asyncio.run(_collect_all(Path(tmp), model_name, eval_dir, sets))
    if examples_out:
        examples_out.write_text(json.dumps([asdict(e) for e in examples], indent=0), encoding="utf-8")
    fixed, by_threshold = cross_validate(examples)
    print(f"{model_name}, {len(examples)} questions")
    print("leave one set out    right  traps refused  wrongly refused")
    print(f"fixed thresholds     {fixed.right:.3f}  {fixed.traps_refused:.3f}          {fixed.wrongly_refused:.3f}")
    for threshold, r in by_threshold.items():
        print(f"verifier >= {threshold:.2f}     {r.right:.3f}  {r.traps_refused:.3f}          {r.wrongly_refused:.3f}")
    threshold = choose_threshold(fixed, by_threshold)
    model = fit(examples, threshold)
    out = out or weights_file(model_name)
    assert out is not None  # every shipped model has a weights file
    out.write_text(model.to_json() + "\n", encoding="utf-8")
    print(f"threshold {threshold:.2f}; weights written to {out}")


if __name__ == "__main__":
    sys.exit(main())
