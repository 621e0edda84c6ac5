"""How long replies are on a phone: the visible part (lead, freshness line, note) and everything before the
sources block (evidence included), in Telegram's units, over an evaluation set answered by the real service.

Run with ``python -m bench.reply_lengths [--questions tests/eval/questions.jsonl] [--data-dir DIR]``; writes
``bench/results/reply_lengths.json`` and prints a markdown table. Offline extractive answers unless the
environment configures a model. Today's date is the real clock's (it only decides the freshness line).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
from pathlib import Path
from typing import Any

from bench import machine_info, markdown_table, write_result
from bot.answering.service import AnswerService
from bot.rendering import build_reply, text_before_sources, utc_now, visible_text
from bot.settings import Settings
from bot.telegram.formatting import telegram_length

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[int], share: float) -> float:
    """The ``share`` quantile (0..1) by linear interpolation; the value itself for one item."""
    if len(values) == 1:
        return float(values[0])
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def summary(values: list[int]) -> dict[str, float]:
    """Count, median, 95th percentile and maximum."""
    if not values:
        return {"count": 0}
    return {
        "count": len(values),
        "median": statistics.median(values),
        "p95": round(percentile(values, 0.95), 1),
        "max": max(values),
    }


async def measure(service: AnswerService, questions: list[str]) -> list[dict[str, Any]]:
    """Each question's reply lengths."""
    rows = []
    for question in questions:
        answer = await service.ask(question)
        reply = build_reply(
            answer,
            today=utc_now().date(),
            freshness_days=service.settings.freshness_days,
        )
        rows.append(
            {
                "question": question,
                "refused": answer.refused,
                "visible": telegram_length(visible_text(reply)),
                "before_sources": telegram_length(text_before_sources(reply)),
            }
        )
    return rows


def main() -> None:
    """Answer the questions, print and save the length summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=Path, default=ROOT / "tests" / "eval" / "questions.jsonl")
    parser.add_argument("--data-dir", type=Path, help="an index to use (default: a fresh one of seeds/)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(data_dir=args.data_dir or Path(scratch))
        service = AnswerService.from_settings(settings)
        items = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows = asyncio.run(measure(service, [item["question"] for item in items]))
    answered = [r for r in rows if not r["refused"]]
    result = {
        "questions": str(args.questions),
        "backend": service.answerer.name,
        "answered": {key: summary([r[key] for r in answered]) for key in ("visible", "before_sources")},
        "all": {key: summary([r[key] for r in rows]) for key in ("visible", "before_sources")},
        "rows": rows,
        "machine": machine_info(),
    }
    write_result("reply_lengths", result)
    table = [
        [group, key, s.get("count"), s.get("median"), s.get("p95"), s.get("max")]
        for group in ("answered", "all")
        for key, s in result[group].items()
    ]
    print(markdown_table(["questions", "part", "n", "median", "p95", "max"], table))


if __name__ == "__main__":
    main()
