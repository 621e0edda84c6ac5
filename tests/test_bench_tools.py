"""The benchmark's switch that lifts Telegram's bulk limit does that and nothing else, in a process of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WITHOUT_BULK_LIMIT = ROOT / "bench" / "without_bulk_limit"  # what bench/versus.py puts first on the path

PROBE = """
import json
from telegram.ext import AIORateLimiter
made = [AIORateLimiter(), AIORateLimiter(30, 1), AIORateLimiter(overall_max_rate=30, max_retries=2)]
print(json.dumps([[m._base_limiter is None, m._group_max_rate, m._max_retries] for m in made]))
"""


def _probe(extra_path: list[str]) -> list[list[object]]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*extra_path, str(ROOT)])}
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, check=True, capture_output=True, text=True)
    result: list[list[object]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_without_bulk_limit_lifts_only_the_overall_limit() -> None:
    lifted = _probe([str(WITHOUT_BULK_LIMIT)])
    assert lifted == [[True, 20, 0], [True, 20, 0], [True, 20, 2]]  # per-group limit and retries kept


def test_the_bulk_limit_is_kept_by_default() -> None:
    kept = _probe([])
    assert kept == [[False, 20, 0], [False, 20, 0], [False, 20, 2]]
