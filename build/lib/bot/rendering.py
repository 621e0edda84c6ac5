"""What a reply says, in order, for every front: the terminal, ``--json`` and (through formatting) Telegram.

``build_reply`` turns an Answer into a Reply: the lead (the answer in a line or two, each figure with
as of when and per whom), the evidence, a freshness line when the sources may be out of date, and one
sources row per article. Lines are made of spans that say whose words they are (the bot's, a source's,
a ``[n]`` marker), so each front can escape and style them its own way. Everything here is pure: today's
date is passed in by the caller, who reads it from an injected clock.

One date style everywhere: ``format_date`` ("6 Aug 2025", "Apr 2024"); ``--json`` keeps ISO dates.

Right-to-left replies (Urdu, Pashto, Dari) start each line with a right-to-left mark and wrap every
left-to-right run (English quotes, outlet names, ``[n]`` markers) in direction marks, so figures,
brackets and markers stay in order. Marks, not the newer isolates (FSI/PDI): Telegram Desktop's text
engine, a copy of Qt 5.6's, does not honour isolates (tdesktop issue 27099), while every client honours marks.
"""

from __future__ import annotations

import calendar
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from bot.answering.answers import Answer, Citation, Statement
from bot.answering.checks import extract_figures
from bot.phrases import ENGLISH, Phrases, phrases_for

Clock = Callable[[], datetime]
SpanKind = Literal["bot", "source", "marker"]

LRM = "\u200e"
RLM = "\u200f"
BULLET = "• "
DEFAULT_FRESHNESS_DAYS = 30
CHANGING_FIGURE_KINDS = frozenset({"count", "percent", "amount"})
CHANGING_ROLES = frozenset({"earlier", "replaced", "disagrees"})


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Span:
    """A run of a line's text: the bot's words, a source's words (``quoted`` when verbatim), or a marker."""

    text: str
    kind: SpanKind = "bot"
    quoted: bool = False


Line = tuple[Span, ...]


@dataclass(frozen=True)
class SourceRow:
    """One article of the sources block: ``[n] label — title``, linked to ``url``."""

    n: int
    label: Line
    title: str
    url: str | None


@dataclass(frozen=True)
class Reply:
    """A rendered answer, front-neutral. ``body`` is the text of an answer that has no lead (older backends)."""

    phrases: Phrases
    lead: tuple[Line, ...]
    evidence: tuple[Line, ...]
    freshness: str | None
    note: str | None
    sources: tuple[SourceRow, ...]
    body: str | None = None


# -- dates -----------------------------------------------------------------------------------------


def format_date(iso: str | None, phrases: Phrases = ENGLISH) -> str:
    """The one date style: "6 Aug 2025", "Apr 2024", "2024"; "date unknown" when missing."""
    if not iso:
        return phrases.date_unknown
    parts = iso.strip().split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {phrases.months[int(parts[1]) - 1]} {int(parts[0])}"
        if len(parts) == 2:
            return f"{phrases.months[int(parts[1]) - 1]} {int(parts[0])}"
        if len(parts) == 1 and parts[0].isdigit():
            return parts[0]
    except (ValueError, IndexError):
        pass
    return iso


def parse_date(iso: str | None) -> date | None:
    """The last day an ISO date (possibly partial: "2024-04", "2024") can mean; None when unreadable."""
    if not iso:
        return None
    parts = iso.strip().split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return date(year, 12, 31)
        month = int(parts[1])
        day = int(parts[2]) if len(parts) > 2 else calendar.monthrange(year, month)[1]
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


def date_range_text(first: str | None, last: str | None, phrases: Phrases = ENGLISH) -> str | None:
    """ "8 Nov 2023 to 13 Feb 2026", or None when the dates are unknown."""
    if not first or not last:
        return None
    return phrases.date_range.format(first=format_date(first, phrases), last=format_date(last, phrases))


def freshness_line(newest: str | None, today: date | None, max_age_days: int, phrases: Phrases = ENGLISH) -> str | None:
    """ "Newest source: 13 Feb 2026, 291 days ago; ..." when the newest source is older than ``max_age_days``."""
    newest_day = parse_date(newest)
    if newest_day is None or today is None:
        return None
    age = (today - newest_day).days
    if age <= max_age_days:
        return None
    return phrases.freshness.format(date=format_date(newest, phrases), days=age)


def about_changing_figures(answer: Answer) -> bool:
    """True when the answer states a count, percentage or amount, or sets figures or deadlines side by
    side (earlier, replaced, disagreeing): things a newer article could change."""
    statements = (*answer.lead, *answer.evidence)
    if any(s.role in CHANGING_ROLES for s in statements):
        return True
    texts = [s.text for s in statements] or [answer.text]
    return any(f.kind in CHANGING_FIGURE_KINDS for text in texts for f in extract_figures(text))


# -- building a reply --------------------------------------------------------------------------------


def build_reply(
    answer: Answer,
    *,
    today: date | None = None,
    newest_source_date: str | None = None,
    freshness_days: int = DEFAULT_FRESHNESS_DAYS,
) -> Reply:
    """The reply to show for ``answer``, in its language; ``today`` enables the freshness line."""
    phrases = phrases_for(answer.language)
    by_n = {c.n: c for c in answer.citations}
    lead: list[Line] = [statement_line(s, by_n, phrases) for s in answer.lead]
    evidence: list[Line] = []
    body: str | None = None
    if answer.refused and not answer.lead:
        lead = [(Span(phrases.refusal),)]
        if answer.evidence:
            evidence.append((Span(phrases.closest),))
            evidence.extend(statement_line(s, by_n, phrases, bullet=True) for s in answer.evidence)
    else:
        evidence = _evidence_lines(answer.evidence, by_n, phrases)
        if not lead and not evidence:
            body = answer.text.strip()
    newest = answer.newest_source_date or newest_source_date
    fresh = None
    if not answer.refused and about_changing_figures(answer):
        fresh = freshness_line(newest, today, freshness_days, phrases)
    note = " ".join(answer.note.split()) if answer.note else None
    return Reply(
        phrases=phrases,
        lead=tuple(lead),
        evidence=tuple(evidence),
        freshness=fresh,
        note=note,
        sources=tuple(source_row(c, phrases) for c in answer.citations),
        body=body,
    )


def statement_line(statement: Statement, by_n: dict[int, Citation], phrases: Phrases, *, bullet: bool = False) -> Line:
    """One statement as a line: frame (as of, per whom), the text (quoted only when verbatim), markers."""
    cited = [by_n[n] for n in statement.citations if n in by_n]
    markers = [Span(f"[{n}]", "marker") for n in statement.citations if n in by_n]
    spans: list[Span] = [Span(BULLET)] if bullet else []
    if statement.role == "related" and statement.label:
        spans += [Span(statement.label, "source"), Span(" — ")]
    if statement.generated or not cited:
        spans.append(Span(" ".join(statement.text.split()), "source"))
    else:
        spans.extend(_framed_text(statement, cited[0], phrases, capitalise=len(spans) <= 1))
    for marker in markers:
        spans += [Span(" "), marker]
    return tuple(spans)


def source_row(citation: Citation, phrases: Phrases) -> SourceRow:
    """The sources-block row of one article: outlet (opinion), date, retold; other outlets of a wire story."""
    sep = Span(phrases.list_separator)
    label: list[Span] = [Span(" ".join(citation.source.split()) or "unknown source", "source")]
    if citation.kind == "opinion":
        label.append(Span(f" ({phrases.opinion})"))
    label += [sep, Span(format_date(citation.date, phrases))]
    if not citation.verbatim:
        label += [sep, Span(phrases.retold_label)]
    if citation.outlets:
        also = phrases.list_separator.join(" ".join(o.split()) for o in citation.outlets)
        label += [Span(" ("), *_template(phrases.also_ran, outlets=Span(also, "source")), Span(")")]
    return SourceRow(citation.n, tuple(label), " ".join(citation.title.split()) or "untitled", citation.url)


def source_row_spans(row: SourceRow) -> Line:
    """ "[n] label — title" as spans; the title is the last span."""
    return (Span(f"[{row.n}]", "marker"), Span(" "), *row.label, Span(" — "), Span(row.title, "source"))


def _evidence_lines(statements: Sequence[Statement], by_n: dict[int, Citation], phrases: Phrases) -> list[Line]:
    """Evidence lines, with a heading each time the kind of statement changes."""
    headings = {
        "answer": phrases.heading_support,
        "earlier": phrases.heading_earlier,
        "related": phrases.heading_related,
        "disagrees": phrases.heading_disagrees,
        "replaced": phrases.heading_replaced,
    }
    lines: list[Line] = []
    role: str | None = None
    for statement in statements:
        if statement.role != role:
            role = statement.role
            lines.append((Span(headings[role]),))
        lines.append(statement_line(statement, by_n, phrases, bullet=True))
    return lines


def _framed_text(statement: Statement, citation: Citation, phrases: Phrases, *, capitalise: bool) -> list[Span]:
    """ "As of 31 Dec 2025 (reported 13 Feb 2026), per UNHCR: “text”" — or, for retold text, the text
    without quotation marks followed by "(retold from <outlet>)"."""
    outlet = " ".join(citation.source.split())
    reported = statement.reported or citation.date
    as_of = statement.as_of or reported
    who = " ".join((statement.who or outlet).split())
    frame: list[Span] = []
    if as_of:
        frame += _template(phrases.as_of, date=Span(format_date(as_of, phrases)))
        if reported and reported != as_of:
            reported_spans = _template(phrases.reported, date=Span(format_date(reported, phrases)))
            frame += [Span(" ("), *reported_spans, Span(")")]
    if who and (citation.verbatim or who != outlet):
        if frame:
            frame.append(Span(phrases.frame_joiner))
        frame += _template(phrases.per, who=Span(who, "source"))
        if citation.kind == "opinion" and who == outlet:
            frame.append(Span(f" ({phrases.opinion})"))
    if capitalise and frame and frame[0].kind == "bot" and phrases is ENGLISH:
        frame[0] = Span(frame[0].text[:1].upper() + frame[0].text[1:])
    text = " ".join(statement.text.split())
    spans = [*frame, Span(": ")] if frame else []
    if citation.verbatim:
        return [*spans, Span(text, "source", quoted=True)]
    retold = _template(phrases.retold, outlet=Span(outlet, "source"))
    if citation.kind == "opinion":
        retold.append(Span(f" ({phrases.opinion})"))
    return [*spans, Span(text, "source"), Span(" "), *retold]


def _template(template: str, **fields: Span) -> list[Span]:
    """A phrase template as spans: its words are the bot's, each ``{field}`` the given span."""
    spans: list[Span] = []
    rest = template
    while rest:
        start = rest.find("{")
        end = rest.find("}", start)
        if start < 0 or end < 0:
            spans.append(Span(rest))
            break
        if start:
            spans.append(Span(rest[:start]))
        spans.append(fields[rest[start + 1 : end]])
        rest = rest[end + 1 :]
    return spans


# -- text --------------------------------------------------------------------------------------------


def line_pieces(line: Line, phrases: Phrases) -> list[tuple[str, SpanKind]]:
    """A line's text pieces with quotation and direction marks added; each keeps its span's kind.

    In a right-to-left reply every left-to-right run becomes LRM + run + LRM + RLM: the first two marks keep
    the run's own brackets and figures inside it, the last gives the text after it back to right-to-left, so
    a day number after an English outlet name stays with its month.
    """
    pieces: list[tuple[str, SpanKind]] = [(RLM, "bot")] if phrases.rtl else []
    for span in line:
        run: list[tuple[str, SpanKind]] = [(span.text, span.kind)]
        if span.quoted:
            run = [(phrases.quote_open, "bot"), *run, (phrases.quote_close, "bot")]
        if phrases.rtl and span.kind != "bot" and _first_strong_is_ltr(span.text):
            run = [(LRM, "bot"), *run, (LRM + RLM, "bot")]
        pieces.extend(run)
    return pieces


def line_text(line: Line, phrases: Phrases) -> str:
    """A line as plain text."""
    return "".join(text for text, _ in line_pieces(line, phrases))


def plain_lines(lines: Iterable[Line], phrases: Phrases) -> list[str]:
    """Lines as plain text."""
    return [line_text(line, phrases) for line in lines]


def visible_text(reply: Reply) -> str:
    """What a phone shows before the evidence is expanded: the lead, the freshness line and the note."""
    parts = ["\n".join(plain_lines(reply.lead, reply.phrases))] if reply.lead else []
    parts += [reply.body] if reply.body else []
    parts += [p for p in (reply.freshness, reply.note) if p]
    return "\n\n".join(parts)


def text_before_sources(reply: Reply) -> str:
    """Everything before the sources block, evidence included."""
    parts = [visible_text(reply)]
    if reply.evidence:
        parts.insert(1 if reply.lead or reply.body else 0, "\n".join(plain_lines(reply.evidence, reply.phrases)))
    return "\n\n".join(p for p in parts if p)


def render_plain(reply: Reply, *, sources: bool = True) -> str:
    """The reply for a terminal: lead, freshness, indented evidence, note, then the sources with links."""
    phrases = reply.phrases
    blocks: list[str] = []
    if reply.lead:
        blocks.append("\n".join(plain_lines(reply.lead, phrases)))
    if reply.body:
        blocks.append(reply.body)
    if reply.freshness:
        blocks.append(reply.freshness)
    if reply.evidence:
        blocks.append("\n".join("  " + text for text in plain_lines(reply.evidence, phrases)))
    if reply.note:
        blocks.append(f"({reply.note})")
    if sources and reply.sources:
        rows = [source_row_text(row, phrases) + (f" {row.url}" if row.url else "") for row in reply.sources]
        blocks.append("\n".join([phrases.sources_heading + ":", *rows]))
    return "\n\n".join(blocks)


def source_row_text(row: SourceRow, phrases: Phrases) -> str:
    """ "[n] label — title" as plain text (direction-marked for right-to-left replies)."""
    return line_text(source_row_spans(row), phrases)


def answer_json(answer: Answer, reply: Reply, *, newest_source_date: str | None = None) -> dict[str, Any]:
    """The ``--json`` object: every data key of ``Answer.to_json``, ``answer`` as the plain reply (lead
    first, no sources block), each statement with the line shown for it, and the freshness line."""
    data = answer.to_json()
    data["answer"] = render_plain(reply, sources=False)
    by_n = {c.n: c for c in answer.citations}
    for key, statements, bullet in (("lead", answer.lead, False), ("evidence", answer.evidence, True)):
        for item, statement in zip(data[key], statements, strict=True):
            item["shown"] = line_text(statement_line(statement, by_n, reply.phrases, bullet=bullet), reply.phrases)
    data["newest_source_date"] = answer.newest_source_date or newest_source_date
    data["freshness"] = reply.freshness
    return data


def _first_strong_is_ltr(text: str) -> bool:
    """True when the first strongly directional character is left-to-right (or there is none, as in "[1]")."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction == "L":
            return True
        if direction in {"R", "AL"}:
            return False
    return True
