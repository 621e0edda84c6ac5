"""The answering service: one object that owns the live index, retrieval and the answer backends."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from bot.answering.answers import Answer, Answerer, PartialCallback
from bot.answering.extractive import ExtractiveAnswerer
from bot.answering.matching import WordForms
from bot.answering.questions import Turn, clean_question, standalone_query
from bot.errors import AnswerBackendError
from bot.settings import Settings
from index.claims import EnglishParser
from index.dedup import StoryIndex
from index.documents import FetchLimits, fetch_url, require_web_url
from index.embedding import Embedder, QueryBatcher, build_embedder
from index.errors import IndexMissingError, IndexUnavailableError
from index.feeds import FeedLimits, FeedPoller, FeedRegistry, PollReport
from index.indexing import (
    IndexReport,
    apply_documents,
    chunking_config,
    load_documents,
    remove_documents,
    resolve_doc_id,
)
from index.search import HybridSearcher, Retrieval, prefer_authoritative
from index.store import IndexSnapshot, load_snapshot, read_documents, save_snapshot
from index.text import detect_question_language
from index.types import Document, Passage

log = logging.getLogger(__name__)
RERANK_POOL_FACTOR = 2

__all__ = ["AddResult", "AnswerService", "SourceInfo", "Stats", "Turn"]


@dataclass(frozen=True)
class SourceInfo:
    """One indexed article, as listed by /sources and `policybot sources`."""

    doc_id: str
    title: str
    source: str
    date: str | None
    url: str | None
    chunks: int


@dataclass(frozen=True)
class AddResult:
    """What adding one article did."""

    doc_id: str
    title: str
    source: str
    chunks: int
    status: str  # "added" | "replaced" | "unchanged"


@dataclass(frozen=True)
class Stats:
    """Counters shown to admins."""

    documents: int
    chunks: int
    questions: int
    refusals: int


class Condenser(Protocol):
    """A backend that can rewrite a follow-up into a standalone question."""

    async def condense(self, question: str, history: Sequence[Turn]) -> str:
        """A standalone English question for retrieval."""
        ...


class AnswerService:
    """Retrieves passages for a question and answers from them, falling back to extractive answers."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        *,
        answerer: Answerer | None = None,
        condenser: Condenser | None = None,
    ) -> None:
        self.settings = settings
        self._embedder = embedder
        self._queries = QueryBatcher(embedder)  # questions answered at once share model calls
        self.extractive = ExtractiveAnswerer(
            embedder, WordForms(max_bytes=settings.answer_memo_mb * 1024 * 1024), wordnet_dir=settings.wordnet_dir
        )
        self.answerer: Answerer = answerer or self.extractive
        self._condenser = condenser
        self._searcher: HybridSearcher | None = None
        self._write_lock = asyncio.Lock()
        self._start_lock = asyncio.Lock()
        self._started = False
        self._questions = 0
        self._refusals = 0
        self._chunking = chunking_config(settings.chunk_max_tokens, settings.chunk_overlap_sentences)
        self._stories = StoryIndex()  # wire-story signatures, kept between index updates
        self._feeds: FeedPoller | None = None
        self._poll_lock = asyncio.Lock()
        self.last_poll: PollReport | None = None
        self._parser = EnglishParser()  # reads figures as claims at index time; loads on first use

    @classmethod
    def from_settings(cls, settings: Settings, *, answerer: Answerer | None = None) -> AnswerService:
        """Build the service the settings describe (no model is loaded until first use)."""
        embedder = build_embedder(settings.embedding_model, threads=settings.embedding_threads)
        condenser: Condenser | None = None
        if answerer is None and settings.llm_enabled:
            from bot.answering.llm import OpenAIAnswerer
            from bot.answering.prompts import PromptLibrary

            llm = OpenAIAnswerer(settings, PromptLibrary(settings.prompts_dir))
            answerer, condenser = llm, llm
        return cls(settings, embedder, answerer=answerer, condenser=condenser)

    # -- the index --------------------------------------------------------------------------
    @property
    def limits(self) -> FetchLimits:
        """Download caps for articles added by URL."""
        return FetchLimits(
            timeout_s=self.settings.fetch_timeout_s,
            max_bytes=self.settings.max_document_bytes,
            allow_private=self.settings.allow_private_urls,
            trusted_hosts=frozenset(self.settings.trusted_hosts),
        )

    @property
    def snapshot(self) -> IndexSnapshot:
        """The live index (loading it on first use)."""
        return self._searcher_now().snapshot

    def _searcher_now(self) -> HybridSearcher:
        """The live searcher, loading or building the index synchronously if needed."""
        if self._searcher is None:
            self._searcher = HybridSearcher(self._load_or_build(), self._queries)
        return self._searcher

    def _load_or_build(self) -> IndexSnapshot:
        """Load the saved index, or build it from the seeds when there is none yet."""
        try:
            return load_snapshot(self.settings.index_dir, self._embedder.model_name)
        except IndexMissingError:
            log.warning("no index in %s yet: building it from %s", self.settings.index_dir, self.settings.seeds_dir)
            report = self.index_sources([str(self.settings.seeds_dir)])
            for origin, reason in report.failed:
                log.warning("not indexed: %s (%s)", origin, reason)
            return load_snapshot(self.settings.index_dir, self._embedder.model_name)

    async def start(self) -> None:
        """Load the index (building it from the seeds if missing) and the model, off the event loop, once."""
        if self._started:
            return  # every question calls this: no lock, no warm-up embedding once started
        async with self._start_lock:
            if self._searcher is None:
                self._searcher = await asyncio.to_thread(self._searcher_now)
            if not self._started:
                await asyncio.to_thread(self._embedder.embed, ["warm-up"], kind="query")
                self._started = True

    def index_sources(
        self, sources: Sequence[str], *, rebuild: bool = False, show_progress: bool = False
    ) -> IndexReport:
        """Index files, folders and URLs into the saved index (only what changed is embedded).

        ``rebuild`` re-chunks and re-embeds every document the index holds (from the text and metadata it
        keeps, so articles added by URL or from other paths stay) plus ``sources``, which replace stored
        documents of the same origin; removed documents are not in the index, so they stay removed.
        """
        base: IndexSnapshot | None = None
        kept: list[Document] = []
        if rebuild:
            kept = self._stored_documents()
        else:
            try:
                base = load_snapshot(self.settings.index_dir, self._embedder.model_name)
            except IndexMissingError:
                base = None
        documents, failed = load_documents(sources, self.limits)
        if kept:
            fresh = {d.origin for d in documents} | {d.doc_id for d in documents}
            documents = [d for d in kept if d.origin not in fresh and d.doc_id not in fresh] + documents
        snapshot, report = apply_documents(
            base,
            documents,
            self._embedder,
            chunking=self._chunking,
            index_type=self.settings.index_type,
            show_progress=show_progress,
            stories=self._stories,
            parser=self._parser,
        )
        report.failed.extend(failed)
        if base is None or rebuild or report.changed or snapshot.documents != base.documents:
            save_snapshot(self.settings.index_dir, snapshot)
        self._searcher = HybridSearcher(snapshot, self._queries)
        return report

    def _stored_documents(self) -> list[Document]:
        """The documents of the saved index, for a rebuild; none (with a warning) when it cannot be read."""
        try:
            return list(read_documents(self.settings.index_dir).values())
        except IndexMissingError:
            return []
        except IndexUnavailableError as exc:
            log.warning("rebuilding from the given sources only: the old index cannot be read (%s)", exc)
            return []

    def remove(self, doc_id_prefix: str) -> Document:
        """Remove one document (by id or unique id prefix) from the saved index."""
        snapshot = load_snapshot(self.settings.index_dir, self._embedder.model_name)
        doc_id = resolve_doc_id(snapshot, doc_id_prefix)
        document = snapshot.documents[doc_id]
        updated = remove_documents(snapshot, [doc_id])
        save_snapshot(self.settings.index_dir, updated)
        self._searcher = HybridSearcher(updated, self._queries)
        return document

    async def add_url(self, url: str) -> AddResult:
        """Download an article and add it to the live index without a restart (http and https URLs only)."""
        url = require_web_url(url)
        await self.start()
        async with self._write_lock:
            document = await asyncio.to_thread(fetch_url, url, self.limits)
            current = self._searcher_now().snapshot
            snapshot, report = await asyncio.to_thread(
                apply_documents,
                current,
                [document],
                self._embedder,
                chunking=self._chunking,
                index_type=self.settings.index_type,
                stories=self._stories,
                parser=self._parser,
            )
            if report.changed:
                await asyncio.to_thread(save_snapshot, self.settings.index_dir, snapshot)
                searcher = await asyncio.to_thread(HybridSearcher, snapshot, self._queries)
                self._searcher = searcher  # one reference swap: each answer sees the old or the new index
            status = "replaced" if report.replaced else "added" if report.added else "unchanged"
            return AddResult(
                doc_id=document.doc_id,
                title=document.title,
                source=document.source,
                chunks=len(snapshot.chunks_of(document.doc_id)),
                status=status,
            )

    async def add_documents(self, documents: Sequence[Document]) -> IndexReport:
        """Add loaded documents (a feed poll's new articles) to the live index: saved, then one reference swap."""
        await self.start()
        async with self._write_lock:
            current = self._searcher_now().snapshot
            snapshot, report = await asyncio.to_thread(
                apply_documents,
                current,
                documents,
                self._embedder,
                chunking=self._chunking,
                index_type=self.settings.index_type,
                stories=self._stories,
                parser=self._parser,
            )
            if report.changed or snapshot.documents != current.documents:
                await asyncio.to_thread(save_snapshot, self.settings.index_dir, snapshot)
                searcher = await asyncio.to_thread(HybridSearcher, snapshot, self._queries)
                self._searcher = searcher  # one reference swap: each answer sees the old or the new index
            return report

    # -- feeds ------------------------------------------------------------------------------
    @property
    def feeds(self) -> FeedPoller:
        """The feed registry and poller (the SQLite file is opened on first use)."""
        if self._feeds is None:
            settings = self.settings
            limits = FeedLimits(
                fetch=self.limits,
                max_feed_bytes=settings.feed_max_bytes,
                max_items_per_poll=settings.feed_max_items_per_poll,
                interval_s=settings.feed_interval_min * 60.0,
                max_backoff_s=settings.feed_max_backoff_min * 60.0,
                concurrency=settings.feed_concurrency,
            )
            self._feeds = FeedPoller(FeedRegistry(settings.feeds_file), limits)
        return self._feeds

    async def poll_feeds(self, *, force: bool = False, only: Sequence[str] = ()) -> PollReport:
        """One pass over the due feeds (all when ``force``): fetch in worker threads, add the new articles to the
        live index, then mark them seen. One poll at a time; answers go on meanwhile."""
        async with self._poll_lock:
            batch = await asyncio.to_thread(self.feeds.fetch, force=force, only=only)
            indexed, error = True, None
            if batch.documents:
                try:
                    await self.add_documents(batch.documents)
                except Exception as exc:  # the articles stay unseen and are fetched again next time
                    log.exception("feed articles could not be added to the index")
                    indexed, error = False, f"{type(exc).__name__}: {exc}"
            report = await asyncio.to_thread(self.feeds.commit, batch, indexed=indexed, index_error=error)
            self.last_poll = report
            return report

    def sources(self) -> list[SourceInfo]:
        """The indexed articles, newest first (undated last)."""
        snapshot = self.snapshot
        counts: dict[str, int] = {}
        for chunk in snapshot.chunks:
            counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
        infos = [
            SourceInfo(d.doc_id, d.title, d.source, d.date, d.url, counts.get(d.doc_id, 0))
            for d in snapshot.documents.values()
        ]
        return sorted(infos, key=lambda s: (s.date is not None, s.date or "", s.title), reverse=True)

    def stats(self) -> Stats:
        """Documents, chunks, questions answered and refusals since start."""
        snapshot = self.snapshot
        return Stats(len(snapshot.documents), len(snapshot.chunks), self._questions, self._refusals)

    def date_range(self) -> tuple[str | None, str | None]:
        """The oldest and newest article dates in the index."""
        dates = [d.date for d in self.snapshot.documents.values() if d.date]
        return (min(dates), max(dates)) if dates else (None, None)

    # -- answering --------------------------------------------------------------------------
    async def retrieve(self, query: str) -> tuple[str, list[Passage]]:
        """The spelling-corrected query and its top passages (see ``search``)."""
        found = await self.search(query)
        return found.query, list(found.passages)

    async def search(self, query: str) -> Retrieval:
        """Hybrid search for twice ``top_k`` passages, then the best by how well their sentences answer the
        question, with the query's one vector (all in a worker thread)."""
        await self.start()
        searcher = self._searcher_now()
        return await asyncio.to_thread(self._retrieve_sync, searcher, query)

    def _retrieve_sync(self, searcher: HybridSearcher, query: str) -> Retrieval:
        """Search, then rerank by sentence evidence (the stored sentence vectors against the query's)."""
        found = searcher.retrieve(query, self.settings.top_k * RERANK_POOL_FACTOR)
        reranked = self.extractive.rerank(found.query, found.passages, query_vector=found.vector, names=found.names)
        return replace(found, passages=tuple(prefer_authoritative(reranked)[: self.settings.top_k]))

    async def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        *,
        on_partial: PartialCallback | None = None,
    ) -> Answer:
        """Answer one question from the indexed sources, or say that they don't cover it."""
        started = time.perf_counter()
        cleaned = clean_question(question, self.settings.max_question_chars)
        query = await self._standalone(cleaned.text, history)
        retrieval_started = time.perf_counter()
        found = await self.search(query)
        query, passages, vector, names = found.query, list(found.passages), found.vector, found.names
        retrieval_ms = (time.perf_counter() - retrieval_started) * 1000
        relevant = [p for p in passages if p.dense_score >= self.settings.min_dense_score]
        answer_started = time.perf_counter()
        if not relevant:
            # nothing is close in meaning: only the offline answerer's own evidence can still answer
            answer = await self.extractive.answer(query, passages, query_vector=vector, names=names)
        else:
            # the model answers the question as asked (in its language); a follow-up needs the rewrite
            asked = query if history else cleaned.text
            answer = await self._answer_with_fallback(asked, query, passages, vector, names, on_partial)
        timings = {
            **answer.timings_ms,
            "retrieve": round(retrieval_ms, 1),
            "answer": round((time.perf_counter() - answer_started) * 1000, 1),
            "total": round((time.perf_counter() - started) * 1000, 1),
        }
        note = " ".join(n for n in (cleaned.note, answer.note) if n) or None
        self._questions += 1
        self._refusals += int(answer.refused)
        # a backend that wrote in the asker's language says so; otherwise the question's language is the reply's
        language = answer.language if answer.language != "en" else detect_question_language(cleaned.text)
        newest = answer.newest_source_date or self.date_range()[1]
        return replace(
            answer, question=cleaned.text, note=note, timings_ms=timings, language=language, newest_source_date=newest
        )

    async def _standalone(self, question: str, history: Sequence[Turn]) -> str:
        """The retrieval query: the condenser's rewrite when there is one, else a joined follow-up."""
        recent = list(history)[len(history) - self.settings.history_turns :] if self.settings.history_turns else []
        if self._condenser is not None:
            try:
                return await self._condenser.condense(question, recent)
            except AnswerBackendError as exc:
                log.warning("condensing failed, using the question as written: %s", exc)
        return standalone_query(question, recent)

    async def aclose(self) -> None:
        """Release the answer backend's connections."""
        closer = getattr(self.answerer, "aclose", None)
        if closer is not None:
            await closer()

    async def _answer_with_fallback(
        self,
        asked: str,
        query: str,
        passages: Sequence[Passage],
        vector: np.ndarray,
        names: AbstractSet[str],
        on_partial: PartialCallback | None,
    ) -> Answer:
        """The configured backend's answer; the extractive one, marked as such, if that backend fails."""
        if self.answerer is self.extractive:
            return await self.extractive.answer(query, passages, query_vector=vector, names=names)
        try:
            return await self.answerer.answer(asked, passages, on_partial=on_partial)
        except AnswerBackendError as exc:
            log.warning("answer backend %s failed, sending the extractive answer: %s", self.answerer.name, exc)
            fallback = await self.extractive.answer(query, passages, query_vector=vector, names=names)
            return replace(
                fallback,
                backend=f"{fallback.backend}-fallback",
                note="The language model could not give a checked answer, so these are the source sentences.",
            )
