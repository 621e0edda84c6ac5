"""The ``policybot`` command: index, ask, chat, sources, remove, eval, feeds, bot and run."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from bot.answering.answers import Answer
from bot.answering.service import AnswerService, Turn
from bot.errors import ConfigError, PolicybotError
from bot.rendering import Clock, Reply, answer_json, build_reply, date_range_text, format_date, render_plain, utc_now
from bot.settings import Settings
from index.feeds import Feed
from index.types import SOURCE_KINDS

log = logging.getLogger("policybot")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="policybot", description="Cited answers about a policy from an article corpus."
    )
    parser.add_argument("--data-dir", type=Path, help="where the index lives (default: $POLICYBOT_DATA_DIR or ./data)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    commands = parser.add_subparsers(dest="command", required=True)

    index = commands.add_parser("index", help="index files, folders or URLs (default: seeds/)")
    index.add_argument("sources", nargs="*", metavar="PATH|URL")
    index.add_argument("--rebuild", action="store_true", help="re-embed everything, e.g. after changing the model")

    ask = commands.add_parser("ask", help="answer one question, or one per line of a file")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--file", type=Path, help="a file with one question per line")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")

    commands.add_parser("chat", help="a conversation in the terminal")

    sources = commands.add_parser("sources", help="list the indexed articles, newest first")
    sources.add_argument("--json", action="store_true")

    remove = commands.add_parser("remove", help="remove an article from the index by id (or id prefix)")
    remove.add_argument("doc_id", metavar="ID")

    evaluation = commands.add_parser("eval", help="score answers on an evaluation file (JSONL)")
    evaluation.add_argument("file", type=Path)
    evaluation.add_argument("--json", action="store_true", help="print the summary and failures as JSON")

    feeds = commands.add_parser("feeds", help="news feeds (RSS/Atom) polled for new articles")
    feed_commands = feeds.add_subparsers(dest="feeds_command", required=True)
    feed_add = feed_commands.add_parser("add", help="register a feed")
    feed_add.add_argument("url", metavar="URL")
    feed_add.add_argument("--kind", choices=SOURCE_KINDS, default="news", help="what its articles are (default: news)")
    feed_commands.add_parser("list", help="the feeds, their last success and item counts")
    feed_remove = feed_commands.add_parser("remove", help="unregister a feed (its articles stay indexed)")
    feed_remove.add_argument("url", metavar="URL")
    feed_poll = feed_commands.add_parser("poll", help="one pass: fetch new items of every due feed and index them")
    feed_poll.add_argument("--all", action="store_true", help="also feeds that are backing off after failures")

    commands.add_parser("bot", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    commands.add_parser("run", help="the Telegram bot when TELEGRAM_BOT_TOKEN is set, else the terminal chat")
    return parser


def format_answer_plain(
    answer: Answer, *, today: date | None = None, newest_source_date: str | None = None, freshness_days: int = 30
) -> str:
    """An answer for the terminal: the lead, the freshness line, the evidence, the note, the sources."""
    reply = build_reply(answer, today=today, newest_source_date=newest_source_date, freshness_days=freshness_days)
    return render_plain(reply)


def _reply(service: AnswerService, answer: Answer, clock: Clock) -> Reply:
    """The reply to show for ``answer``, dated by ``clock`` against the newest indexed source."""
    return build_reply(answer, today=clock().date(), freshness_days=service.settings.freshness_days)


def _load_settings(args: argparse.Namespace) -> Settings:
    """Settings from the environment, with --data-dir applied."""
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"invalid setting {'.'.join(map(str, first['loc']))}: {first['msg']}") from exc
    if args.data_dir is not None:
        settings = settings.model_copy(update={"data_dir": args.data_dir})
    return settings


def cmd_index(service: AnswerService, args: argparse.Namespace) -> int:
    """Index the given sources and report what changed."""
    sources = args.sources or [str(service.settings.seeds_dir)]
    report = service.index_sources(sources, rebuild=args.rebuild, show_progress=sys.stderr.isatty())
    for _origin, reason in report.failed:
        print(f"skipped: {reason}", file=sys.stderr)
    snapshot = service.snapshot
    print(
        f"{len(report.added)} added, {len(report.replaced)} replaced, {len(report.unchanged)} unchanged, "
        f"{len(report.failed)} failed; {report.chunks_embedded} chunks embedded; "
        f"index: {len(snapshot.documents)} documents, {len(snapshot.chunks)} chunks"
    )
    return 1 if report.failed and not (report.added or report.replaced or report.unchanged) else 0


async def _ask_all(service: AnswerService, questions: Sequence[str], as_json: bool, clock: Clock = utc_now) -> int:
    """Answer each question and print it."""
    status = 0
    for question in questions:
        try:
            answer = await service.ask(question)
        except PolicybotError as exc:
            status = 1
            if as_json:
                print(json.dumps({"question": question, "error": str(exc)}, ensure_ascii=False))
            else:
                print(f"policybot: {exc}", file=sys.stderr)
            continue
        reply = _reply(service, answer, clock)
        if as_json:
            print(json.dumps(answer_json(answer, reply), ensure_ascii=False))
        else:
            if len(questions) > 1:
                print(f"Q: {question}")
            print(render_plain(reply))
            if len(questions) > 1:
                print()
    return status


def cmd_ask(service: AnswerService, args: argparse.Namespace) -> int:
    """Answer a question or a file of questions."""
    if args.file is not None:
        questions = [line.strip() for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    elif args.question:
        questions = [args.question]
    else:
        raise PolicybotError("give a QUESTION or --file FILE")
    return asyncio.run(_ask_all(service, questions, args.json))


async def _chat(service: AnswerService, clock: Clock = utc_now) -> int:
    """A read-answer loop on the terminal, keeping recent turns for follow-ups."""
    await service.start()
    first, last = service.date_range()
    span = date_range_text(first, last) or "dates unknown"
    print(
        f"policybot: ask about the indexed articles ({len(service.snapshot.documents)} articles, "
        f"{span}). /reset forgets the conversation, /quit leaves."
    )
    history: list[Turn] = []
    while True:
        try:
            line = await asyncio.to_thread(input, "> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        line = line.strip()
        if line in {"/quit", "/exit"}:
            return 0
        if line == "/reset":
            history.clear()
            print("(conversation forgotten)")
            continue
        if not line:
            continue
        try:
            answer = await service.ask(line, history)
        except PolicybotError as exc:
            print(exc)
            continue
        print(render_plain(_reply(service, answer, clock)))
        print()
        history = [*history, Turn(line, answer.text)][-service.settings.history_turns :]


def cmd_sources(service: AnswerService, args: argparse.Namespace) -> int:
    """List the indexed articles."""
    for info in service.sources():
        if args.json:
            print(json.dumps(info.__dict__, ensure_ascii=False))
        else:
            print(f"{info.doc_id}  {format_date(info.date):>14}  {info.source}: {info.title}  {info.url or ''}")
    return 0


def cmd_remove(service: AnswerService, args: argparse.Namespace) -> int:
    """Remove one article."""
    document = service.remove(args.doc_id)
    print(f"removed {document.doc_id}: {document.title} ({document.source})")
    return 0


def cmd_eval(service: AnswerService, args: argparse.Namespace) -> int:
    """Run the evaluation set and print the scores."""
    from bot.answering.evaluation import evaluate, load_questions

    report = asyncio.run(evaluate(service, load_questions(args.file)))
    if args.json:
        print(json.dumps({"summary": report.summary(), "failures": report.failures()}, ensure_ascii=False, indent=2))
        return 0
    for key, value in report.summary().items():
        print(f"{key:>24}: {value}")
    for failure in report.failures():
        print(f"  missed {failure['id']} ({failure['kind']}): {failure['question']}")
    return 0


def cmd_feeds(service: AnswerService, args: argparse.Namespace) -> int:
    """Add, list, remove or poll feeds."""
    poller = service.feeds
    if args.feeds_command == "add":
        feed, added = poller.registry.add(args.url, args.kind, service.limits)
        print(f"{'added' if added else 'already registered'}: {feed.url} ({feed.kind})")
    elif args.feeds_command == "remove":
        feed = poller.registry.remove(args.url)
        print(f"removed {feed.url}; its {feed.items_indexed} articles stay in the index")
    elif args.feeds_command == "list":
        for feed in poller.registry.feeds():
            print(describe_feed(feed))
    else:
        report = asyncio.run(service.poll_feeds(force=args.all))
        for url, reason in report.failed:
            print(f"failed: {url}: {reason}", file=sys.stderr)
        print(report.summary())
        return 1 if report.index_error else 0
    return 0


def describe_feed(feed: Feed) -> str:
    """One line per feed: URL, kind, counts, last success, and its state."""
    success = format_time(feed.last_success_at) if feed.last_success_at else "never"
    state = f"failing ({feed.failures}x): {feed.last_error}" if feed.last_error else "ok"
    return (
        f"{feed.url}  [{feed.kind}]  {feed.title or '(not polled yet)'}: {feed.items_indexed} indexed, "
        f"{feed.items_failed} failed, last success {success}; {state}"
    )


def format_time(timestamp: float) -> str:
    """A UTC time to the minute."""
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def cmd_bot(service: AnswerService, args: argparse.Namespace) -> int:
    """Run the Telegram bot until stopped."""
    if service.settings.telegram_bot_token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and export its token")
    from bot.telegram.application import run_bot

    run_bot(service.settings, service)
    return 0


def cmd_run(service: AnswerService, args: argparse.Namespace) -> int:
    """The main job: the bot when a token is set, else the terminal chat."""
    if service.settings.telegram_bot_token is not None:
        return cmd_bot(service, args)
    print("TELEGRAM_BOT_TOKEN is not set: starting the terminal chat instead.", file=sys.stderr)
    return asyncio.run(_chat(service))


COMMANDS = {
    "index": cmd_index,
    "ask": cmd_ask,
    "chat": lambda service, args: asyncio.run(_chat(service)),
    "sources": cmd_sources,
    "remove": cmd_remove,
    "eval": cmd_eval,
    "feeds": cmd_feeds,
    "bot": cmd_bot,
    "run": cmd_run,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run one subcommand, turning policybot errors into one line on stderr."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # httpx logs request URLs, which hold the bot token
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    try:
        settings = _load_settings(args)
        service = AnswerService.from_settings(settings)
        return int(COMMANDS[args.command](service, args))
    except PolicybotError as exc:
        log.debug("command failed", exc_info=exc)
        print(f"policybot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        return 0


if __name__ == "__main__":
    sys.exit(main())
