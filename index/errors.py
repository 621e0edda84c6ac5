"""Named exceptions of the corpus side.

PolicybotError
 ├── DocumentError          a document could not be read, fetched or cleaned
 └── IndexError_            base of index problems
      ├── IndexMissingError       no index has been built in the data directory
      ├── IndexModelMismatchError the index was built with another embedding model
      └── IndexCorruptError       a file of the index is truncated or altered
"""

from __future__ import annotations


class PolicybotError(Exception):
    """Base of every error policybot reports to a person in one line."""


class DocumentError(PolicybotError):
    """A document could not be loaded; the message says which and why."""


class IndexError_(PolicybotError):  # noqa: N801 - avoid shadowing the builtin IndexError
    """Base of index problems."""


class IndexMissingError(IndexError_):
    """No index has been built in the data directory."""


class IndexModelMismatchError(IndexError_):
    """The index on disk was built with a different embedding model."""


class IndexCorruptError(IndexError_):
    """A file of the index is missing, truncated or altered."""
