"""reuse: find reused passages across a corpus and explain how reports derive from a source."""

from __future__ import annotations

__version__ = "0.1.0"

from reuse.config import ScanConfig
from reuse.errors import ConfigError, InputError, ReuseError
from reuse.io import Document, load_paths
from reuse.pipeline import ScanResult, scan

__all__ = [
    "ConfigError",
    "Document",
    "InputError",
    "ReuseError",
    "ScanConfig",
    "ScanResult",
    "__version__",
    "load_paths",
    "scan",
]
