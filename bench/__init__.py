"""Benchmarks for policybot (indexing throughput, query and ask latency, load, ...): what they share to measure,
summarise and record. Their corpora are ``bench.corpus``, their questions ``bench.questions``."""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from bot.settings import Settings
from index.embedding import SentenceTransformerEmbedder

__all__ = [
    "BATCH_SIZE",
    "RESULTS_DIR",
    "current_rss_mb",
    "in_turn",
    "load_average",
    "load_note",
    "machine_info",
    "machine_line",
    "make_embedder",
    "markdown_table",
    "median",
    "peak_rss_mb",
    "percentile_ms",
    "write_result",
]

T = TypeVar("T")

RESULTS_DIR = Path(__file__).resolve().parent / "results"
BATCH_SIZE = 64  # SentenceTransformerEmbedder's default, passed explicitly so raw encode can match it


def make_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    """The project's embedder for the configured model, with the benchmark batch size."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    return SentenceTransformerEmbedder(settings.embedding_model, batch_size=BATCH_SIZE)


def _cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or what the platform module knows)."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict[str, Any]:
    """Cores, CPU model and the versions that matter for speed."""
    import faiss
    import sentence_transformers
    import torch

    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "sentence_transformers": sentence_transformers.__version__,
        "faiss": faiss.__version__,
    }


def machine_line(info: dict[str, Any]) -> str:
    """One line describing the machine."""
    return (
        f"{info['cores']} cores, {info['cpu']}, torch {info['torch']} ({info['torch_threads']} threads), "
        f"faiss {info['faiss']}, Python {info['python']}"
    )


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages: other work on the machine makes timings noisy."""
    return [round(value, 2) for value in os.getloadavg()]


def load_note(result: dict[str, Any]) -> str:
    """The 1-minute load average at the start and end of a run, as printed under its table."""
    start, end = result["load_average_start_end"]
    return f"load average (1 min) {start[0]} at start, {end[0]} at end"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """Resident memory of this process now, in MiB (0 where /proc is unavailable)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def median(values: Sequence[float]) -> float:
    """The median of ``values``."""
    return float(statistics.median(values))


def percentile_ms(seconds: Sequence[float], q: float) -> float:
    """The ``q``-th percentile of ``seconds``, in milliseconds."""
    return round(float(np.percentile(np.asarray(seconds) * 1000, q)), 2)


def in_turn(steps: Sequence[T], turn: int) -> list[T]:
    """``steps`` in order on even turns and reversed on odd ones, so drift in the machine's speed favours none."""
    return list(steps) if turn % 2 == 0 else list(reversed(steps))


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write_result(name: str, result: dict[str, Any]) -> Path:
    """Write ``result`` to ``bench/results/<name>.json`` atomically; returns the path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    staging = path.with_suffix(".json.tmp")
    staging.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    os.replace(staging, path)
    return path
