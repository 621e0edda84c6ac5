"""The saved index: round trip with real FAISS, idempotent re-indexing, atomic writes, checked loads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import index.store as store
from bot.answering.service import AnswerService
from bot.settings import Settings
from index.embedding import SentenceTransformerEmbedder
from index.errors import DocumentError, IndexCorruptError, IndexMissingError, IndexModelMismatchError
from index.search import HybridSearcher
from index.store import load_snapshot, read_manifest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
MODEL = "all-MiniLM-L6-v2"

pytestmark = pytest.mark.slow


def _live_folder(data_dir: Path) -> Path:
    version, _ = read_manifest(data_dir / "index")
    return data_dir / "index" / version


def test_save_reload_and_search_again(data_dir: Path, embedder: SentenceTransformerEmbedder) -> None:
    snapshot = load_snapshot(data_dir / "index", MODEL)
    _, manifest = read_manifest(data_dir / "index")
    assert manifest["model"] == MODEL and manifest["dimension"] == 384
    assert manifest["documents"] == 11 and manifest["chunks"] == len(snapshot.chunks)
    assert manifest["chunking"]["max_tokens"] == 200 and manifest["built_at"]
    passages = HybridSearcher(snapshot, embedder).search("How many Afghans has Pakistan deported?", 5)
    assert any("527,000" in p.text for p in passages)
    for passage in passages:
        assert snapshot.documents[passage.doc_id].text[passage.start : passage.end] == passage.text


def test_reindexing_unchanged_documents_embeds_nothing(service: AnswerService) -> None:
    report = service.index_sources([str(SEEDS)])
    assert report.chunks_embedded == 0
    assert len(report.unchanged) == 11 and not report.added and not report.replaced


def test_a_changed_document_replaces_its_old_chunks(service: AnswerService, tmp_path: Path) -> None:
    article = tmp_path / "article.md"
    article.write_text(
        "---\ntitle: Border note\ndate: 2025-01-02\n---\nThe crossing at Chaman closed for two days.", encoding="utf-8"
    )
    first = service.index_sources([str(article)])
    assert len(first.added) == 1
    old_id = first.added[0].doc_id
    article.write_text(
        "---\ntitle: Border note\ndate: 2025-01-03\n---\nThe crossing at Chaman reopened after three days.",
        encoding="utf-8",
    )
    second = service.index_sources([str(article)])
    assert len(second.replaced) == 1 and second.chunks_embedded >= 1
    snapshot = service.snapshot
    assert old_id not in snapshot.documents
    assert all(chunk.doc_id != old_id for chunk in snapshot.chunks)
    assert len(snapshot.documents) == 12


def test_remove_by_id_prefix(service: AnswerService) -> None:
    seed_id = next(s.doc_id for s in service.sources() if s.source == "StratNews Global")
    removed = service.remove(seed_id[:8])
    assert removed.doc_id == seed_id
    assert seed_id not in load_snapshot(service.settings.index_dir, MODEL).documents
    with pytest.raises(DocumentError):
        service.remove("zzzz")


def test_an_index_from_another_model_is_refused(data_dir: Path) -> None:
    with pytest.raises(IndexModelMismatchError, match="all-MiniLM-L6-v2"):
        load_snapshot(data_dir / "index", "intfloat/multilingual-e5-small")


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError):
        load_snapshot(tmp_path / "nothing", MODEL)


@pytest.mark.parametrize("victim", ["meta.sqlite", "faiss.index"])
def test_truncated_or_altered_files_are_refused(data_dir: Path, victim: str) -> None:
    path = _live_folder(data_dir) / victim
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(IndexCorruptError, match="truncated or altered"):
        load_snapshot(data_dir / "index", MODEL)


def test_a_damaged_manifest_is_refused(data_dir: Path) -> None:
    manifest = _live_folder(data_dir) / "manifest.json"
    manifest.write_text(manifest.read_text()[:40], encoding="utf-8")
    with pytest.raises(IndexCorruptError):
        load_snapshot(data_dir / "index", MODEL)
    manifest.write_text(json.dumps({"model": MODEL}), encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="altered"):
        load_snapshot(data_dir / "index", MODEL)


def test_a_crash_mid_write_leaves_the_previous_index_usable(
    data_dir: Path, embedder: SentenceTransformerEmbedder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = load_snapshot(data_dir / "index", MODEL)

    def crash(path: Path, snapshot: store.IndexSnapshot) -> None:
        path.write_bytes(b"half a database")
        raise OSError("disk pulled out")

    monkeypatch.setattr(store, "_write_sqlite", crash)
    article = tmp_path / "new.txt"
    article.write_text(
        "Officials said 500 families crossed at Chaman on Tuesday after the reopening.", encoding="utf-8"
    )
    service = AnswerService(Settings(data_dir=data_dir, seeds_dir=SEEDS), embedder)
    with pytest.raises(OSError, match="disk pulled out"):
        service.index_sources([str(article)])
    after = load_snapshot(data_dir / "index", MODEL)
    assert after.version == before.version and len(after.documents) == 11
    assert not list((data_dir / "index").glob(".v*.tmp"))


def test_building_from_scratch_when_the_data_dir_is_empty(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in (
        "000_ce58d6deddc87eed.txt",
        "000_ce58d6deddc87eed.txt.meta.yaml",
        "11_nation-acc-deadline-march-31.md",
    ):
        shutil.copy(SEEDS / name, seeds / name)
    service = AnswerService(Settings(data_dir=tmp_path / "data", seeds_dir=seeds), embedder)
    assert len(service.snapshot.documents) == 2  # built from the seeds on first use
