"""Feed polling: 20 RSS feeds of 50 items each served on 127.0.0.1; a first poll, a repeat poll of the unchanged
feeds, and a poll after a few feeds gained items, side by side in one run: seconds and HTTP requests.

Each poll is ``FeedPoller.fetch`` (conditional GET of every feed, then each new item's page through the checked
downloader and trafilatura) plus the wire-story grouping of the new articles (``StoryIndex.assign``) and
``commit`` (SQLite). Embedding the articles is ``bench.indexing``'s subject and is left out unless ``--index``
(then the first poll's articles go through ``AnswerService.add_documents`` with the real model).

The 1,000 articles are synthetic (sentences drawn at random from the seed articles, each article its own mix),
and 10 of them are wire stories carried by three feeds each, so grouping has work to do.

Run with ``python -m bench.feeds``; writes ``bench/results/feeds.json`` and prints a markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import load_average, load_note, machine_info, machine_line, markdown_table, write_result
from bench.corpus import load_seed_documents
from bot.settings import Settings
from index.chunking import split_sentences
from index.dedup import StoryIndex
from index.documents import FetchLimits
from index.feeds import FeedLimits, FeedPoller, FeedRegistry
from index.types import Document
from tests.fakes.feed_server import FeedItem, FeedServer, article_html, rss

FEEDS = 20
ITEMS = 50
WIRE_STORIES = 10
SENTENCES_PER_ARTICLE = 12
DAY = dt.datetime(2025, 11, 12, 9, 0, tzinfo=dt.UTC)


def synthetic_articles(seeds: list[Document], count: int, rng: random.Random) -> list[str]:
    """``count`` distinct article texts, each a random mix of seed sentences in paragraphs of three."""
    sentences = [
        d.text[start:end]
        for d in seeds
        if d.language == "en"
        for start, end in split_sentences(d.text)
        if len(d.text[start:end].split()) >= 8
    ]
    articles = []
    for number in range(count):
        picked = rng.sample(sentences, SENTENCES_PER_ARTICLE)
        picked[0] = f"Report {number}: {picked[0]}"
        paragraphs = [" ".join(picked[i : i + 3]) for i in range(0, len(picked), 3)]
        articles.append("\n\n".join(paragraphs))
    return articles


def serve_corpus(server: FeedServer, articles: list[str]) -> list[str]:
    """Publish ``FEEDS`` feeds of ``ITEMS`` items; the first ``WIRE_STORIES`` stories run in three feeds each."""
    urls = []
    texts = iter(articles)
    wire = [next(texts) for _ in range(WIRE_STORIES)]
    for feed in range(FEEDS):
        items = []
        for item in range(ITEMS):
            story = feed * ITEMS + item
            text = wire[item] if feed < 3 and item < WIRE_STORIES else next(texts)
            path = f"/outlet{feed}/story{story}"
            server.put(path, article_html(f"Story {story}", f"Outlet {feed}", text))
            items.append(FeedItem(f"Story {story}", server.url(path), DAY - dt.timedelta(minutes=story)))
        urls.append(server.put(f"/feed{feed}.xml", rss(f"Outlet {feed}", items), "application/rss+xml"))
    return urls


def timed_poll(
    poller: FeedPoller, server: FeedServer, stories: StoryIndex, known: dict[str, Document]
) -> dict[str, Any]:
    """One poll: fetch, group, commit; seconds of each and requests made."""
    before = server.requests
    started = time.perf_counter()
    batch = poller.fetch()
    fetched = time.perf_counter()
    grouped = stories.assign(known, batch.documents)
    known.update({d.doc_id: d for d in grouped})
    dedup_done = time.perf_counter()
    report = poller.commit(batch, indexed=True)
    done = time.perf_counter()
    return {
        "seconds": round(done - started, 3),
        "fetch_s": round(fetched - started, 3),
        "dedup_s": round(dedup_done - fetched, 3),
        "commit_s": round(done - dedup_done, 3),
        "requests": server.requests - before,
        "not_modified": report.unchanged,
        "new_articles": len(batch.documents),
        "stories": len({d.story_id for d in grouped}),
        "failed": len(report.failed),
        "documents": grouped,
    }


def run(concurrency: int, index: bool) -> dict[str, Any]:
    """The three polls, and (with ``index``) the first poll's articles embedded into a live index."""
    settings = Settings()
    seeds = load_seed_documents(settings)
    rng = random.Random(12)
    articles = synthetic_articles(seeds, FEEDS * ITEMS, rng)
    result: dict[str, Any] = {"machine": machine_info(), "concurrency": concurrency, "feeds": FEEDS, "items": ITEMS}
    load_start = load_average()
    with FeedServer() as server, tempfile.TemporaryDirectory() as tmp:
        urls = serve_corpus(server, articles)
        limits = FeedLimits(
            fetch=FetchLimits(timeout_s=30.0, allow_private=True), max_items_per_poll=ITEMS, concurrency=concurrency
        )
        poller = FeedPoller(FeedRegistry(Path(tmp) / "feeds.sqlite"), limits)
        for url in urls:
            poller.registry.add(url, "news", limits.fetch)
        stories, known = StoryIndex(), {}
        first = timed_poll(poller, server, stories, known)
        repeat = timed_poll(poller, server, stories, known)
        for feed in range(5):  # five feeds gain two items each
            extra = [FeedItem(f"New {feed}-{n}", server.url(f"/outlet{feed}/new{n}"), DAY) for n in range(2)]
            for n, text in enumerate(synthetic_articles(seeds, 2, rng)):
                server.put(f"/outlet{feed}/new{n}", article_html(f"New {feed}-{n}", f"Outlet {feed}", text))
            old = [
                FeedItem(f"Story {feed * ITEMS + i}", server.url(f"/outlet{feed}/story{feed * ITEMS + i}"), DAY)
                for i in range(ITEMS)
            ]
            server.put(f"/feed{feed}.xml", rss(f"Outlet {feed}", extra + old), "application/rss+xml")
        changed = timed_poll(poller, server, stories, known)
        if index:
            result["index_first_poll_s"] = index_documents(settings, first["documents"], Path(tmp))
    for poll in (first, repeat, changed):
        poll.pop("documents")
    result.update({"first": first, "repeat": repeat, "changed": changed})
    result["load_average_start_end"] = [load_start, load_average()]
    return result


def index_documents(settings: Settings, documents: list[Document], data_dir: Path) -> float:
    """Seconds to add ``documents`` to an empty live index with the real model."""
    from bot.answering.service import AnswerService

    service = AnswerService.from_settings(
        settings.model_copy(update={"data_dir": data_dir / "data", "seeds_dir": data_dir / "none"})
    )
    (data_dir / "none").mkdir(exist_ok=True)
    asyncio.run(service.start())
    started = time.perf_counter()
    asyncio.run(service.add_documents(documents))
    return round(time.perf_counter() - started, 1)


def main() -> None:
    """Run and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=FeedLimits().concurrency, help="feeds fetched at once")
    parser.add_argument("--index", action="store_true", help="also embed the first poll's articles (slow)")
    args = parser.parse_args()
    result = run(args.concurrency, args.index)
    path = write_result("feeds", result)
    rows = [
        [
            name,
            poll["seconds"],
            poll["fetch_s"],
            poll["dedup_s"],
            poll["commit_s"],
            poll["requests"],
            poll["not_modified"],
            poll["new_articles"],
            poll["stories"],
        ]
        for name, poll in (
            ("first poll", result["first"]),
            ("repeat poll (unchanged)", result["repeat"]),
            ("5 feeds +2 items", result["changed"]),
        )
    ]
    print(machine_line(result["machine"]))
    print(f"{FEEDS} feeds x {ITEMS} items, {args.concurrency} feeds at a time\n")
    print(
        markdown_table(
            ["poll", "total s", "fetch s", "dedup s", "commit s", "requests", "304 feeds", "new articles", "stories"],
            rows,
        )
    )
    if "index_first_poll_s" in result:
        print(f"\nembedding the first poll's articles into the live index: {result['index_first_poll_s']} s")
    print(f"\n{load_note(result)}; written to {path}")


if __name__ == "__main__":
    main()
