"""Turning documents into index snapshots: chunk, embed only what changed, merge, remove."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from tqdm import tqdm

from index.chunking import SPLITTER_NAME, chunk_article, split_sentences
from index.claims import EnglishParser, extract_claims
from index.dedup import StoryIndex
from index.documents import FetchLimits, is_url, iter_paths, load_file, load_source
from index.embedding import Embedder
from index.errors import DocumentError
from index.store import ChunkingConfig, IndexSnapshot, IndexType, SentenceTable, new_snapshot, select_rows
from index.types import Chunk, Claim, Document

log = logging.getLogger(__name__)


@dataclass
class IndexReport:
    """What one indexing run did."""

    added: list[Document] = field(default_factory=list)
    replaced: list[Document] = field(default_factory=list)
    unchanged: list[Document] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (origin, one-line reason)
    chunks_embedded: int = 0
    claims_extracted: int = 0  # documents whose figures were read anew (the others kept their claims)
    sentences_embedded: int = 0

    @property
    def changed(self) -> bool:
        """True when the index content differs from before."""
        return bool(self.added or self.replaced or self.removed)


def chunking_config(max_tokens: int, overlap_sentences: int) -> ChunkingConfig:
    """The chunking settings recorded in the manifest."""
    return ChunkingConfig(max_tokens=max_tokens, overlap_sentences=overlap_sentences, splitter=SPLITTER_NAME)


def load_documents(sources: Iterable[str], limits: FetchLimits) -> tuple[list[Document], list[tuple[str, str]]]:
    """Load every file under the given paths and every URL; failures are collected, not raised."""
    documents: list[Document] = []
    failed: list[tuple[str, str]] = []
    for source in sources:
        if is_url(source):
            candidates: list[str] = [source]
        elif Path(source).exists():
            candidates = [str(path) for path in iter_paths([Path(source)])]
        else:
            failed.append((source, f"{source}: no such file or directory"))
            continue
        for candidate in candidates:
            try:
                if is_url(candidate):
                    documents.append(load_source(candidate, limits))
                else:
                    documents.append(load_file(Path(candidate), limits.max_bytes))
            except DocumentError as exc:
                # the caller reports each failure once; the traceback is for -v
                log.info("skipped %s: %s", candidate, exc, exc_info=exc.__cause__ is not None)
                failed.append((candidate, str(exc)))
    return documents, failed


def embedding_text(document: Document, chunk: Chunk) -> str:
    """What the model reads for a chunk: its article's title, then the chunk."""
    return f"{document.title}\n{chunk.text}"


SentenceKey = tuple[str, int, int]  # doc_id, start, end in the document's text


def stored_sentence_rows(snapshot: IndexSnapshot, doc_ids: set[str]) -> dict[SentenceKey, int]:
    """Sentence rows of ``snapshot`` for the given documents, by document offsets (to reuse their vectors)."""
    table = snapshot.sentence_table
    found: dict[SentenceKey, int] = {}
    for row, chunk in enumerate(snapshot.chunks):
        if chunk.doc_id in doc_ids:
            for sentence_row in table.rows_of(row).tolist():
                start, end = table.spans[sentence_row].tolist()
                found[(chunk.doc_id, start, end)] = sentence_row
    return found


def embed_sentences(
    documents: dict[str, Document],
    chunks: Sequence[Chunk],
    embedder: Embedder,
    *,
    base: IndexSnapshot | None = None,
    show_progress: bool = False,
) -> tuple[SentenceTable, int]:
    """The sentence table of ``chunks`` and how many sentences were embedded for it.

    Each chunk is split into sentences in its document's language; a sentence shared by overlapping chunks
    (same document offsets) is one row, embedded once, and one ``base`` already holds is not embedded again.
    """
    stored = stored_sentence_rows(base, {c.doc_id for c in chunks} & set(base.documents)) if base else {}
    rows_of_key: dict[SentenceKey, int] = {}
    spans: list[tuple[int, int]] = []
    source: list[int] = []  # per row: a base row to copy, or -1 to embed
    to_embed: list[str] = []
    chunk_members: list[list[int]] = []
    for chunk in chunks:
        document = documents[chunk.doc_id]
        members: list[int] = []
        for start, end in split_sentences(chunk.text, document.language):
            key = (chunk.doc_id, chunk.start + start, chunk.start + end)
            row = rows_of_key.get(key)
            if row is None:
                row = rows_of_key[key] = len(spans)
                spans.append(key[1:])
                source.append(stored.get(key, -1))
                if source[-1] < 0:
                    to_embed.append(document.text[key[1] : key[2]])
            members.append(row)
        chunk_members.append(members)
    fresh = embedder.embed(to_embed, kind="document", show_progress=show_progress and len(to_embed) > 32)
    vectors = np.empty((len(spans), embedder.dimension), dtype=np.float32)
    fresh_rows = [row for row, origin in enumerate(source) if origin < 0]
    if fresh_rows:
        vectors[fresh_rows] = fresh
    reused = [(row, origin) for row, origin in enumerate(source) if origin >= 0]
    if reused and base is not None:
        targets, origins = zip(*reused, strict=True)
        vectors[list(targets)] = np.asarray(base.sentence_table.vectors[list(origins)], dtype=np.float32)
    spans_array = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    return SentenceTable.from_chunks(spans_array, vectors, chunk_members), len(to_embed)


def apply_documents(
    base: IndexSnapshot | None,
    documents: Sequence[Document],
    embedder: Embedder,
    *,
    chunking: ChunkingConfig,
    index_type: IndexType,
    show_progress: bool = False,
    stories: StoryIndex | None = None,
    parser: EnglishParser | None = None,
) -> tuple[IndexSnapshot, IndexReport]:
    """A new snapshot with ``documents`` added or replacing older versions from the same origin.

    Unchanged documents keep their vectors, sentence vectors and claims; only new chunks and their sentences
    are embedded and only new or changed documents have their figures extracted (with ``parser``, loaded on
    first use). A base built with other chunking settings or index type is re-chunked and its chunks
    re-embedded whole (the sentence vectors of unchanged documents are still reused); one whose claims
    came from other rules or another parser has its claims extracted again. Copies of one wire story
    share a ``story_id`` (``stories`` keeps the signatures of earlier calls; a fresh one hashes ``base``).
    """
    documents = (stories or StoryIndex()).assign(base.documents if base else {}, documents)
    report = IndexReport()
    reuse = base is not None and base.chunking == chunking and base.index_type == index_type
    kept_docs: dict[str, Document] = dict(base.documents) if base else {}
    origin_to_id = {doc.origin: doc_id for doc_id, doc in kept_docs.items()}
    to_embed: dict[str, Document] = {} if reuse else dict(kept_docs)
    for document in documents:
        if document.doc_id in kept_docs or document.doc_id in to_embed:
            known = kept_docs.get(document.doc_id) or to_embed[document.doc_id]
            # same text: refresh metadata (title, date...) without re-embedding when the title is unchanged
            updated = replace(document, origin=known.origin) if document.origin != known.origin else document
            if updated.title != known.title and reuse:
                to_embed[document.doc_id] = updated
                kept_docs.pop(document.doc_id, None)
            elif document.doc_id in kept_docs:
                kept_docs[document.doc_id] = updated
            report.unchanged.append(document)
            continue
        old_id = origin_to_id.get(document.origin)
        if old_id is not None and old_id != document.doc_id:
            kept_docs.pop(old_id, None)
            to_embed.pop(old_id, None)
            report.replaced.append(document)
        else:
            report.added.append(document)
        origin_to_id[document.origin] = document.doc_id
        to_embed[document.doc_id] = document

    if reuse and base is not None:
        kept_ids = {doc_id for doc_id in kept_docs if doc_id not in to_embed}
        rows = [row for row, chunk in enumerate(base.chunks) if chunk.doc_id in kept_ids]
        chunks = [base.chunks[row] for row in rows]
        vectors = select_rows(base.vectors, rows, base.dimension)
        sentences = base.sentence_table.select(rows)
    else:
        kept_ids = set()
        chunks = []
        vectors = np.zeros((0, embedder.dimension), dtype=np.float32)
        sentences = SentenceTable.empty(0, embedder.dimension)

    new_chunks: list[Chunk] = []
    texts: list[str] = []
    for document in tqdm(
        list(to_embed.values()), desc="chunking", unit="doc", disable=not show_progress or len(to_embed) < 2
    ):
        reserved = embedder.count_tokens(document.title)
        for chunk in chunk_article(
            document,
            embedder.count_tokens,
            max_tokens=chunking.max_tokens,
            overlap_sentences=chunking.overlap_sentences,
            reserved_tokens=reserved,
        ):
            new_chunks.append(chunk)
            texts.append(embedding_text(document, chunk))
    new_vectors = embedder.embed(texts, kind="document", show_progress=show_progress and len(texts) > 32)
    report.chunks_embedded = len(new_chunks)
    reusable = base if base is not None and base.model_name == embedder.model_name else None
    new_sentences, report.sentences_embedded = embed_sentences(
        to_embed, new_chunks, embedder, base=reusable, show_progress=show_progress
    )

    all_docs = {doc_id: kept_docs[doc_id] for doc_id in kept_ids} | to_embed
    parser = parser or EnglishParser()
    claims = document_claims(base, all_docs, parser, report, show_progress=show_progress)
    snapshot = new_snapshot(
        model_name=embedder.model_name,
        dimension=embedder.dimension,
        index_type=index_type,
        chunking=chunking,
        documents=all_docs,
        chunks=chunks + new_chunks,
        vectors=np.concatenate([vectors, new_vectors]) if len(new_vectors) else vectors,
        claims=claims,
        claims_extractor=parser.name,
        sentences=sentences.concat(new_sentences),
    )
    return snapshot, report


def document_claims(
    base: IndexSnapshot | None,
    documents: dict[str, Document],
    parser: EnglishParser,
    report: IndexReport,
    *,
    show_progress: bool = False,
) -> list[Claim]:
    """The claims of ``documents``: kept from ``base`` where the document and the extractor are the same."""
    reusable = base is not None and base.claims_extractor == parser.name
    claims: list[Claim] = []
    fresh = [d for d in documents.values() if not (reusable and base is not None and base.documents.get(d.doc_id) == d)]
    fresh_ids = {d.doc_id for d in fresh}
    for document in tqdm(fresh, desc="claims", unit="doc", disable=not show_progress or len(fresh) < 2):
        claims.extend(extract_claims(document, parser))
    if base is not None:
        claims.extend(c for c in base.claims if c.doc_id in documents and c.doc_id not in fresh_ids)
    report.claims_extracted = len(fresh)
    return sorted(claims, key=lambda c: (c.doc_id, c.start))


def resolve_doc_id(snapshot: IndexSnapshot, prefix: str) -> str:
    """The one document id starting with ``prefix``, or a DocumentError saying why not."""
    matches = [doc_id for doc_id in snapshot.documents if doc_id.startswith(prefix.strip())]
    if not prefix.strip() or not matches:
        raise DocumentError(f"no indexed document has the id {prefix!r} (see `policybot sources`)")
    if len(matches) > 1:
        raise DocumentError(f"the id {prefix!r} matches {len(matches)} documents: give more of it")
    return matches[0]


def remove_documents(snapshot: IndexSnapshot, doc_ids: Iterable[str]) -> IndexSnapshot:
    """A new snapshot without the given documents and their chunks."""
    gone = set(doc_ids)
    rows = [row for row, chunk in enumerate(snapshot.chunks) if chunk.doc_id not in gone]
    return new_snapshot(
        model_name=snapshot.model_name,
        dimension=snapshot.dimension,
        index_type=snapshot.index_type,
        chunking=snapshot.chunking,
        documents={k: v for k, v in snapshot.documents.items() if k not in gone},
        chunks=[snapshot.chunks[row] for row in rows],
        vectors=select_rows(snapshot.vectors, rows, snapshot.dimension),
        claims=[c for c in snapshot.claims if c.doc_id not in gone],
        claims_extractor=snapshot.claims_extractor,
        sentences=snapshot.sentence_table.select(rows),
    )
