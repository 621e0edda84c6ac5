"""One benchmark, run for a past revision and for the working tree in one run, side by side.

The machines are noisy, so a speed-up is a ratio measured in one run on one machine, never a number compared
with one written down on another day. This checks the past revision out into a temporary git worktree,
runs ``python -m <module> <args> --name <tmp>`` there (its own code on the ``PYTHONPATH``, the same
virtualenv), then the same command here, ``--rounds`` times in alternating order, and prints the chosen
measures of both with their ratio (the median of each side's rounds).

Run with ``python -m bench.versus --rev cf637f1 -- bench.load --arrival-s 5 --think-s 0.2 1.0``; writes
``bench/results/versus-<module>.json`` and prints a markdown table. ``--without-bulk-limit`` runs both sides
with PTB's overall rate limit (Telegram's 30 messages a second per bot) lifted, to measure what each can serve
rather than that cap (``bench/without_bulk_limit/sitecustomize.py``); it writes ``versus-<module>-unlimited``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import RESULTS_DIR, load_average, machine_info, machine_line, markdown_table, write_result

ROOT = Path(__file__).resolve().parent.parent
WITHOUT_BULK_LIMIT = Path(__file__).resolve().parent / "without_bulk_limit"  # its sitecustomize lifts the cap
MEASURES = {  # module -> (label, dotted key in its JSON, higher is better)
    "bench.load": (
        ("throughput (questions/s)", "throughput_per_s", True),
        ("reply latency p50 (s)", "latency_s.p50", False),
        ("reply latency p95 (s)", "latency_s.p95", False),
        ("service time per answer p50 (ms)", "service_time_ms.p50", False),
        ("CPU seconds", "cpu_s", False),
        ("peak RSS (MiB)", "peak_rss_mb", False),
    ),
}


def dig(result: dict[str, Any], dotted: str) -> float | None:
    """``result["a"]["b"]`` for ``"a.b"``; None when absent."""
    value: Any = result
    for key in dotted.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return float(value) if isinstance(value, int | float) else None


def run_once(checkout: Path, module: str, args: Sequence[str], name: str, *, bulk_limit: bool = True) -> dict[str, Any]:
    """Run ``module`` in ``checkout`` and return the JSON it wrote (``bulk_limit=False``: with PTB's overall
    rate limit lifted in that process)."""
    path_entries = [str(checkout)] if bulk_limit else [str(WITHOUT_BULK_LIMIT), str(checkout)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path_entries), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", module, *args, "--name", name]
    print(f"$ (in {checkout}) {' '.join(command[1:])}", flush=True)
    subprocess.run(command, cwd=checkout, env=env, check=True, stdout=subprocess.DEVNULL)
    path = checkout / "bench" / "results" / f"{name}.json"
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    path.unlink()  # a temporary name: the checkouts' own result files are left as they were
    return result


def compare(rev: str, module: str, args: Sequence[str], rounds: int, *, bulk_limit: bool = True) -> dict[str, Any]:
    """Run both sides ``rounds`` times, alternating which goes first."""
    measures = MEASURES.get(module)
    if measures is None:
        raise SystemExit(f"no measures known for {module}: one of {', '.join(MEASURES)}")
    load_start = load_average()
    runs: dict[str, list[dict[str, Any]]] = {"base": [], "current": []}
    with tempfile.TemporaryDirectory(prefix="policybot-versus-") as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), rev], cwd=ROOT, check=True)
        try:
            commit = subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=base, check=True, capture_output=True, text=True
            ).stdout.strip()
            for round_ in range(rounds):
                order = ("base", "current") if round_ % 2 == 0 else ("current", "base")
                for side in order:
                    checkout = base if side == "base" else ROOT
                    name = f"versus-{side}-{os.getpid()}"
                    runs[side].append(run_once(checkout, module, args, name, bulk_limit=bulk_limit))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False)
    rows = []
    for label, key, higher_better in measures:
        base_values = [v for v in (dig(r, key) for r in runs["base"]) if v is not None]
        current_values = [v for v in (dig(r, key) for r in runs["current"]) if v is not None]
        if not base_values or not current_values:
            continue
        b, c = statistics.median(base_values), statistics.median(current_values)
        ratio = (c / b) if b else None
        rows.append({"measure": label, "base": b, "current": c, "ratio": ratio, "higher": higher_better})
    checks = {
        side: {
            "answered_exactly_once": all(r.get("answered_exactly_once", True) for r in results),
            "order_kept": all(r.get("order_kept", True) for r in results),
            "error_replies": sum(int(r.get("error_replies", 0)) for r in results),
        }
        for side, results in runs.items()
    }
    return {
        "benchmark": f"versus-{module}",
        "module": module,
        "args": list(args),
        "base_rev": rev,
        "base_commit": commit,
        "rounds": rounds,
        "telegram_bulk_limit": "kept (30 requests/s per bot)" if bulk_limit else "lifted on both sides",
        "rows": rows,
        "checks": checks,
        "machine": machine_info(),
        "load_average_start_end": [load_start, load_average()],
    }


def summary_table(result: dict[str, Any]) -> str:
    """The comparison as a markdown table with a footer."""
    rows = [
        (
            row["measure"],
            f"{row['base']:g}",
            f"{row['current']:g}",
            "n/a" if row["ratio"] is None else f"{row['ratio']:.2f}×",
        )
        for row in result["rows"]
    ]
    header = ("measure", f"base ({result['base_commit']})", "current", "current / base")
    checks = "; ".join(
        f"{side}: answered exactly once {c['answered_exactly_once']}, order kept {c['order_kept']}, "
        f"error replies {c['error_replies']}"
        for side, c in result["checks"].items()
    )
    footer = [
        f"`python -m {result['module']} {' '.join(result['args'])}`, {result['rounds']} round(s) per side, "
        f"alternating; medians; Telegram's bulk limit {result.get('telegram_bulk_limit', 'kept')}. {checks}.",
        f"{machine_line(result['machine'])}; load average (1 min) {result['load_average_start_end'][0][0]} at "
        f"start, {result['load_average_start_end'][1][0]} at end.",
    ]
    return "\n".join([markdown_table(header, rows), "", *footer])


def main(argv: Sequence[str] | None = None) -> None:
    """Compare a past revision with the working tree on one benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench.versus", description=__doc__.splitlines()[0])
    parser.add_argument("--rev", required=True, help="the past revision (any git revision)")
    parser.add_argument("--rounds", type=int, default=1, help="runs per side, alternating which goes first")
    parser.add_argument(
        "--without-bulk-limit",
        action="store_true",
        help="lift PTB's overall rate limit (30/s) on both sides: what each serves, not Telegram's cap",
    )
    parser.add_argument("module", help="the benchmark module, e.g. bench.load")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="its arguments (after --)")
    args = parser.parse_args(argv)
    extra = [a for a in args.args if a != "--"]
    result = compare(args.rev, args.module, extra, args.rounds, bulk_limit=not args.without_bulk_limit)
    suffix = "" if not args.without_bulk_limit else "-unlimited"
    path = write_result(f"versus-{args.module.removeprefix('bench.')}{suffix}", result)
    print(summary_table(result))
    print(f"\n(written to {path}; {RESULTS_DIR} holds the others)")


if __name__ == "__main__":
    main()
