"""The saved index: round trip with real FAISS, idempotent re-indexing, atomic writes, checked loads."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import index.store as store
from bot.answering.service import AnswerService
from bot.settings import Settings
from index.chunking import split_sentences
from index.embedding import Kind, SentenceTransformerEmbedder
from index.errors import DocumentError, IndexCorruptError, IndexMissingError, IndexModelMismatchError
from index.indexing import IndexReport, apply_documents, remove_documents
from index.search import HybridSearcher
from index.store import ChunkingConfig, load_snapshot, read_manifest, save_snapshot
from index.types import Document

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


@pytest.mark.parametrize("victim", ["meta.sqlite", "faiss.index", "sentences.f16"])
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


# -- sentence vectors ---------------------------------------------------------------------------------------


class CountingEmbedder:
    """A deterministic in-process embedder (a text's vector comes from its hash) that records what it embeds."""

    model_name = "counting-hash-embedder"

    def __init__(self) -> None:
        self.embedded: list[str] = []

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        return 16

    def embed(self, texts: Sequence[str], *, kind: Kind, show_progress: bool = False) -> np.ndarray:
        """Unit vectors seeded by each text's digest."""
        self.embedded.extend(texts)
        rows = [
            np.random.default_rng(int.from_bytes(hashlib.sha256(f"{kind}:{t}".encode()).digest()[:8])).normal(
                size=self.dimension
            )
            for t in texts
        ]
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(texts), self.dimension)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)

    def count_tokens(self, text: str) -> int:
        """Words plus two special tokens."""
        return len(text.split()) + 2


def _article(name: str, sentences: int, title: str = "") -> Document:
    text = " ".join(
        f"In {name} report {i}, officials counted {100 + i} families at the crossing." for i in range(sentences)
    )
    return Document(
        doc_id=hashlib.sha256(text.encode()).hexdigest()[:16],
        text=text,
        title=title or f"{name} title",
        source="Test Wire",
        date="2025-01-01",
        url=None,
        origin=f"{name}.txt",
    )


SMALL_CHUNKS = ChunkingConfig(max_tokens=40, overlap_sentences=1, splitter="pysbd")


def _index(
    documents: Sequence[Document], embedder: CountingEmbedder, base: store.IndexSnapshot | None = None
) -> tuple[store.IndexSnapshot, IndexReport]:
    return apply_documents(base, documents, embedder, chunking=SMALL_CHUNKS, index_type="flat")


def test_each_sentence_is_embedded_once_even_when_chunks_overlap() -> None:
    embedder = CountingEmbedder()
    document = _article("alpha", 12)
    snapshot, report = _index([document], embedder)
    table = snapshot.sentence_table
    assert len(snapshot.chunks) > 2  # small chunks overlapping by one sentence
    memberships = sum(len(table.rows_of(row)) for row in range(len(snapshot.chunks)))
    assert memberships > len(table.spans) == 12  # shared sentences are one row
    sentence_texts = [document.text[s:e] for s, e in table.spans.tolist()]
    assert report.sentences_embedded == 12
    assert sorted(t for t in embedder.embedded if t in sentence_texts) == sorted(sentence_texts)
    for row, chunk in enumerate(snapshot.chunks):
        spans = [(s - chunk.start, e - chunk.start) for s, e in table.spans[table.rows_of(row)].tolist()]
        assert spans == split_sentences(chunk.text, document.language)
        expected = embedder.embed([chunk.text[s:e] for s, e in spans], kind="document")
        assert np.allclose(np.asarray(table.vectors[table.rows_of(row)], dtype=np.float32), expected, atol=1e-3)


def test_sentence_vectors_round_trip_memory_mapped(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    snapshot, _ = _index([_article("alpha", 9), _article("beta", 7)], embedder)
    save_snapshot(tmp_path, snapshot)
    loaded = load_snapshot(tmp_path, embedder.model_name)
    before, after = snapshot.sentence_table, loaded.sentence_table
    assert isinstance(after.vectors, np.memmap) and after.vectors.dtype == np.float16
    assert np.array_equal(np.asarray(after.vectors), np.asarray(before.vectors))
    assert np.array_equal(after.spans, before.spans) and np.array_equal(after.offsets, before.offsets)
    assert np.array_equal(after.members, before.members)
    _, manifest = read_manifest(tmp_path)
    assert manifest["sentences"] == 16 and "sentences.f16" in manifest["files"]
    assert (_live_folder_of(tmp_path) / "sentences.f16").stat().st_size == 16 * embedder.dimension * 2


def _live_folder_of(index_dir: Path) -> Path:
    version, _ = read_manifest(index_dir)
    return index_dir / version


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete"])
def test_an_altered_sentence_file_is_refused(tmp_path: Path, damage: str) -> None:
    embedder = CountingEmbedder()
    save_snapshot(tmp_path, _index([_article("alpha", 6)], embedder)[0])
    path = _live_folder_of(tmp_path) / "sentences.f16"
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        path.write_bytes(bytes(data[: len(data) // 2]))
    elif damage == "flip":
        data[100] ^= 0x01
        path.write_bytes(bytes(data))
    else:
        path.unlink()
    with pytest.raises(IndexCorruptError, match="rebuild"):
        load_snapshot(tmp_path, embedder.model_name)


def test_an_index_without_sentence_vectors_must_be_rebuilt(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    save_snapshot(tmp_path, _index([_article("alpha", 6)], embedder)[0])
    manifest_path = _live_folder_of(tmp_path) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["files"]["sentences.f16"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(
        IndexCorruptError, match=r"does not list faiss\.index, meta\.sqlite and sentences\.f16.*rebuild"
    ):
        load_snapshot(tmp_path, embedder.model_name)


def test_incremental_indexing_reuses_stored_sentence_vectors(tmp_path: Path) -> None:
    first = CountingEmbedder()
    alpha, beta = _article("alpha", 10), _article("beta", 8)
    save_snapshot(tmp_path, _index([alpha, beta], first)[0])
    base = load_snapshot(tmp_path, first.model_name)

    again = CountingEmbedder()
    same, report = _index([alpha, beta], again, base)
    assert again.embedded == [] and report.sentences_embedded == 0 and report.chunks_embedded == 0

    gamma = _article("gamma", 5)
    grown, report = _index([alpha, beta, gamma], again, base)
    new_sentences = {gamma.text[s:e] for s, e in split_sentences(gamma.text)}
    assert report.sentences_embedded == 5
    assert {t for t in again.embedded if "gamma" in t} >= new_sentences
    assert all("alpha" not in t and "beta" not in t for t in again.embedded)
    assert len(grown.sentence_table.spans) == 23

    # a new title re-embeds the chunks (their text includes it) but not the sentences (which do not)
    retitled = CountingEmbedder()
    renamed = replace(alpha, title="A new headline")
    _, report = _index([renamed, beta], retitled, base)
    assert report.chunks_embedded > 0 and report.sentences_embedded == 0

    # removal keeps the other documents' sentences, with their vectors, intact
    removed = remove_documents(grown, [beta.doc_id])
    assert len(removed.sentence_table.spans) == 15
    for snapshot in (grown, removed):
        for row, chunk in enumerate(snapshot.chunks):
            rows = snapshot.sentence_table.rows_of(row)
            texts = [snapshot.documents[chunk.doc_id].text[s:e] for s, e in snapshot.sentence_table.spans[rows]]
            stored = np.asarray(snapshot.sentence_table.vectors[rows], dtype=np.float32)
            assert np.allclose(stored, first.embed(texts, kind="document"), atol=1e-3)
    assert same.sentence_table.spans.tolist() == base.sentence_table.spans.tolist()
