"""Feeds end to end against RSS and Atom feeds and article pages served on 127.0.0.1: new items answerable after
one poll, conditional GET, wire stories under three outlets, source kinds, faults, caps and backoff."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.feed_server import FeedItem, FeedServer, article_html, atom, rss
from fakes.wire_stories import BORDER, BORDER_APP, BORDER_EDITED, CARDS, OPINION, TORKHAM

from bot.answering.service import AnswerService
from bot.settings import Settings
from bot.telegram.formatting import format_answer_html
from index.documents import FetchLimits
from index.embedding import SentenceTransformerEmbedder
from index.feeds import (
    MAX_PROBLEMS_KEPT,
    FeedLimits,
    FeedOutcome,
    FeedPoller,
    FeedRegistry,
    backoff_s,
    normalize_url,
)
from index.search import prefer_authoritative, stated_figures
from index.types import Passage

DAY = dt.datetime(2025, 11, 12, 9, 0, tzinfo=dt.UTC)
LOCAL = FetchLimits(timeout_s=5.0, max_bytes=1_000_000, allow_private=True)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    """A feed server on 127.0.0.1."""
    with FeedServer() as running:
        yield running


def feed_service(settings: Settings, embedder: SentenceTransformerEmbedder, **overrides: object) -> AnswerService:
    """The service on the seeded index, allowed to fetch from 127.0.0.1."""
    values: dict[str, object] = {"allow_private_urls": True, "fetch_timeout_s": 5.0, **overrides}
    return AnswerService(settings.model_copy(update=values), embedder)


def publish(server: FeedServer, path: str, title: str, site: str, text: str) -> str:
    """Serve one article page; its URL."""
    return server.put(path, article_html(title, site, text))


# -- polling through the service, with the real model ----------------------------------------------


@pytest.mark.slow
async def test_new_items_are_answerable_after_one_poll_and_an_unchanged_feed_costs_one_request(
    server: FeedServer, settings: Settings, embedder: SentenceTransformerEmbedder
) -> None:
    service = feed_service(settings, embedder)
    before = len(service.snapshot.documents)
    torkham = publish(server, "/dawn/torkham", "Thousands return through Torkham", "Dawn", TORKHAM)
    cards = publish(server, "/dawn/cards", "Card holders get until March", "Dawn", CARDS)
    rss_url = server.put("/dawn.xml", rss("Dawn", [FeedItem("Torkham", torkham, DAY), FeedItem("Cards", cards, DAY)]))
    opinion = publish(server, "/op/border", "A border is not a policy", "The Frontier Post", OPINION)
    atom_url = server.put("/op.atom", atom("Frontier Post opinion", [FeedItem("Border", opinion, DAY)]))
    service.feeds.registry.add(rss_url, "news", service.limits)
    service.feeds.registry.add(atom_url, "opinion", service.limits)

    report = await service.poll_feeds()
    assert (report.new_items, report.failed, report.requests) == (3, (), 5)
    assert len(service.snapshot.documents) == before + 3

    answer = await service.ask("How many people crossed at Torkham in a single day?")
    assert not answer.refused
    assert "3,100" in answer.text
    assert torkham in {c.url for c in answer.citations}
    dated = next(c for c in answer.citations if c.url == torkham)
    assert (dated.date, dated.source, dated.kind) == ("2025-11-12", "Dawn", "news")

    # unchanged feeds: one conditional request each, answered 304, and no article page again
    hits = dict(server.hits)
    again = await service.poll_feeds()
    assert (again.new_items, again.unchanged, again.requests) == (0, 2, 2)
    assert server.not_modified["/dawn.xml"] == 1 and server.not_modified["/op.atom"] == 1
    assert server.hits["/dawn/torkham"] == hits["/dawn/torkham"] == 1

    # a changed feed: the new item only
    border = publish(server, "/dawn/border", "Chaman reopens", "Dawn", BORDER)
    server.put(
        "/dawn.xml",
        rss(
            "Dawn", [FeedItem("Chaman", border, DAY), FeedItem("Torkham", torkham, DAY), FeedItem("Cards", cards, DAY)]
        ),
    )
    third = await service.poll_feeds()
    assert (third.new_items, third.requests) == (1, 3)
    assert server.hits["/dawn/torkham"] == 1 and server.hits["/dawn/border"] == 1

    # the opinion piece is labelled as opinion wherever it is cited
    answer = await service.ask("Why is a border that shuts after every clash not a policy?")
    cited = [c for c in answer.citations if c.url == opinion]
    assert cited and cited[0].kind == "opinion"
    assert "(opinion)" in "".join(format_answer_html(answer))


@pytest.mark.slow
async def test_a_wire_story_under_three_outlets_is_one_story_with_three_outlets(
    server: FeedServer, settings: Settings, embedder: SentenceTransformerEmbedder
) -> None:
    service = feed_service(settings, embedder)
    for outlet, text in (("Dawn", BORDER), ("The Nation", BORDER_APP), ("Geo News", BORDER_EDITED)):
        slug = outlet.lower().replace(" ", "-")
        page = publish(server, f"/{slug}/chaman", "Chaman crossing reopens", outlet, text)
        url = server.put(f"/{slug}.xml", rss(outlet, [FeedItem("Chaman crossing reopens", page, DAY)]))
        service.feeds.registry.add(url, "news", service.limits)
    report = await service.poll_feeds()
    assert report.new_items == 3

    copies = [d for d in service.snapshot.documents.values() if "/chaman" in (d.url or "")]
    assert len(copies) == 3 and len({d.story_id for d in copies}) == 1

    _, passages = await service.retrieve("How many people crossed the Chaman border in the first six hours?")
    chaman = [p for p in passages if "/chaman" in (p.url or "")]
    assert len({p.doc_id for p in chaman}) == 1  # one copy of the story, not three sources
    answer = await service.ask("How many people crossed the Chaman border in the first six hours?")
    assert "1,840" in answer.text
    [citation] = [c for c in answer.citations if "/chaman" in (c.url or "")][:1]
    assert {citation.source, *citation.outlets} == {"Dawn", "The Nation", "Geo News"}
    assert len(citation.outlets) == 2
    assert "also run by" in "".join(format_answer_html(answer))


NOTICE = """Holders of Proof of Registration cards may remain in Pakistan until 31 March, the Ministry of Interior
notifies. Provincial governments shall not detain card holders before that date. Card holders who wish to stay
beyond it must apply for a visa through the designated offices."""
NEWS = """Afghans who hold Proof of Registration cards have until March 31 to leave or regularise their stay, officials
told reporters in Islamabad on Monday. Community leaders said many families had not heard of the deadline and
asked for the rules to be explained in Pashto and Dari on local radio."""


@pytest.mark.slow
async def test_official_and_agency_sources_come_first_when_they_say_the_same_thing(
    server: FeedServer, settings: Settings, embedder: SentenceTransformerEmbedder
) -> None:
    service = feed_service(settings, embedder)
    news = publish(server, "/news/cards", "Card holders have until March 31", "Daily Times", NEWS)
    notice = publish(server, "/gov/notice", "Notification on PoR card holders", "Ministry of Interior", NOTICE)
    news_feed = server.put("/news.xml", rss("Daily Times", [FeedItem("Cards", news, DAY)]))
    gov_feed = server.put("/gov.xml", rss("Interior", [FeedItem("Notice", notice, DAY)]))
    service.feeds.registry.add(news_feed, "news", service.limits)
    service.feeds.registry.add(gov_feed, "official", service.limits)
    await service.poll_feeds()
    kinds = {d.url: d.kind for d in service.snapshot.documents.values()}
    assert kinds[notice] == "official" and kinds[news] == "news"
    _, passages = await service.retrieve("Until when can Proof of Registration card holders stay?")
    urls = [p.url for p in passages]
    assert notice in urls and news in urls
    assert urls.index(notice) < urls.index(news)


@pytest.mark.slow
async def test_answers_go_on_while_a_poll_waits_on_a_slow_page(
    server: FeedServer, settings: Settings, embedder: SentenceTransformerEmbedder
) -> None:
    service = feed_service(settings, embedder, fetch_timeout_s=30.0)
    await service.start()
    slow = server.put("/slow/torkham", article_html("Torkham", "Dawn", TORKHAM), delay_s=8.0)
    service.feeds.registry.add(
        server.put("/slow.xml", rss("Slow", [FeedItem("Torkham", slow, DAY)])), "news", service.limits
    )
    poll = asyncio.create_task(service.poll_feeds())
    await asyncio.sleep(0.5)
    answer = await service.ask("How many Afghans has Pakistan deported?")
    assert not answer.refused and not poll.done()  # answered from the old index while the poll waits
    report = await poll
    assert report.new_items == 1


def passage(text: str, kind: str, n: int) -> Passage:
    """A retrieved passage of one kind."""
    return Passage(f"c{n}", f"d{n}", text, "t", "s", None, None, 0, len(text), 1.0 / n, 0.5, kind=kind)  # type: ignore[arg-type]


def test_prefer_authoritative_moves_a_notice_ahead_of_news_that_states_the_same_deadline() -> None:
    news = passage("Card holders must leave by March 31, the report said.", "news", 1)
    opinion = passage("The March 31 deadline is cruel.", "opinion", 2)
    notice = passage("Holders of the cards shall leave by 31 March 2025.", "official", 3)
    other = passage("About 800,000 people hold the cards.", "agency", 4)
    assert stated_figures(notice.text) == stated_figures(news.text) == frozenset({"31 mar"})
    assert [p.kind for p in prefer_authoritative([news, opinion, notice, other])] == [
        "official",
        "news",
        "opinion",
        "agency",  # states nothing the others state: it keeps its place
    ]
    assert prefer_authoritative([notice, news]) == [notice, news]


def test_stated_figures_leave_out_years_and_normalise_numbers() -> None:
    assert stated_figures("In 2025, 1,840 people crossed; 84 percent were families, on November 3.") == frozenset(
        {"1840", "84", "3 nov"}
    )


# -- the poller on its own (no model) ---------------------------------------------------------------


class Clock:
    """A settable clock."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def poller(tmp_path: Path, clock: Clock | None = None, **limits: object) -> FeedPoller:
    """A poller on a fresh registry, allowed to fetch from 127.0.0.1."""
    values: dict[str, object] = {"fetch": LOCAL, "interval_s": 3600.0, **limits}
    return FeedPoller(FeedRegistry(tmp_path / "feeds.sqlite"), FeedLimits(**values), clock or Clock())  # type: ignore[arg-type]


def poll(p: FeedPoller) -> list[FeedOutcome]:
    """Fetch and commit as if indexing succeeded."""
    batch = p.fetch()
    p.commit(batch, indexed=True)
    return batch.outcomes


def test_bad_feeds_and_bad_items_each_get_one_line_and_the_rest_goes_on(server: FeedServer, tmp_path: Path) -> None:
    p = poller(tmp_path, max_feed_bytes=20_000)
    good = publish(server, "/ok/torkham", "Torkham", "Dawn", TORKHAM)
    undated = publish(server, "/ok/undated", "Cards", "Dawn", CARDS)
    server.put("/report.pdf", b"%PDF-1.7 binary", "application/pdf")
    items = [
        FeedItem("Torkham", good, DAY),
        FeedItem("No link here", None, DAY),
        FeedItem("A report", server.url("/report.pdf"), DAY),
        FeedItem("Gone", server.url("/gone"), DAY),
        FeedItem("Undated", undated, None),
    ]
    feeds = {
        "good": server.put("/good.xml", rss("Good", items)),
        "not xml": server.put("/notxml", "this is not a feed at all", "text/plain"),
        "html": server.put("/page.html", "<html><body><p>Hello</p></body></html>"),
        "huge": server.put("/huge.xml", rss("Huge", [FeedItem("x" * 100, good, DAY)] * 300)),
        "to metadata": server.redirect("/meta.xml", "http://169.254.169.254/latest/meta-data/"),
        "to localhost": server.redirect("/local.xml", f"http://localhost:{server.base.rsplit(':', 1)[1]}/good.xml"),
        "missing": server.url("/no-feed.xml"),
    }
    registry = p.registry
    # the feed server is trusted by name; everything private it redirects to is not
    strict = FeedPoller(
        registry,
        FeedLimits(
            fetch=FetchLimits(timeout_s=5.0, allow_private=False, trusted_hosts=frozenset({"127.0.0.1"})),
            max_feed_bytes=20_000,
        ),
        Clock(),
    )
    for url in feeds.values():
        registry.add(url, "news", strict.limits.fetch)
    batch = strict.fetch()
    strict.commit(batch, indexed=True)
    by_url = {f.url: f for f in registry.feeds()}
    reasons = {name: by_url[normalize_url(url)].last_error or "" for name, url in feeds.items()}
    assert reasons["good"] == ""
    assert "not an RSS or Atom feed" in reasons["not xml"] and "not an RSS or Atom feed" in reasons["html"]
    assert "20,000-byte limit" in reasons["huge"]
    assert (
        "private or local network" in reasons["to metadata"] and "private or local network" in reasons["to localhost"]
    )
    assert "HTTP 404" in reasons["missing"]
    assert all("\n" not in reason for reason in reasons.values())
    good_feed = by_url[normalize_url(feeds["good"])]
    problems = " | ".join(good_feed.problems)
    assert good_feed.items_indexed == 2 and good_feed.items_failed == 2
    assert [d.url for d in batch.documents] == [good, undated]
    assert {d.date for d in batch.documents} == {"2025-11-12", None}
    full = registry.feeds(problems=10)
    problems = " | ".join(next(f for f in full if f.url == good_feed.url).problems)
    for expected in ("has no link", "is a PDF", "HTTP 404", "no date in the feed or on the page"):
        assert expected in problems
    assert server.hits["/ok/torkham"] == 1


def test_items_are_not_fetched_twice_by_url_or_by_content_hash(server: FeedServer, tmp_path: Path) -> None:
    p = poller(tmp_path)
    page = publish(server, "/a/torkham", "Torkham", "Dawn", TORKHAM)
    item = FeedItem("Torkham returns", page + "?utm_source=rss", DAY, summary="Thousands return.")
    server.put("/a.xml", rss("A", [item]), validators=False)
    p.registry.add(server.url("/a.xml"), "news", LOCAL)
    [first] = poll(p)
    assert [d.url for d in first.documents] == [page]  # the tracking parameter is not part of the item
    [again] = poll(p)
    assert again.documents == [] and server.hits["/a/torkham"] == 1
    assert server.hits["/a.xml"] == 2  # no validators: the whole feed each time, but no page again
    moved = publish(server, "/a/torkham-amp", "Torkham", "Dawn", TORKHAM)
    server.put("/a.xml", rss("A", [FeedItem("Torkham returns", moved, DAY, summary="Thousands return.")]))
    [moved_outcome] = poll(p)
    assert moved_outcome.documents == [] and server.hits["/a/torkham-amp"] == 0  # same item, new link


def test_items_per_poll_at_and_beyond_the_cap(server: FeedServer, tmp_path: Path) -> None:
    pages = [publish(server, f"/p/{n}", f"Story {n}", "Dawn", text) for n, text in enumerate((TORKHAM, CARDS, BORDER))]
    server.put("/feed.xml", rss("Dawn", [FeedItem(f"Story {n}", url, DAY) for n, url in enumerate(pages)]))

    at_cap = poller(tmp_path / "at", max_items_per_poll=3)
    at_cap.registry.add(server.url("/feed.xml"), "news", LOCAL)
    [outcome] = poll(at_cap)
    assert (len(outcome.documents), outcome.backlog) == (3, 0)

    over = poller(tmp_path / "over", max_items_per_poll=2)
    over.registry.add(server.url("/feed.xml"), "news", LOCAL)
    [outcome] = poll(over)
    assert (len(outcome.documents), outcome.backlog) == (2, 1)
    [feed] = over.registry.feeds()
    assert feed.etag is None and "1 more new items wait" in feed.problems[0]
    not_modified = server.not_modified["/feed.xml"]
    [outcome] = poll(over)  # the left-over item, although the feed did not change
    assert [d.url for d in outcome.documents] == [pages[2]] and outcome.backlog == 0
    assert server.not_modified["/feed.xml"] == not_modified
    [outcome] = poll(over)
    assert outcome.status == "unchanged"


def test_feed_size_at_and_beyond_the_cap(server: FeedServer, tmp_path: Path) -> None:
    body = rss("Dawn", [])
    server.put("/feed.xml", body)
    size = len(body.encode())
    at_cap = poller(tmp_path / "at", max_feed_bytes=size)
    at_cap.registry.add(server.url("/feed.xml"), "news", LOCAL)
    assert [o.status for o in poll(at_cap)] == ["new"]
    over = poller(tmp_path / "over", max_feed_bytes=size - 1)
    over.registry.add(server.url("/feed.xml"), "news", LOCAL)
    [outcome] = poll(over)
    assert outcome.status == "failed" and f"{size - 1:,}-byte limit" in (outcome.error or "")


def test_a_failing_feed_backs_off_and_never_stops_the_others(server: FeedServer, tmp_path: Path) -> None:
    clock = Clock()
    p = poller(tmp_path, clock, interval_s=3600.0, max_backoff_s=4 * 3600.0)
    good = publish(server, "/ok/1", "Torkham", "Dawn", TORKHAM)
    server.put("/good.xml", rss("Good", [FeedItem("Torkham", good, DAY)]))
    p.registry.add(server.url("/bad.xml"), "news", LOCAL)
    p.registry.add(server.url("/good.xml"), "news", LOCAL)
    statuses = [o.status for o in poll(p)]
    assert statuses == ["failed", "new"]
    assert [backoff_s(n, p.limits) for n in range(6)] == [0, 3600, 2 * 3600, 4 * 3600, 4 * 3600, 4 * 3600]
    clock.now += 3600
    assert [o.status for o in poll(p)] == ["failed", "unchanged"]  # one failure: retried at the next poll
    clock.now += 3600
    assert next(o.status for o in poll(p)) == "waiting"  # two: one poll skipped
    requests = server.hits["/bad.xml"]
    clock.now += 3600
    assert next(o.status for o in poll(p)) == "failed"
    assert server.hits["/bad.xml"] == requests + 1
    [bad, _] = p.registry.feeds()
    assert bad.failures == 3 and "HTTP 404" in (bad.last_error or "")
    server.put("/bad.xml", rss("Fixed", []))
    clock.now += 4 * 3600
    poll(p)
    [bad, _] = p.registry.feeds()
    assert (bad.failures, bad.last_error, bad.title) == (0, None, "Fixed")


def test_items_stay_unseen_when_indexing_fails(server: FeedServer, tmp_path: Path) -> None:
    p = poller(tmp_path)
    page = publish(server, "/ok/1", "Torkham", "Dawn", TORKHAM)
    server.put("/good.xml", rss("Good", [FeedItem("Torkham", page, DAY)]))
    p.registry.add(server.url("/good.xml"), "news", LOCAL)
    batch = p.fetch()
    report = p.commit(batch, indexed=False, index_error="disk full")
    assert report.new_items == 0 and report.index_error == "disk full"
    [feed] = p.registry.feeds()
    assert feed.last_error == "disk full" and feed.etag is None
    assert [d.url for d in p.fetch(force=True).documents] == [page]  # fetched again


def test_problems_kept_per_feed_at_and_beyond_the_bound(server: FeedServer, tmp_path: Path) -> None:
    p = poller(tmp_path)
    items = [FeedItem(f"no link {n}", None, DAY) for n in range(MAX_PROBLEMS_KEPT + 5)]
    server.put("/feed.xml", rss("Dawn", items[:MAX_PROBLEMS_KEPT]), validators=False)
    p.registry.add(server.url("/feed.xml"), "news", LOCAL)
    poll(p)
    [feed] = p.registry.feeds(problems=1000)
    assert len(feed.problems) == MAX_PROBLEMS_KEPT
    server.put("/feed.xml", rss("Dawn", items), validators=False)
    poll(p)
    [feed] = p.registry.feeds(problems=1000)
    assert len(feed.problems) == MAX_PROBLEMS_KEPT and feed.problems[0].startswith(f"no link {MAX_PROBLEMS_KEPT + 4}")


def test_adding_a_feed_obeys_the_same_address_rules_as_add(tmp_path: Path) -> None:
    registry = FeedRegistry(tmp_path / "feeds.sqlite")
    strict = FetchLimits(allow_private=False)
    from index.errors import DocumentError

    for url in ("file:///etc/passwd", "ftp://example.org/feed", "http://127.0.0.1:9/feed.xml", "http://10.1.2.3/rss"):
        with pytest.raises(DocumentError):
            registry.add(url, "news", strict)
    assert registry.feeds() == []
    feed, added = registry.add("http://127.0.0.1:9/feed.xml#top", "agency", LOCAL)
    again, added_again = registry.add("http://127.0.0.1:9/feed.xml", "official", LOCAL)
    assert (added, added_again, again.url, again.kind) == (True, False, feed.url, "official")
    assert registry.remove(feed.url).url == feed.url and registry.feeds() == []


def test_the_model_sees_each_passage_kind_and_the_rule_for_opinion() -> None:
    from bot.answering.prompts import PromptLibrary, format_passage_blocks

    blocks = format_passage_blocks([passage("A border is not a policy.", "opinion", 1), passage("x", "official", 2)])
    assert 'kind="opinion">' in blocks and 'kind="official">' in blocks
    system = PromptLibrary(Path(__file__).resolve().parent.parent / "prompts").render("system", today="2025-11-12")
    assert "opinion passage as that outlet's opinion" in system


def test_feed_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYBOT_TRUSTED_HOSTS", "Feeds.Intranet.example, 10.0.0.5")
    monkeypatch.setenv("POLICYBOT_FEED_INTERVAL_MIN", "15")
    settings = Settings()
    assert settings.trusted_hosts == ("feeds.intranet.example", "10.0.0.5")
    assert (settings.feed_interval_min, settings.feed_max_items_per_poll) == (15, 50)
    assert Settings().feeds_file == settings.data_dir / "feeds.sqlite"
    monkeypatch.setenv("POLICYBOT_FEED_INTERVAL_MIN", "0")
    with pytest.raises(ValueError, match="feed_interval_min"):
        Settings()
