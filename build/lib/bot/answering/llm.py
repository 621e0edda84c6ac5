"""The OpenAI-compatible answerer: a chat model writes the answer, checks decide whether it is sent."""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletion, ChatCompletionChunk, ChatCompletionMessageParam

from bot.answering.answers import Answer, Citation, PartialCallback, Statement
from bot.answering.checks import (
    CITATION_MARKER,
    check_citations,
    check_names,
    check_numbers,
    citation_numbers,
    extract_figures,
    split_sentences,
    strip_unknown_links,
)
from bot.answering.prompts import (
    PromptLibrary,
    answer_language,
    format_failures,
    format_history,
    format_passage_blocks,
    neutralise_blocks,
)
from bot.answering.questions import Turn
from bot.errors import AnswerBackendError, ConfigError
from bot.settings import Settings
from index.types import Passage

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.openai.com/v1"
# Token counts are estimated as characters / 4: close for English news text, generous for Urdu.
CHARS_PER_TOKEN = 4
# Tokens kept free besides the answer: message framing plus, for the figure retry, the revise note.
RESERVED_TOKENS = 300
NO_ANSWER = "NO_ANSWER"
CONDENSE_MAX_TOKENS = 120
QUOTE_WHOLE_PASSAGE_CHARS = 300
LEAD_CHARS = 300  # the lead is the answer's first two sentences when together they are this short, else one

Clock = Callable[[], datetime]

# What the openai client (or a garbled body it parses) can raise during a call.
_CLIENT_ERRORS: tuple[type[Exception], ...] = (openai.OpenAIError, ValueError, TypeError, KeyError, AttributeError)


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclasses.dataclass(frozen=True)
class _Checked:
    """A model reply after the citation, figure and link checks."""

    text: str
    cited: tuple[int, ...]
    refused: bool
    unsupported: tuple[tuple[str, str], ...]  # (figure, sentence) pairs


class OpenAIAnswerer:
    """Answers from the given passages with any OpenAI-compatible chat model, or raises AnswerBackendError."""

    def __init__(
        self,
        settings: Settings,
        prompts: PromptLibrary,
        *,
        clock: Clock = _utc_now,
        client: AsyncOpenAI | None = None,
    ) -> None:
        if not settings.llm_model:
            raise ConfigError("POLICYBOT_LLM_MODEL is not set; generated answers need a model name")
        if settings.openai_api_key is None:
            raise ConfigError("OPENAI_API_KEY is not set; generated answers need an API key")
        self._api_key = settings.openai_api_key.get_secret_value()
        self.model = settings.llm_model
        self.name = f"openai:{self.model}"
        self._prompts = prompts
        self._clock = clock
        self._timeout_s = settings.llm_timeout_s
        self._max_tokens = settings.llm_max_tokens
        self._context_tokens = settings.llm_context_tokens
        self._client = client or AsyncOpenAI(
            api_key=self._api_key,
            base_url=settings.openai_base_url or DEFAULT_BASE_URL,
            timeout=openai.Timeout(settings.llm_timeout_s, connect=min(settings.llm_timeout_s, 10.0)),
            max_retries=settings.llm_max_retries,
        )
        self.number_check_failures = 0
        self.citation_check_failures = 0

    async def aclose(self) -> None:
        """Close the HTTP connections of the client."""
        await self._client.close()

    async def answer(
        self,
        question: str,
        passages: Sequence[Passage],
        *,
        on_partial: PartialCallback | None = None,
    ) -> Answer:
        """Answer ``question`` from ``passages`` with checked citations and figures; AnswerBackendError otherwise."""
        started = time.perf_counter()
        if not passages:
            raise AnswerBackendError("no passages to answer from")
        system = self._prompts.render("system", today=self._today())
        kept = self._fit_passages(system, question, passages)
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": system},
            {
                "role": "user",
                "content": self._prompts.render(
                    "answer",
                    passages=format_passage_blocks(kept),
                    question=neutralise_blocks(question.strip()),
                    language=answer_language(question),
                ),
            },
        ]
        reply = await self._complete(messages, on_partial, kept)
        checked = self._check(reply, kept)
        if checked.unsupported:
            self.number_check_failures += 1
            figures = ", ".join(figure for figure, _ in checked.unsupported)
            logger.warning("answer has figures or names not in its cited passages, retrying once: %s", figures)
            messages.append({"role": "assistant", "content": reply})
            failures = format_failures(dict(checked.unsupported))
            messages.append({"role": "user", "content": self._prompts.render("revise", failures=failures)})
            reply = await self._complete(messages, on_partial, kept)
            checked = self._check(reply, kept)
            if checked.unsupported:
                self.number_check_failures += 1
                figures = ", ".join(figure for figure, _ in checked.unsupported)
                raise AnswerBackendError(f"figures or names not in the cited passages after one retry: {figures}")
        return self._build_answer(question, checked, kept, started)

    async def condense(self, question: str, history: Sequence[Turn]) -> str:
        """A standalone English search question for ``question`` given the earlier turns of the chat.

        Returns ``question`` unchanged when there is no history and it is written in Latin script, and
        whenever the model fails: condensing only helps retrieval, it must never block an answer.
        """
        if not history and _is_latin(question):
            return question
        prompt = self._prompts.render(
            "condense",
            today=self._today(),
            history=format_history(history),
            question=neutralise_blocks(question.strip()),
        )
        try:
            completion = await self._client.with_options(max_retries=0).chat.completions.create(
                model=self.model,
                messages=[{"role": "user", "content": prompt}],
                max_tokens=CONDENSE_MAX_TOKENS,
            )
            text = _completion_text(completion)
        except AnswerBackendError as exc:
            logger.warning("condensing the question failed (%s); searching with it as asked", exc)
            return question
        except _CLIENT_ERRORS as exc:
            logger.warning("condensing the question failed (%s); searching with it as asked", self._backend_error(exc))
            return question
        line = next((ln.strip().strip("\"'\u201c\u201d").strip() for ln in text.splitlines() if ln.strip()), "")
        if not line or len(line) > 4 * len(question) + 200:
            return question
        return line

    # ------------------------------------------------------------ the model call

    async def _complete(
        self,
        messages: list[ChatCompletionMessageParam],
        on_partial: PartialCallback | None,
        passages: Sequence[Passage],
    ) -> str:
        """The model's reply to ``messages``, streamed to ``on_partial`` when given."""
        if on_partial is None:
            try:
                completion = await self._client.chat.completions.create(
                    model=self.model, messages=messages, max_tokens=self._max_tokens
                )
            except _CLIENT_ERRORS as exc:
                raise self._backend_error(exc) from exc
            return _completion_text(completion)
        try:
            stream = await self._client.chat.completions.create(
                model=self.model, messages=messages, max_tokens=self._max_tokens, stream=True
            )
        except _CLIENT_ERRORS as exc:
            raise self._backend_error(exc) from exc
        parts: list[str] = []
        finish_reason: str | None = None
        try:
            chunks = stream.__aiter__()
            while True:
                try:
                    chunk = await anext(chunks)
                except StopAsyncIteration:
                    break
                except _CLIENT_ERRORS as exc:
                    raise self._backend_error(exc, midway=True) from exc
                delta, reason = _chunk_delta(chunk)
                finish_reason = reason or finish_reason
                if delta:
                    parts.append(delta)
                    draft = _sanitise_draft("".join(parts), passages)
                    if draft:
                        await on_partial(draft)
        finally:
            await stream.close()
        if finish_reason is None:
            raise AnswerBackendError("the answer stream ended before it was complete")
        return _final_text("".join(parts), finish_reason)

    def _backend_error(self, exc: Exception, *, midway: bool = False) -> AnswerBackendError:
        """An AnswerBackendError with a short reason, and the key scrubbed from ``exc``."""
        _scrub(exc, self._api_key)
        return AnswerBackendError(_reason(exc, self._timeout_s, midway=midway))

    # ------------------------------------------------------------ checks and the Answer

    def _check(self, reply: str, passages: Sequence[Passage]) -> _Checked:
        """Run the citation, figure and link checks on ``reply``; raise when it cites nothing."""
        allowed_urls = [p.url for p in passages]
        refusal = _refusal_text(reply)
        if refusal is not None:
            text = strip_unknown_links(check_citations(refusal, 0).text, allowed_urls).text.strip()
            if not text:
                raise AnswerBackendError("the model refused without saying why")
            return _Checked(text=text, cited=(), refused=True, unsupported=())
        citations = check_citations(reply, len(passages))
        if citations.removed or citations.uncited:
            self.citation_check_failures += 1
            if citations.removed:
                logger.warning("answer cited passages that do not exist: %s", citations.removed)
        if citations.uncited:
            raise AnswerBackendError("the answer cites no passage")
        by_n = {n: passage for n, passage in enumerate(passages, start=1)}
        unsupported = [(u.figure, u.sentence) for u in check_numbers(citations.text, by_n)]
        unsupported += [(u.name, u.sentence) for u in check_names(citations.text, by_n)]
        links = strip_unknown_links(citations.text, allowed_urls)
        if links.removed:
            logger.warning("removed %d link(s) to unknown sites from the answer", len(links.removed))
        cited = tuple(sorted({n for n in citation_numbers(links.text) if n in by_n}))
        return _Checked(
            text=links.text.strip(),
            cited=cited,
            refused=False,
            unsupported=tuple(unsupported),
        )

    def _build_answer(self, question: str, checked: _Checked, passages: Sequence[Passage], started: float) -> Answer:
        """The Answer for a checked reply: the model's first sentence or two as the lead, the rest and the
        cited passages as evidence, one citation per article (numbered by its first cited passage)."""
        sentences = [s.strip() for s in split_sentences(checked.text) if s.strip()]
        article_n: dict[int, int] = {}  # cited passage number -> its article's citation number
        first_of: dict[str, int] = {}
        for n in checked.cited:
            article_n[n] = first_of.setdefault(passages[n - 1].doc_id, n)
        quotes: dict[int, list[str]] = {}
        for n in checked.cited:
            citing = [s for s in sentences if n in citation_numbers(s)]
            quote = pick_quote(passages[n - 1].text, citing)
            if quote not in quotes.setdefault(article_n[n], []):
                quotes[article_n[n]].append(quote)
        citations = []
        for n, article_quotes in quotes.items():
            passage = passages[n - 1]
            citations.append(
                Citation(
                    n=n,
                    doc_id=passage.doc_id,
                    title=passage.title,
                    source=passage.source,
                    date=passage.date,
                    url=passage.url,
                    quote=article_quotes[0],
                    quotes=tuple(article_quotes),
                    verbatim=passage.verbatim,
                    kind=passage.kind,
                    outlets=passage.outlets,
                )
            )
        generated = [
            Statement(
                text=CITATION_MARKER.sub("", sentence).strip(),
                citations=tuple(dict.fromkeys(article_n[m] for m in citation_numbers(sentence) if m in article_n)),
                generated=True,
            )
            for sentence in sentences
        ]
        generated = [s for s in generated if s.text]
        lead_size = 2 if len(generated) > 1 and len(generated[0].text) + len(generated[1].text) <= LEAD_CHARS else 1
        cited_passages = [
            Statement(text=quote, citations=(c.n,), as_of=c.date, reported=c.date, who=c.source)
            for c in citations
            for quote in c.passages
        ]
        dates = [c.date for c in citations if c.date]
        return Answer(
            question=question,
            text=checked.text,
            citations=tuple(citations),
            refused=checked.refused,
            as_of=max(dates) if dates else None,
            backend=self.name,
            timings_ms={"generate": round((time.perf_counter() - started) * 1000, 1)},
            lead=tuple(generated[:lead_size]),
            evidence=(*generated[lead_size:], *cited_passages),
        )

    # ------------------------------------------------------------ prompt budget

    def _fit_passages(self, system: str, question: str, passages: Sequence[Passage]) -> list[Passage]:
        """The leading passages that fit the context (chars/4 estimate); the first is cut if it alone does not."""
        frame = len(system) + len(
            self._prompts.render("answer", passages="", question=question, language=answer_language(question))
        )
        budget_tokens = self._context_tokens - 2 * self._max_tokens - RESERVED_TOKENS - frame // CHARS_PER_TOKEN
        budget = budget_tokens * CHARS_PER_TOKEN
        if budget <= 0:
            raise AnswerBackendError("llm_context_tokens is too small for the prompt and llm_max_tokens")
        kept: list[Passage] = []
        used = 0
        for passage in passages:
            size = len(format_passage_blocks([passage])) + 2
            if used + size > budget:
                if not kept:
                    room = budget - (size - len(passage.text))
                    cut = passage.text[: max(room, 0)].rsplit(" ", 1)[0]
                    if cut.strip():
                        kept.append(dataclasses.replace(passage, text=cut, end=passage.start + len(cut)))
                break
            kept.append(passage)
            used += size
        if not kept:
            raise AnswerBackendError("no passage fits in llm_context_tokens")
        if len(kept) < len(passages):
            logger.info("kept %d of %d passages to fit llm_context_tokens", len(kept), len(passages))
        return kept

    def _today(self) -> str:
        now = self._clock()
        return f"{now:%Y-%m-%d} ({now:%A %d %B %Y})"


# ---------------------------------------------------------------- helpers


def pick_quote(passage_text: str, citing_sentences: Iterable[str]) -> str:
    """The passage itself when short, else its sentence sharing most figures and words with the citing sentences."""
    whole = passage_text.strip()
    if len(whole) <= QUOTE_WHOLE_PASSAGE_CHARS:
        return whole
    answer_text = " ".join(citing_sentences)
    answer_words = _words(answer_text)
    answer_figures = {(f.kind, f.value, f.date) for f in extract_figures(answer_text)}

    def score(sentence: str) -> tuple[int, int]:
        figures = {(f.kind, f.value, f.date) for f in extract_figures(sentence)}
        return (3 * len(figures & answer_figures) + len(_words(sentence) & answer_words), -len(sentence))

    candidates = split_sentences(whole)
    return max(candidates, key=score) if candidates else whole


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3}


def _is_latin(text: str) -> bool:
    return all(ch.isascii() for ch in text if ch.isalpha())


def _refusal_text(reply: str) -> str | None:
    """The explanation after a leading NO_ANSWER, or None when the reply is an answer."""
    stripped = reply.strip().lstrip("*_` ")
    if not stripped.upper().startswith(NO_ANSWER):
        return None
    return stripped[len(NO_ANSWER) :].lstrip("*_`:.-\u2014 \n")


def _sanitise_draft(text: str, passages: Sequence[Passage]) -> str:
    """A streamed draft fit to show: no refusal marker, bad citations or unknown links."""
    stripped = text.lstrip()
    if len(stripped) < len(NO_ANSWER) and NO_ANSWER.startswith(stripped.upper()):
        return ""
    refusal = _refusal_text(text)
    draft = check_citations(refusal if refusal is not None else text, len(passages)).text
    return strip_unknown_links(draft, [p.url for p in passages]).text.strip()


def _chunk_delta(chunk: ChatCompletionChunk) -> tuple[str, str | None]:
    """The text and finish reason one stream chunk carries (usage-only chunks carry neither)."""
    choices = getattr(chunk, "choices", None)
    if not isinstance(choices, list) or not choices:
        return "", None
    delta = getattr(choices[0], "delta", None)
    content = getattr(delta, "content", None)
    reason = getattr(choices[0], "finish_reason", None)
    return (content if isinstance(content, str) else ""), (reason if isinstance(reason, str) else None)


def _completion_text(completion: Any) -> str:
    """The text of a non-streamed completion; AnswerBackendError when it has none."""
    if not isinstance(completion, ChatCompletion):
        raise AnswerBackendError("malformed response (not a chat completion)")
    choices = getattr(completion, "choices", None)
    if not isinstance(choices, list) or not choices:
        raise AnswerBackendError("the response has no choices")
    message = getattr(choices[0], "message", None)
    content = getattr(message, "content", None)
    reason = getattr(choices[0], "finish_reason", None)
    if not isinstance(content, str):
        raise AnswerBackendError("the response has no text")
    return _final_text(content, reason if isinstance(reason, str) else "stop")


def _final_text(text: str, finish_reason: str) -> str:
    if finish_reason == "length":
        raise AnswerBackendError("the answer was cut off at llm_max_tokens")
    if finish_reason == "content_filter":
        raise AnswerBackendError("the answer was withheld by the provider's content filter")
    if not text.strip():
        raise AnswerBackendError("the model returned an empty answer")
    return text


def _reason(exc: Exception, timeout_s: float, *, midway: bool = False) -> str:
    """A short, key-free description of a client failure."""
    if isinstance(exc, openai.AuthenticationError):
        return "authentication failed (HTTP 401): check OPENAI_API_KEY"
    if isinstance(exc, openai.PermissionDeniedError):
        return "permission denied (HTTP 403)"
    if isinstance(exc, openai.RateLimitError):
        return "rate limited (HTTP 429) after retries"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code} from the model server"
    if isinstance(exc, openai.APITimeoutError):
        return f"no reply within {timeout_s:g} s"
    if isinstance(exc, openai.APIConnectionError):
        return "the answer stream broke off midway" if midway else "model server unreachable"
    if isinstance(exc, openai.APIError) and not isinstance(exc, openai.APIResponseValidationError):
        return "the model server reported an error"
    return f"malformed response ({type(exc).__name__})"


def _scrub(exc: BaseException, secret: str) -> None:
    """Replace ``secret`` wherever ``exc`` and its causes would print it."""
    if not secret:
        return
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.args = tuple(arg.replace(secret, "***") if isinstance(arg, str) else arg for arg in current.args)
        message = getattr(current, "message", None)
        if isinstance(message, str):
            current.message = message.replace(secret, "***")  # type: ignore[attr-defined]
        current = current.__cause__ or current.__context__
