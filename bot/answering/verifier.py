"""The answer-or-refuse decision of the offline answerer: a logistic model over the evidence of its best sentence.

The answerer's rules say which sentences may answer at all (every name and figure the question is about, no
opposite verb, another name in the asked slot, another rank, ...). Whether the best of them answers, or the
question is one the sources do not cover, was a cascade of fixed thresholds (coverage, the heaviest missing
term, similarity). Here it is one weighted sum of that evidence (coverage, similarity, what the sentence leaves
out, how far it is ahead of other articles' sentences, whether its figure counts what was asked, ...), fitted on
the tuning question sets by bot/answering/calibration.py and stored in ``verifier_weights/<model>.json`` beside
this module, one file per embedding model: the similarity features are on that model's scale. Nothing in it
names a word or a topic: the same weights apply to any corpus.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.errors import PolicybotError
from index.embedding import BUNDLED_MODEL_NAMES, E5_MODEL_NAMES

WEIGHTS_DIR = Path(__file__).resolve().parent / "verifier_weights"
# each embedding model the project ships, by every name it is known by, to the name of its weights file
_MODEL_FILES = {name: "all-MiniLM-L6-v2" for name in BUNDLED_MODEL_NAMES} | {
    name: "multilingual-e5-small" for name in E5_MODEL_NAMES
}
SHIPPED_MODELS = tuple(sorted(set(_MODEL_FILES.values())))  # the models weights are fitted for, one file each


@dataclass(frozen=True)
class Verifier:
    """Weights of a logistic model: ``probability`` of a feature mapping, ``accepts`` at or above ``threshold``."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def __post_init__(self) -> None:
        sizes = {len(self.features), len(self.mean), len(self.scale), len(self.weights)}
        if len(sizes) != 1:
            raise PolicybotError(f"verifier weights do not match its {len(self.features)} features")
        if any(s <= 0 for s in self.scale):
            raise PolicybotError("verifier scales must be positive")
        if not 0.0 < self.threshold < 1.0:
            raise PolicybotError(f"verifier threshold {self.threshold} is not a probability")

    def probability(self, values: Mapping[str, float]) -> float:
        """The model's probability that the evidence answers the question (a missing feature is an error)."""
        missing = [name for name in self.features if name not in values]
        if missing:
            raise PolicybotError(f"verifier features missing: {', '.join(missing)}")
        z = self.bias + sum(
            w * (float(values[name]) - m) / s
            for name, m, s, w in zip(self.features, self.mean, self.scale, self.weights, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def accepts(self, values: Mapping[str, float]) -> bool:
        """True when the evidence is taken as an answer."""
        return self.probability(values) >= self.threshold

    def to_json(self) -> str:
        """The weights as the JSON ``load`` reads."""
        return json.dumps(
            {
                "features": list(self.features),
                "mean": [round(v, 6) for v in self.mean],
                "scale": [round(v, 6) for v in self.scale],
                "weights": [round(v, 6) for v in self.weights],
                "bias": round(self.bias, 6),
                "threshold": self.threshold,
            },
            indent=1,
        )


def weights_file(model_name: str) -> Path | None:
    """Where the weights fitted with ``model_name`` live; None for a model the project ships none for (a local
    path): its similarities are on a scale no weights were fitted on."""
    stem = _MODEL_FILES.get(model_name)
    return None if stem is None else WEIGHTS_DIR / f"{stem}.json"


def for_model(model_name: str) -> Verifier | None:
    """The verifier fitted with ``model_name``, or None when none was fitted (the fixed thresholds then decide);
    a weights file that is there but unreadable is an error."""
    path = weights_file(model_name)
    return None if path is None or not path.exists() else load(path)


def load(path: Path) -> Verifier:
    """The verifier stored at ``path``; a missing or malformed file is a PolicybotError naming it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Verifier(
            features=tuple(str(f) for f in data["features"]),
            mean=_floats(data["mean"]),
            scale=_floats(data["scale"]),
            weights=_floats(data["weights"]),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PolicybotError(f"{path}: not a verifier weights file ({exc})") from exc


def _floats(values: Sequence[object]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)  # type: ignore[arg-type]


__all__ = ["SHIPPED_MODELS", "WEIGHTS_DIR", "Verifier", "for_model", "load", "weights_file"]
