"""reuse: find reused passages across a corpus and explain how reports derive from a source.

The public API (see the docs' "Python API" page)::

    import reuse
    docs = reuse.load("seeds")                      # paths, a path, or {id: text}
    result = reuse.scan(docs)                       # reprint clusters, families
    derived = reuse.derive(docs, source_name="Axios")
    reuse.rows(result, "clusters")                  # flat dicts, e.g. for pandas.DataFrame
"""

from __future__ import annotations

__version__ = "0.1.0"

# The submodule reuse.derive is imported before the function of the same name is bound below: a
# submodule imported for the first time later would replace the package attribute ``reuse.derive``.
# (Import the module's own names with ``from reuse.derive import ...``.)
from reuse import derive as _derive_module  # noqa: F401

# isort: split
from reuse.api import derive, load, rows, scan
from reuse.cluster import Cluster, Family, Member, Origin, Passage
from reuse.config import AnchorConfig, ClusterConfig, DeriveConfig, LexiconConfig, LoadConfig, ScanConfig, SketchConfig
from reuse.derive import Credit, Derivation, DeriveResult
from reuse.drift import Drift
from reuse.errors import ConfigError, InputError, LexiconError, ReuseError
from reuse.io import Document, load_paths
from reuse.pipeline import DocumentSummary, ScanResult
from reuse.scoring import Components, Evidence

__all__ = [
    "AnchorConfig",
    "Cluster",
    "ClusterConfig",
    "Components",
    "ConfigError",
    "Credit",
    "Derivation",
    "DeriveConfig",
    "DeriveResult",
    "Document",
    "DocumentSummary",
    "Drift",
    "Evidence",
    "Family",
    "InputError",
    "LexiconConfig",
    "LexiconError",
    "LoadConfig",
    "Member",
    "Origin",
    "Passage",
    "ReuseError",
    "ScanConfig",
    "ScanResult",
    "SketchConfig",
    "__version__",
    "derive",
    "load",
    "load_paths",
    "rows",
    "scan",
]
