"""One error hierarchy for everything a user can get wrong.

The CLI turns these into one-line ``click.ClickException`` messages; library
callers catch :class:`ReuseError`.
"""

from __future__ import annotations


class ReuseError(Exception):
    """Base class for errors caused by input or configuration, not by a bug."""


class InputError(ReuseError):
    """An input path, file or record cannot be used at all (not a per-document problem)."""


class ConfigError(ReuseError):
    """A configuration value is out of range; the message names the field and the fix."""


class LexiconError(ReuseError):
    """A bilingual lexicon is missing or unreadable; the message names the package that installs it."""


class InteropError(ReuseError):
    """Signatures made with another seed, size or scheme were mixed."""


class SchedulerError(ReuseError):
    """A Dask scheduler cannot be reached, or its workers cannot share the scan's work directory."""
