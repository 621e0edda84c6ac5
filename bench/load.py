"""Load: simulated users asking questions of the real bot through the fake Bot API on 127.0.0.1.

The bot is the real PTB Application from ``build_application`` with the real AnswerService (offline
extractive answerer) on an index of the seed articles built into a temporary directory. The fake Bot API
(``tests/fakes/bot_api.py``) runs in its own thread and event loop, as Telegram would run elsewhere, so
the bot's event loop carries only the bot. Each user gets a private chat, starts at a random moment of
the arrival window and sends their questions a few seconds apart without waiting for the replies, so a
chat often has several questions queued (which is what tests the per-chat order).

Checks: every question answered exactly once (the number of messages per chat is what the reference
answers say), and in order (each chat's replies equal the reference answers of its questions, asked
alone beforehand, in the order asked). Measures: reply latency (question pushed to the reply recorded by
the fake server; it includes queueing), the service's own time per answer, throughput, peak RSS, and the
event loop's lateness: a ticker task sleeps ``TICK_S`` again and again and records how late it wakes;
while it is late a sampler thread records the loop thread's stack, so a stall names its cause.

Run with ``python -m bench.load``; writes ``bench/results/load.json`` and prints a markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import logging
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Coroutine, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import SecretStr

from bench import (
    current_rss_mb,
    load_average,
    load_note,
    machine_info,
    machine_line,
    make_embedder,
    markdown_table,
    peak_rss_mb,
    write_result,
)
from bench.corpus import load_seed_documents, synthetic_articles
from bench.questions import OPENING_QUESTIONS
from bot.answering.answers import Answer
from bot.answering.questions import is_follow_up
from bot.answering.service import AnswerService, Turn
from bot.rendering import utc_now
from bot.settings import Settings
from bot.telegram.application import build_application
from bot.telegram.formatting import format_answer_html
from index.indexing import IndexReport
from tests.fakes.bot_api import Call, Chat, FakeBotApi, User
from tests.fakes.polling import AnyApp, polling
from tests.fakes.questions import combined_questions

T = TypeVar("T")

DEFAULT_USERS = 200
DEFAULT_QUESTIONS_PER_USER = 5
DEFAULT_ARRIVAL_S = 60.0
DEFAULT_THINK_S = (1.0, 6.0)
QUESTIONS_PER_MINUTE = 1000  # the per-user limit must not be what is measured
TICK_S = 0.01
STALL_TARGET_MS = 100.0
SAMPLE_AFTER_S = 0.03  # the sampler records the loop's stack once it is this late
SAMPLE_EVERY_S = 0.005
FINISH_TIMEOUT_S = 1800.0
IDLE_FILES = frozenset({"threading.py", "queue.py", "selectors.py", "thread.py"})  # threads waiting for work
PROJECT_DIRS = ("/bot/", "/index/", "/tests/fakes/", "/telegram/", "/bm25s/", "/pysbd/")
SEED = 20250410
APOLOGY = "Sorry, something went wrong"


# -- the bot's event loop, watched -------------------------------------------------------------------


@dataclass
class LoopWatch:
    """How late the event loop wakes from ``asyncio.sleep(TICK_S)``; the sampler reads ``last_tick``."""

    lateness_s: list[float] = field(default_factory=list)
    worst_s: float = 0.0
    last_tick: float = field(default_factory=time.perf_counter)
    thread_id: int = 0
    stopped: bool = False

    async def run(self) -> None:
        """Tick until stopped."""
        self.thread_id = threading.get_ident()
        while not self.stopped:
            self.last_tick = time.perf_counter()
            await asyncio.sleep(TICK_S)
            late = time.perf_counter() - self.last_tick - TICK_S
            self.lateness_s.append(late)
            self.worst_s = max(self.worst_s, late)
        self.last_tick = time.perf_counter()


class StallSampler(threading.Thread):
    """While the loop is late, records where the loop thread and every busy thread are: a thread holding
    the GIL (in Python code, a long C call or a garbage collection) stalls the loop as surely as the loop's
    own work, and shows up here once it lets go."""

    def __init__(self, watch: LoopWatch) -> None:
        super().__init__(name="stall-sampler", daemon=True)
        self.watch = watch
        self.samples: collections.Counter[str] = collections.Counter()
        self._stop_event = threading.Event()

    def run(self) -> None:
        """Sample until stopped."""
        while not self._stop_event.wait(SAMPLE_EVERY_S):
            if not self.watch.thread_id or time.perf_counter() - self.watch.last_tick < SAMPLE_AFTER_S + TICK_S:
                continue
            names = {thread.ident: thread.name for thread in threading.enumerate()}
            for ident, frame in sys._current_frames().items():
                if ident == self.ident:
                    continue
                loop_thread = ident == self.watch.thread_id
                stack = traceback.extract_stack(frame)
                if not loop_thread and Path(stack[-1].filename).name in IDLE_FILES:
                    continue
                who = "event loop" if loop_thread else names.get(ident, str(ident))
                self.samples[f"{who}: {where(stack)}"] += 1

    def stop(self) -> None:
        """Stop sampling."""
        self._stop_event.set()


def where(stack: traceback.StackSummary) -> str:
    """The innermost frame, and the innermost frame of this project's code when that is another."""
    frames = [stack[-1]]
    own = next((f for f in reversed(stack) if any(part in f.filename for part in PROJECT_DIRS)), None)
    if own is not None and own is not stack[-1]:
        frames.append(own)
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames)


@dataclass
class GcWatch:
    """How long each garbage collection took, by generation (it holds the GIL, so it stalls the loop)."""

    durations_s: dict[int, list[float]] = field(default_factory=lambda: {0: [], 1: [], 2: []})
    _started: float = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        """A gc callback."""
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.durations_s[info["generation"]].append(time.perf_counter() - self._started)

    def summary(self) -> dict[str, Any]:
        """Count and longest pause per generation."""
        return {
            f"gen{gen}": {"count": len(d), "max_ms": round(max(d, default=0.0) * 1000, 1)}
            for gen, d in self.durations_s.items()
        }


class ErrorLog(logging.Handler):
    """Keeps the ERROR records of the bot's loggers (an unexpected exception while answering)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record."""
        self.records.append(record)

    def summary(self) -> list[str]:
        """Each distinct error once: its message and where it was raised."""
        seen: dict[str, None] = {}
        for record in self.records:
            line = record.getMessage()
            if record.exc_info and record.exc_info[2] is not None:
                frame = traceback.extract_tb(record.exc_info[2])[-1]
                line += f" (at {Path(frame.filename).name}:{frame.lineno} {frame.name})"
            seen.setdefault(line, None)
        return list(seen)


class TimedService(AnswerService):
    """The real service, keeping each answer's own timings."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timings: list[dict[str, float]] = []

    async def ask(self, question: str, history: Sequence[Turn] = (), **kwargs: Any) -> Answer:
        """Answer, and remember how long it took."""
        answer = await super().ask(question, history, **kwargs)
        self.timings.append(answer.timings_ms)
        return answer


# -- the fake Bot API in its own thread ------------------------------------------------------------------


class ServerThread:
    """An event loop in a thread, running the fake Bot API and the simulated users."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="fake-bot-api", daemon=True)
        self.api = FakeBotApi()

    def start(self) -> FakeBotApi:
        """Start the thread and the server."""
        self._thread.start()
        self.submit(self.api.start()).result()
        return self.api

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> Future[T]:
        """Run ``coroutine`` on the server's loop."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def close(self) -> None:
        """Stop the server and the thread."""
        self.submit(self.api.close()).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()


# -- the bot under load ------------------------------------------------------------------------------------


def load_settings(data_dir: Path, concurrency: int) -> Settings:
    """The bot's settings for a run: no .env, ``data_dir``, ``concurrency`` updates at once."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        questions_per_minute=QUESTIONS_PER_MINUTE,
        concurrent_updates=concurrency,
    )


def indexed_service(settings: Settings, sources: Sequence[str]) -> tuple[TimedService, IndexReport, float]:
    """A TimedService on the benchmark embedder that has indexed ``sources``, and the seconds indexing took."""
    service = TimedService(settings, make_embedder(settings))
    built = time.perf_counter()
    report = service.index_sources(sources)
    return service, report, time.perf_counter() - built


def bot_application(settings: Settings, service: AnswerService, api: FakeBotApi) -> AnyApp:
    """The real bot's Application, talking to ``api``."""
    bot_settings = settings.model_copy(
        update={"telegram_bot_token": SecretStr(api.token), "telegram_api_base_url": api.base_url}
    )
    return build_application(bot_settings, service)


@dataclass(frozen=True)
class Plan:
    """When each user sends which question (seconds after the start)."""

    sends: tuple[tuple[int, float, str], ...]  # (user index, offset, question), sorted by offset

    @classmethod
    def random(cls, users: int, per_user: int, arrival_s: float, think_s: tuple[float, float]) -> Plan:
        """Users arrive uniformly over ``arrival_s``; each asks ``per_user`` different questions."""
        rng = random.Random(SEED)
        sends = []
        for user in range(users):
            at = rng.uniform(0, arrival_s)
            for question in rng.sample(OPENING_QUESTIONS, per_user):
                sends.append((user, at, question))
                at += rng.uniform(*think_s)
        return cls(tuple(sorted(sends, key=lambda send: send[1])))


async def simulate(
    api: FakeBotApi, plan: Plan, users: Sequence[tuple[Chat, User]], expected_messages: int
) -> dict[tuple[int, int], float]:
    """Push every question at its moment; wait for the expected number of replies; return push times."""
    pushed: dict[tuple[int, int], float] = {}
    asked = collections.Counter[int]()
    start = time.monotonic()
    for user_index, offset, question in plan.sends:
        delay = start + offset - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        chat, user = users[user_index]
        api.push_text(chat, user, question)
        pushed[(chat.id, asked[chat.id])] = time.monotonic()
        asked[chat.id] += 1
    seen = {"index": 0, "replies": 0}

    def all_replied() -> bool:  # counts new calls only: this runs on every call the server records
        for call in api.calls[seen["index"] :]:
            seen["replies"] += call.method == "sendMessage" and call.ok
        seen["index"] = len(api.calls)
        return seen["replies"] >= expected_messages

    await api.wait_for(all_replied, timeout=FINISH_TIMEOUT_S)
    await asyncio.sleep(1.0)  # anything beyond the expected would be a duplicate
    return pushed


# -- the run ---------------------------------------------------------------------------------------------


async def reference_answers(service: AnswerService) -> dict[str, list[str]]:
    """Each question's reply as the bot would send it (today's freshness line included), asked alone."""
    today, days = utc_now().date(), service.settings.freshness_days
    return {
        question: format_answer_html(await service.ask(question), today=today, freshness_days=days)
        for question in OPENING_QUESTIONS
    }


async def run_load(settings: Settings, service: TimedService, plan: Plan, users: int, per_user: int) -> dict[str, Any]:
    """Start the bot against the fake server, play the plan, and measure."""
    await service.start()
    reference = await reference_answers(service)
    service.timings.clear()
    server = ServerThread()
    api = server.start()
    people = [(api.private_chat(user), user) for user in (api.user(f"User {i}") for i in range(users))]
    expected: dict[int, list[str]] = collections.defaultdict(list)  # chat id -> expected reply pieces, in order
    asked: dict[int, list[str]] = collections.defaultdict(list)
    for user_index, _, question in plan.sends:
        chat_id = people[user_index][0].id
        asked[chat_id].append(question)
        expected[chat_id].extend(reference[question])
    expected_messages = sum(len(pieces) for pieces in expected.values())

    application = bot_application(settings, service, api)
    watch = LoopWatch()
    sampler = StallSampler(watch)
    gc_watch = GcWatch()
    errors = ErrorLog()
    logging.getLogger("bot").addHandler(errors)
    rss_before = current_rss_mb()
    cpu_before = os.times()
    async with polling(application, timeout_s=10):
        gc.callbacks.append(gc_watch)  # after start-up, whose own full collection is deliberate
        ticker = asyncio.create_task(watch.run())
        sampler.start()
        started = time.monotonic()
        try:
            pushed = await asyncio.wrap_future(server.submit(simulate(api, plan, people, expected_messages)))
        finally:
            finished = time.monotonic()
            watch.stopped = True
            await ticker
            sampler.stop()
    cpu_after = os.times()
    if gc_watch in gc.callbacks:
        gc.callbacks.remove(gc_watch)
    logging.getLogger("bot").removeHandler(errors)
    calls = list(api.calls)
    server.close()
    return analyse(
        calls=calls,
        pushed=pushed,
        asked=asked,
        reference=reference,
        expected=expected,
        watch=watch,
        sampler=sampler,
        gc_watch=gc_watch,
        errors=errors,
        service=service,
        wall_s=finished - started,
        cpu_s=(cpu_after.user + cpu_after.system) - (cpu_before.user + cpu_before.system),
        rss_before_mb=rss_before,
    )


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def analyse(
    *,
    calls: Sequence[Call],
    pushed: dict[tuple[int, int], float],
    asked: dict[int, list[str]],
    reference: dict[str, list[str]],
    expected: dict[int, list[str]],
    watch: LoopWatch,
    sampler: StallSampler,
    gc_watch: GcWatch,
    errors: ErrorLog,
    service: TimedService,
    wall_s: float,
    cpu_s: float,
    rss_before_mb: float,
) -> dict[str, Any]:
    """Check exactly-once and order per chat; compute latencies and the loop's lateness."""
    sent: dict[int, list[Call]] = collections.defaultdict(list)
    for call in calls:
        if call.method == "sendMessage" and call.ok and isinstance(call.chat_id, int):
            sent[call.chat_id].append(call)
    failed_calls = collections.Counter(f"{c.method} {c.status}" for c in calls if not c.ok)
    wrong_count, out_of_order, differs = [], 0, 0
    examples: list[dict[str, Any]] = []
    latencies: list[float] = []
    for chat_id, questions in asked.items():
        replies = sent.get(chat_id, [])
        if len(replies) != len(expected[chat_id]):
            wrong_count.append({"chat": chat_id, "expected": len(expected[chat_id]), "got": len(replies)})
            continue
        position = 0
        for index, question in enumerate(questions):
            pieces = reference[question]
            got = [call.text for call in replies[position : position + len(pieces)]]
            if got != pieces:
                others = {piece for q in questions if q != question for piece in reference[q]}
                if any(text in others for text in got):
                    out_of_order += 1
                else:
                    differs += 1
                    if len(examples) < 3:
                        examples.append({"question": question, "expected": pieces, "got": got})
            latencies.append(replies[position + len(pieces) - 1].at - pushed[(chat_id, index)])
            position += len(pieces)
    questions_total = sum(len(q) for q in asked.values())
    service_ms = [t.get("total", 0.0) for t in service.timings]
    late_ms = [s * 1000 for s in watch.lateness_s]
    return {
        "questions": questions_total,
        "answered_exactly_once": not wrong_count,
        "chats_with_wrong_reply_count": wrong_count[:20],
        "order_kept": out_of_order == 0 and not wrong_count,
        "replies_out_of_order": out_of_order,
        "replies_differing_from_reference": differs,
        "failed_api_calls": dict(failed_calls),
        "error_replies": sum(1 for chat in sent.values() for call in chat if call.text.startswith(APOLOGY)),
        "errors_logged": len(errors.records),
        "distinct_errors": errors.summary()[:10],
        "service_answers": len(service.timings),
        "latency_s": {
            "p50": round(percentile(latencies, 50), 3),
            "p95": round(percentile(latencies, 95), 3),
            "max": round(max(latencies, default=float("nan")), 3),
            "mean": round(statistics.fmean(latencies), 3) if latencies else None,
        },
        "service_time_ms": {
            "p50": round(percentile(service_ms, 50), 1),
            "p95": round(percentile(service_ms, 95), 1),
        },
        "wall_s": round(wall_s, 1),
        "throughput_per_s": round(questions_total / wall_s, 2),
        "cpu_s": round(cpu_s, 1),
        "rss_before_mb": round(rss_before_mb, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "loop": {
            "tick_s": TICK_S,
            "ticks": len(late_ms),
            "max_lateness_ms": round(watch.worst_s * 1000, 1),
            "p99_lateness_ms": round(percentile(late_ms, 99), 1),
            "p50_lateness_ms": round(percentile(late_ms, 50), 2),
            "ticks_over_target": sum(1 for ms in late_ms if ms > STALL_TARGET_MS),
            "target_ms": STALL_TARGET_MS,
            "stall_samples": dict(sampler.samples.most_common(12)),
        },
        "gc": gc_watch.summary(),
        "differing_examples": examples,
    }


def run(users: int, per_user: int, arrival_s: float, think_s: tuple[float, float], concurrency: int) -> dict[str, Any]:
    """Build the index in a temporary directory and run the load against it."""
    load_start = load_average()
    with tempfile.TemporaryDirectory(prefix="policybot-load-") as data_dir:
        settings = load_settings(Path(data_dir), concurrency)
        service, report, index_s = indexed_service(settings, [str(settings.seeds_dir)])
        if report.failed:
            raise SystemExit(f"cannot index the seed articles: {report.failed}")
        unusable = [q for q in OPENING_QUESTIONS if is_follow_up(q)]
        if unusable:
            raise SystemExit(f"these questions read as follow-ups, so history would change them: {unusable}")
        plan = Plan.random(users, per_user, arrival_s, think_s)
        result = asyncio.run(run_load(settings, service, plan, users, per_user))
    return {
        "benchmark": "load",
        "users": users,
        "questions_per_user": per_user,
        "arrival_window_s": arrival_s,
        "think_time_s": list(think_s),
        "concurrent_updates": concurrency,
        "index_build_s": round(index_s, 1),
        **result,
        "machine": machine_info(),
        "load_average_start_end": [load_start, load_average()],
    }


def summary_table(result: dict[str, Any]) -> str:
    """The result as a markdown table with a footer."""
    loop = result["loop"]
    latency = result["latency_s"]
    rows = [
        ("questions (users × each)", f"{result['questions']} ({result['users']} × {result['questions_per_user']})"),
        ("answered exactly once", "yes" if result["answered_exactly_once"] else "NO"),
        ("per-chat order kept", "yes" if result["order_kept"] else f"NO ({result['replies_out_of_order']})"),
        ("replies unlike the reference answer", result["replies_differing_from_reference"]),
        ("failed Bot API calls", sum(result["failed_api_calls"].values())),
        ("“something went wrong” replies (errors logged)", f"{result['error_replies']} ({result['errors_logged']})"),
        ("reply latency p50 / p95 / max", f"{latency['p50']} s / {latency['p95']} s / {latency['max']} s"),
        (
            "service time per answer p50 / p95",
            f"{result['service_time_ms']['p50']} ms / {result['service_time_ms']['p95']} ms",
        ),
        ("throughput", f"{result['throughput_per_s']} questions/s over {result['wall_s']} s"),
        ("CPU time", f"{result['cpu_s']} s"),
        ("RSS before / peak", f"{result['rss_before_mb']} MiB / {result['peak_rss_mb']} MiB"),
        ("event loop longest stall", f"{loop['max_lateness_ms']} ms (target ≤ {loop['target_ms']:.0f} ms)"),
        ("event loop lateness p50 / p99", f"{loop['p50_lateness_ms']} ms / {loop['p99_lateness_ms']} ms"),
        ("ticks over the target", f"{loop['ticks_over_target']} of {loop['ticks']}"),
        (
            "full garbage collections (longest)",
            f"{result['gc']['gen2']['count']} ({result['gc']['gen2']['max_ms']} ms)",
        ),
    ]
    footer = [
        f"Arrivals over {result['arrival_window_s']} s, {result['think_time_s'][0]}–{result['think_time_s'][1]} s "
        f"between a user's questions (not waiting for replies), {result['concurrent_updates']} updates at once.",
        f"{machine_line(result['machine'])}; {load_note(result)}.",
    ]
    return "\n".join([markdown_table(("measure", "value"), rows), "", *footer])


# -- the memory scenario: 300+ articles, 2,000 distinct questions, RSS as they are answered ---------------

MEMORY_ARTICLES = 320
MEMORY_QUESTIONS = 2000
MEMORY_USERS = 200
MEMORY_IN_FLIGHT = 16  # questions pushed and not yet answered: enough to keep every slot busy
MEMORY_CHECKPOINTS = (100, 250, 500, 750, 1000, 1250, 1500, 1750, 2000)
FLAT_FROM = 500
FLAT_TOLERANCE = 0.10
CALLS_KEPT = 500  # the fake server's call log is counted and emptied past this, so it does not grow either


def distinct_questions(count: int) -> list[str]:
    """``count`` distinct questions (``tests/fakes/questions.py``), in a seeded random order."""
    questions = combined_questions()
    if count > len(questions):
        raise SystemExit(f"at most {len(questions)} distinct questions")
    random.Random(SEED).shuffle(questions)
    return questions[:count]


async def drive(
    api: FakeBotApi, people: Sequence[tuple[Chat, User]], questions: Sequence[str], answered: Any
) -> dict[str, int]:
    """Push the questions, at most MEMORY_IN_FLIGHT unanswered at a time, round-robin over the users; wait for
    every answer. Runs on the fake server's loop; ``answered()`` counts the service's answers."""
    counts = {"replies": 0, "apologies": 0, "failed_calls": 0}

    def tally() -> None:
        for call in api.calls:
            if call.method == "sendMessage":
                counts["replies"] += call.ok
                counts["apologies"] += call.ok and call.text.startswith(APOLOGY)
            counts["failed_calls"] += not call.ok
        api.calls.clear()

    for number, question in enumerate(questions):
        while number - answered() >= MEMORY_IN_FLIGHT:
            await asyncio.sleep(0.01)
        chat, user = people[number % len(people)]
        api.push_text(chat, user, question)
        if len(api.calls) > CALLS_KEPT:
            tally()
    deadline = time.monotonic() + FINISH_TIMEOUT_S
    while answered() < len(questions) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.0)  # the last replies are sent after the answer is counted
    tally()
    return counts


async def sample_rss(service: TimedService, checkpoints: Sequence[int], samples: dict[int, float]) -> None:
    """Record the process's RSS as the service's answer count passes each checkpoint."""
    pending = list(checkpoints)
    while pending:
        answered = len(service.timings)
        while pending and answered >= pending[0]:
            samples[pending.pop(0)] = round(current_rss_mb(), 1)
        await asyncio.sleep(0.02)


async def run_memory_load(
    settings: Settings, service: TimedService, questions: Sequence[str], users: int
) -> dict[str, Any]:
    """Start the bot against the fake server, ask every question, and sample RSS along the way."""
    await service.start()
    server = ServerThread()
    api = server.start()
    people = [(api.private_chat(user), user) for user in (api.user(f"User {i}") for i in range(users))]
    application = bot_application(settings, service, api)
    errors = ErrorLog()
    logging.getLogger("bot").addHandler(errors)
    checkpoints = sorted({c for c in MEMORY_CHECKPOINTS if c <= len(questions)} | {len(questions)})
    samples: dict[int, float] = {}
    async with polling(application, timeout_s=10):
        samples[0] = round(current_rss_mb(), 1)
        sampler = asyncio.create_task(sample_rss(service, checkpoints, samples))
        started = time.monotonic()
        try:
            counts = await asyncio.wrap_future(
                server.submit(drive(api, people, questions, lambda: len(service.timings)))
            )
            await asyncio.wait_for(sampler, timeout=30)
        finally:
            wall_s = time.monotonic() - started
            sampler.cancel()
    logging.getLogger("bot").removeHandler(errors)
    server.close()
    last = checkpoints[-1]
    base = samples.get(FLAT_FROM)
    growth = (samples[last] - base) / base if base and last in samples and last > FLAT_FROM else None
    service_ms = [t.get("total", 0.0) for t in service.timings]
    return {
        "questions": len(questions),
        "service_answers": len(service.timings),
        **counts,
        "errors_logged": len(errors.records),
        "distinct_errors": errors.summary()[:10],
        "rss_mb_at_answers": {str(k): v for k, v in sorted(samples.items())},
        "rss_growth_from_500": round(growth, 4) if growth is not None else None,
        "rss_max_from_500_mb": max((v for k, v in samples.items() if k >= FLAT_FROM), default=None),
        "flat_within_10_percent": growth is not None and abs(growth) <= FLAT_TOLERANCE,
        "service_time_ms": {"p50": round(percentile(service_ms, 50), 1), "p95": round(percentile(service_ms, 95), 1)},
        "wall_s": round(wall_s, 1),
        "throughput_per_s": round(len(questions) / wall_s, 2) if wall_s else None,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def run_memory(users: int, total: int, articles: int, concurrency: int) -> dict[str, Any]:
    """Index ``articles`` synthetic articles and ask ``total`` distinct questions through the bot."""
    load_start = load_average()
    with tempfile.TemporaryDirectory(prefix="policybot-memory-") as root:
        settings = load_settings(Path(root) / "data", concurrency)
        corpus = Path(root) / "articles"
        corpus.mkdir()
        for number, text in enumerate(synthetic_articles(load_seed_documents(settings), articles, random.Random(SEED))):
            (corpus / f"digest-{number:04d}.md").write_text(text, encoding="utf-8")
        service, report, index_s = indexed_service(settings, [str(corpus)])
        if report.failed or len(report.added) != articles:
            raise SystemExit(f"cannot index the synthetic articles: {report.failed[:3]}")
        snapshot = service.snapshot
        result = asyncio.run(run_memory_load(settings, service, distinct_questions(total), users))
    return {
        "benchmark": "load-memory",
        "articles": articles,
        "chunks": len(snapshot.chunks),
        "sentences": len(snapshot.sentence_table.spans),
        "users": users,
        "in_flight": MEMORY_IN_FLIGHT,
        "concurrent_updates": concurrency,
        "index_build_s": round(index_s, 1),
        **result,
        "machine": machine_info(),
        "load_average_start_end": [load_start, load_average()],
    }


def memory_table(result: dict[str, Any]) -> str:
    """The memory scenario as a markdown table with a footer."""
    rows = [(f"RSS after {answers} answers", f"{mb} MiB") for answers, mb in result["rss_mb_at_answers"].items()]
    growth = result["rss_growth_from_500"]
    rows += [
        (
            f"growth from answer {FLAT_FROM} to {result['questions']}",
            "n/a"
            if growth is None
            else f"{growth:+.1%} ({'flat' if result['flat_within_10_percent'] else 'NOT flat'})",
        ),
        ("answers / replies sent", f"{result['service_answers']} / {result['replies']}"),
        ("“something went wrong” replies (errors logged)", f"{result['apologies']} ({result['errors_logged']})"),
        (
            "service time per answer p50 / p95",
            f"{result['service_time_ms']['p50']} / {result['service_time_ms']['p95']} ms",
        ),
        ("throughput", f"{result['throughput_per_s']} questions/s over {result['wall_s']} s"),
    ]
    footer = [
        f"{result['articles']} synthetic articles ({result['chunks']} chunks, {result['sentences']} sentences), "
        f"{result['users']} users, {result['in_flight']} questions in flight, {result['concurrent_updates']} updates "
        f"at once; RSS of the one process (bot, and the fake Bot API thread with its stored messages).",
        f"{machine_line(result['machine'])}; {load_note(result)}.",
    ]
    return "\n".join([markdown_table(("measure", "value"), rows), "", *footer])


def main(argv: Sequence[str] | None = None) -> None:
    """Run a load scenario, write its JSON and print its table."""
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenario",
        choices=["saturation", "memory"],
        default="saturation",
        help="saturation: the seeds, more questions than 2 cores serve (throughput); memory: 300+ articles, "
        "2,000 distinct questions, RSS sampled as they are answered",
    )
    parser.add_argument("--users", type=int, default=None, help=f"default {DEFAULT_USERS}, memory {MEMORY_USERS}")
    parser.add_argument("--questions", type=int, default=None, help="per user (memory: in all)")
    parser.add_argument("--arrival-s", type=float, default=DEFAULT_ARRIVAL_S, help="users start within this window")
    parser.add_argument("--think-s", type=float, nargs=2, default=DEFAULT_THINK_S, metavar=("MIN", "MAX"))
    parser.add_argument("--concurrency", type=int, default=Settings.model_fields["concurrent_updates"].default)
    parser.add_argument("--articles", type=int, default=MEMORY_ARTICLES, help="memory: synthetic articles")
    parser.add_argument("--name", default=None, help="result file name under bench/results/")
    args = parser.parse_args(argv)
    if args.scenario == "memory":
        total = args.questions or MEMORY_QUESTIONS
        result = run_memory(args.users or MEMORY_USERS, total, args.articles, args.concurrency)
        path = write_result(args.name or "load-memory", result)
        print(memory_table(result))
        print(f"\n(written to {path})")
        return
    per_user = args.questions or DEFAULT_QUESTIONS_PER_USER
    if per_user > len(OPENING_QUESTIONS):
        parser.error(f"at most {len(OPENING_QUESTIONS)} questions per user")
    result = run(args.users or DEFAULT_USERS, per_user, args.arrival_s, tuple(args.think_s), args.concurrency)
    path = write_result(args.name or "load", result)
    print(summary_table(result))
    print(f"\n(written to {path})")


if __name__ == "__main__":
    main()
