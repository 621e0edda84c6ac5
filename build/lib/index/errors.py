"""Named exceptions of the corpus side.

PolicybotError
 ├── DocumentError          a document could not be read, fetched or cleaned
 └── IndexUnavailableError            base of index problems
      ├── IndexMissingError       no index has been built in the data directory
      ├── IndexModelMismatchError the index was built with another embedding model
      └── IndexCorruptError       a file of the index is truncated or altered
"""

from __future__ import annotations


class PolicybotError(Exception):
    """Base of every error policybot reports to a person in one line."""


class DocumentError(PolicybotError):
    """A document could not be loaded; the message says which and why."""


class IndexUnavailableError(PolicybotError):
    """Base of index problems."""


class IndexMissingError(IndexUnavailableError):
    """No index has been built in the data directory."""


class IndexModelMismatchError(IndexUnavailableError):
    """The index on disk was built with a different embedding model."""


class IndexCorruptError(IndexUnavailableError):
    """A file of the index is missing, truncated or altered."""
