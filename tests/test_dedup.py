"""Wire-story grouping: thresholds chosen on labelled pairs, figure conflicts, the story index, retrieval."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import statistics
from pathlib import Path

import numpy as np
import pytest
from fakes.wire_stories import BORDER, BORDER_APP, BORDER_EDITED, BORDER_UPDATED, DIFFERENT_STORIES, SAME_STORY, TORKHAM

from index.dedup import (
    STORY_JACCARD,
    StoryIndex,
    conflicting_figures,
    jaccard,
    outlets_by_story,
    same_story,
    shingles,
)
from index.documents import content_id
from index.search import one_copy_per_story
from index.store import ChunkingConfig, load_snapshot, new_snapshot, save_snapshot
from index.types import Document


def doc(text: str, source: str, date: str | None = "2025-11-12") -> Document:
    """A document of ``text`` from outlet ``source``."""
    return Document(content_id(text), text, "A headline", source, date, None, f"{source}/{content_id(text)}")


@pytest.mark.parametrize(("name", "a", "b"), SAME_STORY, ids=[n for n, _, _ in SAME_STORY])
def test_copies_of_one_story_are_one_story(name: str, a: str, b: str) -> None:
    assert same_story(a, b) and same_story(b, a)


@pytest.mark.parametrize(("name", "a", "b"), DIFFERENT_STORIES, ids=[n for n, _, _ in DIFFERENT_STORIES])
def test_different_stories_on_the_same_topic_stay_apart(name: str, a: str, b: str) -> None:
    assert not same_story(a, b) and not same_story(b, a)


def test_the_threshold_sits_in_the_middle_of_the_labelled_gap() -> None:
    same = [jaccard(shingles(a), shingles(b)) for _, a, b in SAME_STORY]
    # pairs with a figure conflict are told apart by it whatever their similarity
    different = [jaccard(shingles(a), shingles(b)) for _, a, b in DIFFERENT_STORIES if not conflicting_figures(a, b)]
    assert max(different) < STORY_JACCARD < min(same)
    assert abs(STORY_JACCARD - statistics.mean([max(different), min(same)])) < 0.02


def test_an_updated_figure_is_a_conflict_and_an_unchanged_copy_has_none() -> None:
    assert conflicting_figures(BORDER, BORDER_UPDATED) == [("1,840", "4,210")]
    assert conflicting_figures(BORDER, BORDER_APP) == []
    assert jaccard(shingles(BORDER), shingles(BORDER_UPDATED)) > 0.9  # only the figure tells them apart


def test_story_index_groups_three_outlets_and_keeps_other_stories_apart() -> None:
    stories = StoryIndex()
    first = stories.assign({}, [doc(BORDER, "Dawn"), doc(TORKHAM, "Dawn")])
    existing = {d.doc_id: d for d in first}
    later = stories.assign(existing, [doc(BORDER_APP, "The Nation"), doc(BORDER_EDITED, "Geo News")])
    border, torkham = first
    assert border.story_id == border.doc_id and torkham.story_id == torkham.doc_id
    assert [d.story_id for d in later] == [border.doc_id, border.doc_id]
    grouped = outlets_by_story([*first, *later])
    assert grouped[border.doc_id] == ("Dawn", "The Nation", "Geo News")
    assert grouped[torkham.doc_id] == ("Dawn",)


def test_story_index_keeps_the_story_of_a_known_document_and_forgets_removed_ones() -> None:
    stories = StoryIndex()
    border, copy = stories.assign({}, [doc(BORDER, "Dawn"), doc(BORDER_APP, "APP")])
    everything = {border.doc_id: border, copy.doc_id: copy}
    [again] = stories.assign(everything, [doc(BORDER_APP, "APP")])
    assert again.story_id == border.doc_id
    stories.sync({})
    assert len(stories) == 0
    [fresh] = stories.assign({}, [doc(BORDER_APP, "APP")])
    assert fresh.story_id == fresh.doc_id


def test_an_update_with_a_new_figure_is_its_own_story() -> None:
    stories = StoryIndex()
    original, updated = stories.assign({}, [doc(BORDER, "AFP"), doc(BORDER_UPDATED, "AFP", "2025-11-13")])
    assert updated.story_id == updated.doc_id != original.story_id


def test_one_copy_per_story_keeps_every_passage_of_the_best_ranked_copy_only() -> None:
    #        rows: 0    1    2    3    4
    doc_of_row = ["a", "b", "a", "c", "b"]
    story_of_row = ["s", "s", "s", "c", "s"]
    assert one_copy_per_story([1, 0, 3, 4, 2], story_of_row, doc_of_row) == [1, 3, 4]


def test_story_ids_survive_save_and_load_and_an_older_index_loads_without_them(tmp_path: Path) -> None:
    documents = StoryIndex().assign({}, [doc(BORDER, "Dawn"), doc(BORDER_APP, "APP"), doc(TORKHAM, "Dawn")])
    snapshot = new_snapshot(
        model_name="fake",
        dimension=2,
        index_type="flat",
        chunking=ChunkingConfig(max_tokens=200, overlap_sentences=1, splitter="test"),
        documents={d.doc_id: d for d in documents},
        chunks=[],
        vectors=np.zeros((0, 2), dtype=np.float32),
    )
    index_dir = tmp_path / "index"
    version = save_snapshot(index_dir, snapshot)
    loaded = load_snapshot(index_dir, "fake")
    assert {d.doc_id: d.story_id for d in loaded.documents.values()} == {d.doc_id: d.story_id for d in documents}

    # an index saved before wire stories: no story_id column
    sqlite_path = index_dir / version / "meta.sqlite"
    with sqlite3.connect(sqlite_path) as connection:
        connection.execute("ALTER TABLE documents DROP COLUMN story_id")
    manifest_path = index_dir / version / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"]["meta.sqlite"] = hashlib.sha256(sqlite_path.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest))
    older = load_snapshot(index_dir, "fake")
    assert {d.story_id for d in older.documents.values()} == {None}
    assert outlets_by_story(older.documents.values())[documents[1].doc_id] == ("APP",)
