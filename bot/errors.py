"""Named exceptions of the answering side.

PolicybotError (index.errors)
 ├── DocumentError, IndexError_ and its children (index.errors)
 ├── ConfigError            a setting is missing or invalid
 └── AnswerBackendError     the answer backend failed (unreachable, timeout, bad output, bad key)
"""

from __future__ import annotations

from index.errors import (
    DocumentError,
    IndexCorruptError,
    IndexError_,
    IndexMissingError,
    IndexModelMismatchError,
    PolicybotError,
)


class ConfigError(PolicybotError):
    """A setting is missing or invalid."""


class AnswerBackendError(PolicybotError):
    """The answer backend could not produce an answer."""


__all__ = [
    "AnswerBackendError",
    "ConfigError",
    "DocumentError",
    "IndexCorruptError",
    "IndexError_",
    "IndexMissingError",
    "IndexModelMismatchError",
    "PolicybotError",
]
