"""The on-disk index: FAISS vectors, SQLite metadata and a manifest; atomic saves, checked loads.

Layout of ``index_dir``::

    CURRENT              name of the live version directory (replaced atomically)
    v<ns>/faiss.index    the FAISS index (faiss.write_index, never pickle)
    v<ns>/meta.sqlite    documents and chunks, with each chunk's vector; claims (the figures of each document);
                         sentence spans and which chunk has which
    v<ns>/sentences.f16  one float16 vector per distinct sentence (row-major, memory-mapped on load)
    v<ns>/manifest.json  model, dimension, chunking, counts, build time, file checksums

Sentence vectors are float16: half the bytes of float32 (at 1M chunks of ~5 sentences, 3.8 GB instead of
7.7 GB, and memory-mapped, so only the rows read are resident). Their cosine with the query differs from
float32's by at most 0.00004 on the seeds, and no top sentence changes (``python -m bench.sentences``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import faiss
import numpy as np

from index.errors import IndexCorruptError, IndexMissingError, IndexModelMismatchError
from index.types import CLAIM_KINDS, CLAIM_STATUSES, SOURCE_KINDS, Chunk, Claim, Document, SourceKind

FORMAT_VERSION = 2
CURRENT_FILE = "CURRENT"
FAISS_FILE = "faiss.index"
SQLITE_FILE = "meta.sqlite"
SENTENCES_FILE = "sentences.f16"
SENTENCE_DTYPE = np.dtype("<f2")
MANIFEST_FILE = "manifest.json"
IndexType = Literal["flat", "hnsw"]
HNSW_NEIGHBOURS = 32


@dataclass(frozen=True)
class ChunkingConfig:
    """The chunking settings an index was built with; a change means re-chunking everything."""

    max_tokens: int
    overlap_sentences: int
    splitter: str

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {"max_tokens": self.max_tokens, "overlap_sentences": self.overlap_sentences, "splitter": self.splitter}


@dataclass(frozen=True)
class SentenceTable:
    """The sentences of every chunk, each distinct sentence stored once with its vector.

    ``spans[s]`` are sentence ``s``'s offsets in its document's text and ``vectors[s]`` its unit vector
    (float16, possibly a read-only memory map). Chunk ``c``'s sentences, in order, are the rows
    ``members[offsets[c]:offsets[c + 1]]``; a sentence shared by overlapping chunks is one row.
    """

    spans: np.ndarray  # (sentences, 2) int64
    vectors: np.ndarray  # (sentences, dimension) float16
    offsets: np.ndarray  # (chunks + 1,) int64
    members: np.ndarray  # (memberships,) int64

    @classmethod
    def empty(cls, chunks: int, dimension: int) -> SentenceTable:
        """A table in which each of ``chunks`` chunks has no sentences."""
        return cls(
            spans=np.zeros((0, 2), dtype=np.int64),
            vectors=np.zeros((0, dimension), dtype=SENTENCE_DTYPE),
            offsets=np.zeros(chunks + 1, dtype=np.int64),
            members=np.zeros(0, dtype=np.int64),
        )

    @classmethod
    def from_chunks(
        cls, spans: np.ndarray, vectors: np.ndarray, chunk_members: Sequence[Sequence[int]]
    ) -> SentenceTable:
        """A table from sentence spans, their vectors (any float type) and each chunk's sentence rows."""
        sizes = np.fromiter((len(rows) for rows in chunk_members), dtype=np.int64, count=len(chunk_members))
        offsets = np.zeros(len(chunk_members) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        members = np.fromiter((r for rows in chunk_members for r in rows), dtype=np.int64, count=int(offsets[-1]))
        return cls(
            spans=np.asarray(spans, dtype=np.int64).reshape(-1, 2),
            vectors=np.asarray(vectors).astype(SENTENCE_DTYPE, copy=False),
            offsets=offsets,
            members=members,
        )

    @property
    def chunk_count(self) -> int:
        """How many chunks the table describes."""
        return len(self.offsets) - 1

    def rows_of(self, chunk_row: int) -> np.ndarray:
        """The sentence rows of one chunk, in order."""
        return self.members[self.offsets[chunk_row] : self.offsets[chunk_row + 1]]

    def check(self, chunks: int, dimension: int) -> None:
        """Raise ValueError unless the table is consistent with ``chunks`` chunks of vectors of ``dimension``."""
        if self.chunk_count != chunks or self.vectors.shape != (len(self.spans), dimension):
            raise ValueError("sentence table does not match the chunks or the dimension")
        if len(self.members) != self.offsets[-1] or np.any(np.diff(self.offsets) < 0):
            raise ValueError("sentence table offsets are inconsistent")
        if len(self.members) and (self.members.min() < 0 or self.members.max() >= len(self.spans)):
            raise ValueError("sentence table refers to a missing sentence")

    def select(self, chunk_rows: Sequence[int]) -> SentenceTable:
        """The table of the given chunks only (in that order), keeping just the sentences they use."""
        groups = [self.rows_of(row) for row in chunk_rows]
        used = np.unique(np.concatenate(groups)) if groups else np.zeros(0, dtype=np.int64)
        remap = np.full(len(self.spans), -1, dtype=np.int64)
        remap[used] = np.arange(len(used), dtype=np.int64)
        return SentenceTable.from_chunks(
            self.spans[used], np.asarray(self.vectors[used]), [remap[group] for group in groups]
        )

    def concat(self, other: SentenceTable) -> SentenceTable:
        """This table's chunks followed by ``other``'s."""
        shift = len(self.spans)
        return SentenceTable(
            spans=np.concatenate([self.spans, other.spans]),
            vectors=np.concatenate([np.asarray(self.vectors), np.asarray(other.vectors)]).astype(SENTENCE_DTYPE),
            offsets=np.concatenate([self.offsets, other.offsets[1:] + self.offsets[-1]]),
            members=np.concatenate([self.members, other.members + shift]),
        )


@dataclass
class IndexSnapshot:
    """One complete, immutable-by-convention version of the index, held in memory."""

    model_name: str
    dimension: int
    index_type: IndexType
    chunking: ChunkingConfig
    documents: dict[str, Document]
    chunks: list[Chunk]
    vectors: np.ndarray
    faiss_index: faiss.Index
    built_at: str = ""
    version: str = ""
    row_of_chunk: dict[str, int] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)  # every document's figures, in document and text order
    claims_extractor: str = ""  # the rules and parser that made them ("" when none were extracted)
    claims_by_doc: dict[str, list[Claim]] = field(default_factory=dict)
    sentences: SentenceTable | None = None  # None: every chunk without sentences

    def __post_init__(self) -> None:
        if self.sentences is None:
            self.sentences = SentenceTable.empty(len(self.chunks), self.dimension)
        self.row_of_chunk = {chunk.chunk_id: row for row, chunk in enumerate(self.chunks)}
        self.claims_by_doc = {}
        for claim in self.claims:
            self.claims_by_doc.setdefault(claim.doc_id, []).append(claim)

    def claims_of(self, doc_id: str) -> list[Claim]:
        """The claims of one document, in text order."""
        return self.claims_by_doc.get(doc_id, [])

    def claims_within(self, doc_id: str, start: int, end: int) -> list[Claim]:
        """The claims of a document whose sentence lies inside ``[start, end)`` (document offsets)."""
        return [c for c in self.claims_of(doc_id) if start <= c.sentence_start and c.sentence_end <= end]

    @property
    def sentence_table(self) -> SentenceTable:
        """The sentences of the chunks (an empty table when none were given)."""
        if self.sentences is None:
            self.sentences = SentenceTable.empty(len(self.chunks), self.dimension)
        return self.sentences

    def chunks_of(self, doc_id: str) -> list[int]:
        """Rows of the chunks of one document."""
        return [row for row, chunk in enumerate(self.chunks) if chunk.doc_id == doc_id]


def build_faiss_index(vectors: np.ndarray, dimension: int, index_type: IndexType) -> faiss.Index:
    """An inner-product FAISS index over normalised ``vectors`` (so scores are cosines)."""
    index: faiss.Index
    if index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dimension, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = 128
    else:
        index = faiss.IndexFlatIP(dimension)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def new_snapshot(
    *,
    model_name: str,
    dimension: int,
    index_type: IndexType,
    chunking: ChunkingConfig,
    documents: dict[str, Document],
    chunks: list[Chunk],
    vectors: np.ndarray,
    claims: Sequence[Claim] = (),
    claims_extractor: str = "",
    sentences: SentenceTable | None = None,
) -> IndexSnapshot:
    """A snapshot with its FAISS index built from ``vectors`` (``sentences`` None: chunks without sentences)."""
    if len(chunks) != len(vectors):
        raise ValueError("one vector per chunk is required")
    if sentences is not None:
        sentences.check(len(chunks), dimension)
    return IndexSnapshot(
        model_name=model_name,
        dimension=dimension,
        index_type=index_type,
        chunking=chunking,
        documents=documents,
        chunks=chunks,
        vectors=vectors.reshape(len(chunks), dimension).astype(np.float32, copy=False),
        faiss_index=build_faiss_index(vectors, dimension, index_type),
        built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        claims=list(claims),
        claims_extractor=claims_extractor,
        sentences=sentences,
    )


def _sha256(path: Path) -> str:
    """Hex digest of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    """Flush a directory entry to disk so a rename survives a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_sqlite(path: Path, snapshot: IndexSnapshot) -> None:
    """Documents and chunks (with vectors) into a new SQLite file."""
    connection = sqlite3.connect(path)
    try:
        connection.executescript(
            """
            CREATE TABLE documents (
                doc_id TEXT PRIMARY KEY, origin TEXT NOT NULL, title TEXT NOT NULL,
                source TEXT NOT NULL, date TEXT, url TEXT, language TEXT NOT NULL, text TEXT NOT NULL,
                verbatim INTEGER NOT NULL, kind TEXT NOT NULL, story_id TEXT);
            CREATE TABLE chunks (
                row INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL,
                ordinal INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
                text TEXT NOT NULL, vector BLOB NOT NULL);
            CREATE TABLE sentences (
                row INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL);
            CREATE TABLE chunk_sentences (
                chunk_row INTEGER NOT NULL, position INTEGER NOT NULL, sentence_row INTEGER NOT NULL,
                PRIMARY KEY (chunk_row, position)) WITHOUT ROWID;
            """
        )
        connection.executemany(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    d.doc_id,
                    d.origin,
                    d.title,
                    d.source,
                    d.date,
                    d.url,
                    d.language,
                    d.text,
                    int(d.verbatim),
                    d.kind,
                    d.story_id,
                )
                for d in snapshot.documents.values()
            ],
        )
        connection.executemany(
            "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (row, c.chunk_id, c.doc_id, c.ordinal, c.start, c.end, c.text, snapshot.vectors[row].tobytes())
                for row, c in enumerate(snapshot.chunks)
            ],
        )
        _write_claims(connection, snapshot.claims)
        table = snapshot.sentence_table
        doc_of_sentence: dict[int, str] = {}
        memberships: list[tuple[int, int, int]] = []
        for row, chunk in enumerate(snapshot.chunks):
            for position, sentence_row in enumerate(table.rows_of(row).tolist()):
                doc_of_sentence.setdefault(sentence_row, chunk.doc_id)
                memberships.append((row, position, sentence_row))
        connection.executemany(
            "INSERT INTO sentences VALUES (?, ?, ?, ?)",
            [(row, doc_of_sentence.get(row, ""), start, end) for row, (start, end) in enumerate(table.spans.tolist())],
        )
        connection.executemany("INSERT INTO chunk_sentences VALUES (?, ?, ?)", memberships)
        connection.commit()
    finally:
        connection.close()


_CLAIM_COLUMNS = (
    "doc_id",
    "start",
    "end",
    "sentence_start",
    "sentence_end",
    "figure",
    "kind",
    "value",
    "what",
    "event",
    "status",
    "as_of",
    "period",
    "who",
    "qualifier",
    "value_max",
)


def _write_claims(connection: sqlite3.Connection, claims: Sequence[Claim]) -> None:
    """The ``claims`` table: one row per figure, with document offsets."""
    connection.execute(
        """
        CREATE TABLE claims (
            row INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            sentence_start INTEGER NOT NULL, sentence_end INTEGER NOT NULL, figure TEXT NOT NULL, kind TEXT NOT NULL,
            value REAL, what TEXT NOT NULL, event TEXT NOT NULL, status TEXT NOT NULL, as_of TEXT, period TEXT,
            who TEXT NOT NULL, qualifier TEXT NOT NULL, value_max REAL)
        """
    )
    connection.execute("CREATE INDEX claims_by_doc ON claims (doc_id, start)")
    columns = ", ".join(f'"{name}"' for name in _CLAIM_COLUMNS)
    connection.executemany(
        f"INSERT INTO claims ({columns}) VALUES ({', '.join('?' for _ in _CLAIM_COLUMNS)})",
        [tuple(getattr(claim, name) for name in _CLAIM_COLUMNS) for claim in claims],
    )


def _read_claims(connection: sqlite3.Connection) -> list[Claim]:
    """Every stored claim in row order; none from an index saved before claims were kept."""
    if not connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'claims'").fetchone():
        return []
    columns = ", ".join(f'"{name}"' for name in _CLAIM_COLUMNS)
    claims = []
    for row in connection.execute(f"SELECT {columns} FROM claims ORDER BY row"):
        values = dict(zip(_CLAIM_COLUMNS, row, strict=True))
        values["kind"] = _checked(values["kind"], CLAIM_KINDS)
        values["status"] = _checked(values["status"], CLAIM_STATUSES)
        claims.append(Claim(**values))
    return claims


def _checked(value: object, allowed: tuple[str, ...]) -> Any:
    """A stored enumerated value, checked against what the type allows."""
    if value not in allowed:
        raise ValueError(f"unexpected stored value {value!r}")
    return value


def save_snapshot(index_dir: Path, snapshot: IndexSnapshot) -> str:
    """Write ``snapshot`` as a new version and switch CURRENT to it atomically; returns the version."""
    index_dir.mkdir(parents=True, exist_ok=True)
    version = f"v{time.time_ns()}"
    staging = index_dir / f".{version}.tmp"
    staging.mkdir()
    try:
        faiss.write_index(snapshot.faiss_index, str(staging / FAISS_FILE))
        _write_sqlite(staging / SQLITE_FILE, snapshot)
        _write_sentence_vectors(staging / SENTENCES_FILE, snapshot.sentence_table)
        manifest = {
            "format_version": FORMAT_VERSION,
            "model": snapshot.model_name,
            "dimension": snapshot.dimension,
            "index_type": snapshot.index_type,
            "chunking": snapshot.chunking.to_json(),
            "documents": len(snapshot.documents),
            "chunks": len(snapshot.chunks),
            "sentences": len(snapshot.sentence_table.spans),
            "sentence_dtype": SENTENCE_DTYPE.str,
            "built_at": snapshot.built_at,
            "doc_ids": sorted(snapshot.documents),
            "claims": len(snapshot.claims),
            "claims_extractor": snapshot.claims_extractor,
            "files": {name: _sha256(staging / name) for name in (FAISS_FILE, SQLITE_FILE, SENTENCES_FILE)},
        }
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        for name in (FAISS_FILE, SQLITE_FILE, SENTENCES_FILE, MANIFEST_FILE):
            with (staging / name).open("rb") as handle:
                os.fsync(handle.fileno())
        staging.rename(index_dir / version)
        pointer = index_dir / f".{CURRENT_FILE}.tmp"
        pointer.write_text(version, encoding="utf-8")
        with pointer.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(pointer, index_dir / CURRENT_FILE)
        _fsync_dir(index_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    snapshot.version = version
    _remove_stale_versions(index_dir, keep=version)
    return version


def _remove_stale_versions(index_dir: Path, keep: str) -> None:
    """Delete unfinished staging directories and versions older than the previous one."""
    versions = sorted(p for p in index_dir.iterdir() if p.is_dir() and p.name.startswith("v"))
    for path in versions[:-2]:
        if path.name != keep:
            shutil.rmtree(path, ignore_errors=True)
    for path in index_dir.glob(".v*.tmp"):
        shutil.rmtree(path, ignore_errors=True)


INDEX_TYPES: tuple[IndexType, ...] = ("flat", "hnsw")
_MANIFEST_TYPES: dict[str, type | tuple[type, ...]] = {
    "format_version": int,
    "model": str,
    "dimension": int,
    "index_type": str,
    "chunking": dict,
    "files": dict,
    "chunks": int,
    "documents": int,
}


def _altered(index_dir: Path, what: str) -> IndexCorruptError:
    """The one message every edited, truncated or unreadable index file gets."""
    return IndexCorruptError(
        f"the index in {index_dir} is altered ({what}): rebuild it with `policybot index --rebuild`"
    )


def read_manifest(index_dir: Path) -> tuple[str, dict[str, Any]]:
    """The live version name and its manifest, or IndexMissingError / IndexCorruptError (never another error:
    an edited CURRENT or manifest.json, of any type or encoding, is "altered")."""
    pointer = index_dir / CURRENT_FILE
    if not pointer.exists():
        raise IndexMissingError(f"no index in {index_dir}: run `policybot index` first")
    try:
        version = pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise _altered(index_dir, f"{CURRENT_FILE} cannot be read") from exc
    if not re.fullmatch(r"v\d+", version):
        raise _altered(index_dir, f"{CURRENT_FILE} names no version")
    manifest_path = index_dir / version / MANIFEST_FILE
    if not manifest_path.exists():
        raise IndexCorruptError(f"the index in {index_dir} points to a missing version {version!r}: rebuild it")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _altered(index_dir, f"{MANIFEST_FILE} cannot be read") from exc
    if not isinstance(manifest, dict):
        raise _altered(index_dir, f"{MANIFEST_FILE} is not an object")
    for key, expected in _MANIFEST_TYPES.items():
        value = manifest.get(key)
        if not isinstance(value, expected) or isinstance(value, bool):
            raise _altered(index_dir, f"{MANIFEST_FILE} has no valid {key!r}")
    if manifest["format_version"] != FORMAT_VERSION:
        raise IndexCorruptError(
            f"the index in {index_dir} has format {manifest['format_version']}, expected {FORMAT_VERSION}: rebuild it"
        )
    if manifest["index_type"] not in INDEX_TYPES:
        raise _altered(index_dir, f"unknown index_type {manifest['index_type']!r}, not one of {', '.join(INDEX_TYPES)}")
    chunking = manifest["chunking"]
    if not all(isinstance(chunking.get(k), int) for k in ("max_tokens", "overlap_sentences")) or not isinstance(
        chunking.get("splitter"), str
    ):
        raise _altered(index_dir, f"{MANIFEST_FILE} has no valid 'chunking'")
    if manifest["dimension"] <= 0 or not all(
        isinstance(name, str) and isinstance(digest, str) and "/" not in name and name not in ("", ".", "..")
        for name, digest in manifest["files"].items()
    ):
        raise _altered(index_dir, f"{MANIFEST_FILE} lists invalid files")
    if set(manifest["files"]) != {FAISS_FILE, SQLITE_FILE, SENTENCES_FILE}:
        raise _altered(index_dir, f"{MANIFEST_FILE} does not list {FAISS_FILE}, {SQLITE_FILE} and {SENTENCES_FILE}")
    sentences = manifest.get("sentences")
    if manifest.get("sentence_dtype") != SENTENCE_DTYPE.str or not isinstance(sentences, int) or sentences < 0:
        raise _altered(index_dir, f"{MANIFEST_FILE} has no valid sentence vectors")
    return version, manifest


def load_snapshot(index_dir: Path, model_name: str) -> IndexSnapshot:
    """Load and verify the live version; refuse another model's index or altered files."""
    version, manifest = read_manifest(index_dir)
    if manifest["model"] != model_name:
        raise IndexModelMismatchError(
            f"the index in {index_dir} was built with {manifest['model']!r}, not {model_name!r}: "
            "rebuild it with `policybot index --rebuild` or set POLICYBOT_EMBEDDING_MODEL"
        )
    folder = index_dir / version
    for name, expected in manifest["files"].items():
        path = folder / name
        try:
            intact = path.is_file() and _sha256(path) == expected
        except OSError:
            intact = False
        if not intact:
            raise IndexCorruptError(f"index file {path} is missing, truncated or altered: rebuild the index")
    try:
        dimension = int(manifest["dimension"])
        documents, chunks, vectors, claims = _read_sqlite(folder / SQLITE_FILE, dimension)
        sentences = _read_sentences(
            folder / SQLITE_FILE, folder / SENTENCES_FILE, len(chunks), int(manifest["sentences"]), dimension
        )
        faiss_index = faiss.read_index(str(folder / FAISS_FILE))
    except (sqlite3.DatabaseError, RuntimeError, ValueError) as exc:
        raise IndexCorruptError(f"the index in {folder} cannot be read: rebuild it") from exc
    if faiss_index.ntotal != len(chunks) or len(chunks) != manifest["chunks"]:
        raise IndexCorruptError(f"the index in {folder} is inconsistent: rebuild it")
    chunking = manifest["chunking"]
    snapshot = IndexSnapshot(
        model_name=manifest["model"],
        dimension=int(manifest["dimension"]),
        index_type=manifest["index_type"],
        chunking=ChunkingConfig(
            max_tokens=int(chunking["max_tokens"]),
            overlap_sentences=int(chunking["overlap_sentences"]),
            splitter=str(chunking["splitter"]),
        ),
        documents=documents,
        chunks=chunks,
        vectors=vectors,
        faiss_index=faiss_index,
        built_at=str(manifest.get("built_at", "")),
        version=version,
        claims=claims,
        claims_extractor=str(manifest.get("claims_extractor", "")),
        sentences=sentences,
    )
    return snapshot


def read_documents(index_dir: Path) -> dict[str, Document]:
    """The documents the live version holds (text and metadata), whatever model built it: what
    ``index --rebuild`` re-embeds. IndexMissingError / IndexCorruptError when they cannot be read."""
    version, _manifest = read_manifest(index_dir)
    path = index_dir / version / SQLITE_FILE
    if not path.is_file():
        raise _altered(index_dir, f"{SQLITE_FILE} is missing")
    try:
        documents, _chunks, _vectors, _claims = _read_sqlite(path, int(_manifest["dimension"]))
    except (sqlite3.DatabaseError, ValueError) as exc:
        raise _altered(index_dir, f"{SQLITE_FILE} cannot be read") from exc
    return documents


def _read_sqlite(path: Path, dimension: int) -> tuple[dict[str, Document], list[Chunk], np.ndarray, list[Claim]]:
    """Documents, chunks in row order, their vectors, and the claims."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(documents)")}
        story = "story_id" if "story_id" in columns else "NULL"  # indexes saved before wire-story grouping
        documents = {
            row[0]: Document(
                doc_id=row[0],
                origin=row[1],
                title=row[2],
                source=row[3],
                date=row[4],
                url=row[5],
                language=row[6],
                text=row[7],
                verbatim=bool(row[8]),
                kind=_kind(row[9]),
                story_id=row[10],
            )
            for row in connection.execute(
                "SELECT doc_id, origin, title, source, date, url, language, text, verbatim, kind, "
                f"{story} FROM documents"
            )
        }
        chunks: list[Chunk] = []
        blobs: list[bytes] = []
        for row in connection.execute(
            'SELECT chunk_id, doc_id, ordinal, start, "end", text, vector FROM chunks ORDER BY row'
        ):
            chunks.append(Chunk(chunk_id=row[0], doc_id=row[1], ordinal=row[2], start=row[3], end=row[4], text=row[5]))
            blobs.append(row[6])
        claims = _read_claims(connection)
    finally:
        connection.close()
    vectors = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(chunks), dimension).copy()
    return documents, chunks, vectors, claims


def _write_sentence_vectors(path: Path, table: SentenceTable) -> None:
    """The sentence vectors as raw little-endian float16 rows."""
    with path.open("wb") as handle:
        handle.write(np.ascontiguousarray(table.vectors, dtype=SENTENCE_DTYPE).tobytes())


def _read_sentences(
    sqlite_path: Path, vectors_path: Path, chunks: int, sentences: int, dimension: int
) -> SentenceTable:
    """The sentence table: spans and memberships from SQLite, vectors memory-mapped from their file."""
    connection = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    try:
        spans = np.array(
            connection.execute('SELECT start, "end" FROM sentences ORDER BY row').fetchall(), dtype=np.int64
        ).reshape(-1, 2)
        pairs = np.array(
            connection.execute(
                "SELECT chunk_row, sentence_row FROM chunk_sentences ORDER BY chunk_row, position"
            ).fetchall(),
            dtype=np.int64,
        ).reshape(-1, 2)
    finally:
        connection.close()
    if len(spans) != sentences or vectors_path.stat().st_size != sentences * dimension * SENTENCE_DTYPE.itemsize:
        raise ValueError("the sentence vectors do not match the sentence spans")
    vectors: np.ndarray
    if sentences:
        vectors = np.memmap(vectors_path, dtype=SENTENCE_DTYPE, mode="r", shape=(sentences, dimension))
    else:
        vectors = np.zeros((0, dimension), dtype=SENTENCE_DTYPE)
    offsets = np.zeros(chunks + 1, dtype=np.int64)
    np.cumsum(np.bincount(pairs[:, 0], minlength=chunks)[:chunks], out=offsets[1:])
    if len(pairs) and (pairs[:, 0].max() >= chunks):
        raise ValueError("a sentence belongs to a missing chunk")
    table = SentenceTable(spans=spans, vectors=vectors, offsets=offsets, members=pairs[:, 1].copy())
    table.check(chunks, dimension)
    return table


def _kind(value: object) -> SourceKind:
    """A stored source kind, checked."""
    for kind in SOURCE_KINDS:
        if value == kind:
            return kind
    raise ValueError(f"unknown source kind {value!r}")


def empty_snapshot(model_name: str, dimension: int, index_type: IndexType, chunking: ChunkingConfig) -> IndexSnapshot:
    """A snapshot with no documents."""
    return new_snapshot(
        model_name=model_name,
        dimension=dimension,
        index_type=index_type,
        chunking=chunking,
        documents={},
        chunks=[],
        vectors=np.zeros((0, dimension), dtype=np.float32),
    )


def select_rows(vectors: np.ndarray, rows: Sequence[int], dimension: int) -> np.ndarray:
    """The given rows of ``vectors`` (an empty matrix of the right width when none)."""
    if not rows:
        return np.zeros((0, dimension), dtype=np.float32)
    return vectors[np.asarray(rows, dtype=np.int64)]
