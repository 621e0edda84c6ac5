"""Feeds through the real PTB Application against the fake Bot API: /feeds, /addfeed, /removefeed (admins
only), the poll job on PTB's JobQueue, faults in /feeds and /stats, new articles answered without a restart."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from fakes.feed_server import FeedItem, FeedServer, article_html, rss
from fakes.wire_stories import TORKHAM
from telegram_harness import StartBot

from bot.answering.service import AnswerService
from bot.telegram.handlers import FEED_JOB_NAME

ADMIN_ID = 1001
DAY = dt.datetime(2025, 11, 12, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def feeds() -> Any:
    """A feed server on 127.0.0.1 with one good RSS feed and one that is not a feed."""
    with FeedServer() as server:
        page = server.put("/dawn/torkham", article_html("Thousands return through Torkham", "Dawn", TORKHAM))
        server.put("/dawn.xml", rss("Dawn Pakistan", [FeedItem("Torkham", page, DAY), FeedItem("No link", None, DAY)]))
        server.put("/broken.xml", "<html><body>Moved to our app</body></html>")
        yield server


async def wait_for_poll(service: AnswerService, previous: object, timeout: float = 60.0) -> None:
    """Wait until the service finished a poll after ``previous``."""
    async with asyncio.timeout(timeout):
        while service.last_poll is previous:
            await asyncio.sleep(0.05)


async def test_feed_commands_are_for_admins_only(start_bot: StartBot, feeds: FeedServer) -> None:
    bot = await start_bot(admin_ids=(4242,), allow_private_urls=True)
    api = bot.api
    alice = api.user()
    chat = api.private_chat(alice)
    for command in ("/feeds", f"/addfeed {feeds.url('/dawn.xml')}", f"/removefeed {feeds.url('/dawn.xml')}"):
        [reply] = await bot.exchange(lambda command=command: api.push_text(chat, alice, command), chat.id)
        assert "not allowed" in reply.text
    assert bot.service.feeds.registry.feeds() == [] and feeds.requests == 0


@pytest.mark.slow
async def test_admin_adds_feeds_the_job_polls_them_and_faults_show_in_feeds_and_stats(
    start_bot: StartBot, feeds: FeedServer
) -> None:
    bot = await start_bot(admin_ids=(ADMIN_ID,), allow_private_urls=True, feed_interval_min=30)
    api, service = bot.api, bot.service
    [scheduled] = bot.app.job_queue.get_jobs_by_name(FEED_JOB_NAME)  # type: ignore[union-attr]
    assert scheduled.trigger.interval == dt.timedelta(minutes=30)
    admin = api.user("Admin")
    assert admin.id == ADMIN_ID  # the first user the fake API makes
    chat = api.private_chat(admin)
    before = len(service.sources())

    previous = service.last_poll
    [added] = await bot.exchange(
        lambda: api.push_text(chat, admin, f"/addfeed {feeds.url('/dawn.xml')} agency"), chat.id
    )
    assert added.text.startswith("Added:") and "[agency]" in added.text
    await wait_for_poll(service, previous)
    assert len(service.sources()) == before + 1

    previous = service.last_poll
    [bad] = await bot.exchange(lambda: api.push_text(chat, admin, f"/addfeed {feeds.url('/broken.xml')}"), chat.id)
    assert bad.text.startswith("Added:")
    await wait_for_poll(service, previous)

    [listing] = await bot.exchange(lambda: api.push_text(chat, admin, "/feeds"), chat.id)
    assert "Dawn Pakistan [agency]" in listing.text and "1 indexed" in listing.text
    assert "has no link" in listing.text
    assert "not an RSS or Atom feed" in listing.text
    [stats] = await bot.exchange(lambda: api.push_text(chat, admin, "/stats"), chat.id)
    assert "2, 1 failing" in stats.text and "not an RSS or Atom feed" in stats.text

    # the scheduled job itself: a pass over every due feed, the unchanged one costing one small request
    hits = feeds.hits["/dawn.xml"]
    previous = service.last_poll
    await scheduled.run(bot.app)
    assert service.last_poll is not previous and feeds.not_modified["/dawn.xml"] == 1
    assert feeds.hits["/dawn.xml"] == hits + 1 and feeds.hits["/dawn/torkham"] == 1

    [answer] = await bot.exchange(
        lambda: api.push_text(chat, admin, "How many people crossed at Torkham in a single day?"), chat.id
    )
    assert "3,100" in answer.text and "Dawn" in answer.text

    [removed] = await bot.exchange(
        lambda: api.push_text(chat, admin, f"/removefeed {feeds.url('/broken.xml')}"), chat.id
    )
    assert removed.text.startswith("Removed")
    [refused] = await bot.exchange(lambda: api.push_text(chat, admin, "/addfeed file:///etc/passwd"), chat.id)
    assert "only http" in refused.text and "\n" not in refused.text
    assert [f.url for f in service.feeds.registry.feeds()] == [feeds.url("/dawn.xml")]
    assert len(service.sources()) == before + 1  # removing a feed keeps what it brought
