"""``policybot feeds add|list|remove|poll`` through the real CLI entry point, against feeds on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from fakes.feed_server import FeedItem, FeedServer, article_html, rss
from fakes.wire_stories import TORKHAM

from bot.cli import main
from index.store import load_snapshot

DAY = dt.datetime(2025, 11, 12, 9, 0, tzinfo=dt.UTC)


def test_feeds_add_list_remove_and_bad_urls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    assert main([*data, "feeds", "add", "file:///etc/passwd"]) == 1
    assert "only http" in capsys.readouterr().err
    assert main([*data, "feeds", "add", "http://127.0.0.1:9/feed.xml"]) == 1
    assert "private or local network" in capsys.readouterr().err
    public = "https://93.184.215.14/rss"  # a public address given as a number: no DNS needed to check it
    assert main([*data, "feeds", "add", public, "--kind", "opinion"]) == 0
    assert f"added: {public} (opinion)" in capsys.readouterr().out
    assert main([*data, "feeds", "list"]) == 0
    assert "[opinion]" in capsys.readouterr().out
    assert main([*data, "feeds", "remove", public]) == 0
    assert main([*data, "feeds", "remove", public]) == 1
    assert "no such feed" in capsys.readouterr().err


@pytest.mark.slow
def test_feeds_poll_indexes_new_items_and_reports_failures(
    seeded_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(seeded_data_dir, data_dir)
    monkeypatch.setenv("POLICYBOT_ALLOW_PRIVATE_URLS", "true")
    data = ["--data-dir", str(data_dir)]
    with FeedServer() as server:
        page = server.put("/dawn/torkham", article_html("Thousands return through Torkham", "Dawn", TORKHAM))
        server.put("/dawn.xml", rss("Dawn", [FeedItem("Torkham", page, DAY)]))
        server.put("/broken.xml", "not a feed", "text/plain")
        assert main([*data, "feeds", "add", server.url("/dawn.xml"), "--kind", "agency"]) == 0
        assert main([*data, "feeds", "add", server.url("/broken.xml")]) == 0
        capsys.readouterr()
        assert main([*data, "feeds", "poll"]) == 0
        out = capsys.readouterr()
        assert "1 new articles" in out.out and "1 failed" in out.out
        assert "not an RSS or Atom feed" in out.err
        assert main([*data, "feeds", "list"]) == 0
        listing = capsys.readouterr().out
        assert "Dawn: 1 indexed" in listing and "failing (1x)" in listing
        assert main([*data, "feeds", "poll"]) == 0
        assert "0 new articles, 1 unchanged" in capsys.readouterr().out
    snapshot = load_snapshot(data_dir / "index", "all-MiniLM-L6-v2")
    [added] = [d for d in snapshot.documents.values() if d.url == page]
    assert (added.kind, added.date, added.story_id) == ("agency", "2025-11-12", added.doc_id)
