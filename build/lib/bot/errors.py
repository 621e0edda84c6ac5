"""Named exceptions of the answering side.

PolicybotError (index.errors)
 ├── DocumentError, IndexUnavailableError and its children (index.errors)
 ├── ConfigError            a setting is missing or invalid
 ├── BadQuestionError       the message is not a usable question
 └── AnswerBackendError     the answer backend failed (unreachable, timeout, bad output, bad key)
"""

from __future__ import annotations

from index.errors import (
    DocumentError,
    IndexCorruptError,
    IndexMissingError,
    IndexModelMismatchError,
    IndexUnavailableError,
    PolicybotError,
)


class ConfigError(PolicybotError):
    """A setting is missing or invalid."""


class AnswerBackendError(PolicybotError):
    """The answer backend could not produce an answer."""


class BadQuestionError(PolicybotError):
    """The message is not a question the bot can work with (empty, only symbols, ...)."""


__all__ = [
    "AnswerBackendError",
    "BadQuestionError",
    "ConfigError",
    "DocumentError",
    "IndexCorruptError",
    "IndexMissingError",
    "IndexModelMismatchError",
    "IndexUnavailableError",
    "PolicybotError",
]
