"""Prompt templates as files: load from ``prompts_dir``, render with named variables, wrap data in blocks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from string import Template

from bot.answering.questions import Turn
from bot.errors import ConfigError
from index.text import LANGUAGE_NAMES, detect_question_language
from index.types import Passage

# Tag names of the data blocks the prompts use; their look-alikes inside data are neutralised.
_BLOCK_TAG = re.compile(r"<(\s*/?\s*(?:passages?|question|history|turn|system|instructions?)\b)", re.IGNORECASE)
_NEUTRAL_LT = "\u2039"  # a single angle quotation mark: reads like "<" but closes no block


class PromptLibrary:
    """The prompt templates in one directory; each renders only with exactly its named variables."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._templates: dict[str, Template] = {}

    def template(self, name: str) -> Template:
        """The template ``name`` (``answer`` reads ``answer.txt``), read once."""
        if name not in self._templates:
            path = self.directory / f"{name}.txt"
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise ConfigError(f"prompt template {path} cannot be read: {exc.strerror or exc}") from exc
            template = Template(text)
            if not template.is_valid():
                raise ConfigError(f"prompt template {path} has a malformed $-placeholder (write $$ for a dollar sign)")
            self._templates[name] = template
        return self._templates[name]

    def variables(self, name: str) -> frozenset[str]:
        """The variable names template ``name`` uses."""
        return frozenset(self.template(name).get_identifiers())

    def render(self, name: str, /, **values: str) -> str:
        """Render template ``name``; a missing or unexpected variable raises ConfigError naming it."""
        needed = self.variables(name)
        missing = sorted(needed - values.keys())
        unexpected = sorted(values.keys() - needed)
        if missing or unexpected:
            problems = []
            if missing:
                problems.append(f"missing {', '.join(missing)}")
            if unexpected:
                problems.append(f"unexpected {', '.join(unexpected)}")
            raise ConfigError(f"prompt {name}.txt: {'; '.join(problems)}")
        # Values are substituted once and never re-parsed, so "$" or "{}" in data is inert.
        return self.template(name).substitute(values)


def answer_language(question: str) -> str:
    """The name of the language a generated answer to ``question`` is written in: the question's own."""
    return LANGUAGE_NAMES[detect_question_language(question)]


def neutralise_blocks(text: str) -> str:
    """Defuse anything in data that looks like an opening or closing tag of our data blocks."""
    return _BLOCK_TAG.sub(_NEUTRAL_LT + r"\1", text)


def _attribute(value: str | None) -> str:
    return escape(neutralise_blocks(value or "unknown"), quote=True)


def format_passage_blocks(passages: Sequence[Passage]) -> str:
    """Number ``passages`` from 1 and wrap each in a ``<passage>`` block whose text cannot close it."""
    blocks = []
    for n, passage in enumerate(passages, start=1):
        blocks.append(
            f'<passage n="{n}" title="{_attribute(passage.title)}" source="{_attribute(passage.source)}" '
            f'date="{_attribute(passage.date)}" kind="{passage.kind}">\n'
            f"{neutralise_blocks(passage.text.strip())}\n</passage>"
        )
    return "\n\n".join(blocks)


def format_history(turns: Iterable[Turn], *, max_chars_per_turn: int = 600) -> str:
    """Render earlier turns as plain data lines, each question and answer cut to ``max_chars_per_turn``."""
    lines = []
    for turn in turns:
        lines.append(f"User: {_clip(turn.question, max_chars_per_turn)}")
        lines.append(f"Bot: {_clip(turn.answer, max_chars_per_turn)}")
    return neutralise_blocks("\n".join(lines)) if lines else "(none)"


def format_failures(failures: Mapping[str, str]) -> str:
    """One bullet per failing figure: ``- "figure" in: sentence``."""
    return "\n".join(f'- "{figure}" in: {neutralise_blocks(where)}' for figure, where in failures.items())


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
