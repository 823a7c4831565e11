"""The public Python API: load documents, scan them, derive them, and take flat rows out.

Four functions, re-exported as ``reuse.load``, ``reuse.scan``, ``reuse.derive`` and ``reuse.rows``.
Each accepts documents in any of the forms a user holds them in, and refuses a form it cannot read
with a :class:`reuse.errors.InputError` that says what to pass instead:

* a path (``str`` or :class:`os.PathLike`) of a directory (every ``*.txt`` below it), a ``.txt`` or
  ``.html`` file, a ``.jsonl`` or ``.csv`` file;
* a sequence of such paths;
* a mapping ``{id: text}``;
* a sequence of :class:`reuse.io.Document` (from :func:`load`, passed through unchanged).

A string is always a path: a text is passed as ``{id: text}``.  Results are frozen dataclasses
(:class:`reuse.pipeline.ScanResult`, :class:`reuse.derive.DeriveResult`); :func:`rows` turns them into
lists of flat dicts, one per row of a table, for ``pandas.DataFrame`` or ``csv.DictWriter``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Union

from reuse.config import DeriveConfig, LexiconConfig, LoadConfig, ScanConfig
from reuse.errors import InputError
from reuse.io import Document, display_path, documents_from_texts, load_paths
from reuse.pipeline import DEFAULT_SCAN, Progress, ScanResult
from reuse.pipeline import scan as scan_documents
from reuse.report import derive_rows, scan_rows

if TYPE_CHECKING:
    from reuse.derive import DeriveResult

#: What :func:`load`, :func:`scan` and :func:`derive` accept as documents.
Source = Union[str, "os.PathLike[str]", Mapping[str, str], Iterable[Union[Document, str, "os.PathLike[str]"]]]

DEFAULT_LOAD = LoadConfig()
DEFAULT_DERIVE = DeriveConfig()
DEFAULT_LEXICON = LexiconConfig()

_TEXT_HINT = "to analyse texts rather than files, pass a mapping {id: text}, e.g. {'a': text_a, 'b': text_b}"


def _missing(path: str | os.PathLike[str], what: str) -> InputError:
    shown = display_path(os.fspath(path))
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return InputError(f"{what}{shown!r} is not an existing file or directory; {_TEXT_HINT}")


def load(source: Source, config: LoadConfig = DEFAULT_LOAD) -> list[Document]:
    """Load documents from paths, a path, or ``{id: text}``.

    Every input record becomes one :class:`~reuse.io.Document`, in input order; one that cannot be
    read is kept with ``status="error"`` and a ``reason`` (``empty``, ``binary``, ``duplicate id``, ...).

    Parameters
    ----------
    source : path, sequence of paths, mapping of id to text, or sequence of Document
        A directory (every ``*.txt`` below it; the id is the path relative to it without ``.txt``),
        a ``.txt``/``.html`` file, a ``.jsonl`` file (``id``, ``text``, optional ``date``, ``title``,
        ``source``), a ``.csv`` file with a ``text`` column; several of these; or ``{id: text}``.
    config : LoadConfig
        Size limits and binary detection.

    Returns
    -------
    list of Document

    Raises
    ------
    InputError
        A path does not exist, a directory holds no texts, a CSV has no ``text`` column, or
        ``source`` is of a kind that holds no documents (a bare text, bytes, numbers).

    Examples
    --------
    >>> import reuse
    >>> docs = reuse.load({"a": "Titel\\n\\nEin Satz.", "b": ""})
    >>> [(d.id, d.status, d.reason) for d in docs]
    [('a', 'ok', ''), ('b', 'error', 'empty: the text has no content')]
    """
    if isinstance(source, (bytes, bytearray)):
        raise InputError(f"expected paths or a mapping {{id: text}}, not bytes; decode them and {_TEXT_HINT}")
    if isinstance(source, Mapping):
        bad = next((k for k, v in source.items() if not isinstance(v, str)), None)
        if bad is not None:
            raise InputError(f"the mapping's values must be texts (str); the value of {bad!r} is a {type(source[bad]).__name__}")
        return documents_from_texts(source, config)
    if isinstance(source, (str, os.PathLike)):
        items: list[object] = [source]
    elif isinstance(source, Iterable):
        items = list(source)
    else:
        raise InputError(f"expected paths, a mapping {{id: text}} or Documents, not {type(source).__name__}")
    if items and all(isinstance(x, Document) for x in items):
        return list(items)  # type: ignore[arg-type]
    wrong = next((x for x in items if not isinstance(x, (str, os.PathLike))), None)
    if wrong is not None:
        kind = "a Document among paths" if isinstance(wrong, Document) else f"a {type(wrong).__name__}"
        raise InputError(f"expected paths (or only Documents, or a mapping {{id: text}}), got {kind}")
    for path in items:
        if os.fspath(path) != "-" and not os.path.lexists(path):  # type: ignore[arg-type]
            raise _missing(path, "")  # type: ignore[arg-type]
    return load_paths([os.fspath(p) for p in items], config)  # type: ignore[arg-type]


def _nonempty(docs: list[Document], verb: str) -> list[Document]:
    if not docs:
        raise InputError(f"nothing to {verb}: pass paths, a mapping {{id: text}} or Documents")
    return docs


def scan(documents: Source, config: ScanConfig = DEFAULT_SCAN, *, progress: Progress | None = None) -> ScanResult:
    """Find the reused texts among documents: reprint clusters, families, and (on request) pair rows.

    Parameters
    ----------
    documents : path, sequence of paths, mapping of id to text, or sequence of Document
        As for :func:`load` (loaded with ``config.load``).
    config : ScanConfig
        Every model constant of the scan; ``ScanConfig(pairs=True)`` also lists pair rows.
    progress : callable, optional
        Called as ``progress(stage, done, total)``.

    Returns
    -------
    ScanResult
        ``documents`` (every input, in order), ``clusters``, ``families``, ``pairs``.

    Raises
    ------
    InputError
        As :func:`load`, or when there are no documents, or two analysable documents share an id.

    Examples
    --------
    >>> import reuse
    >>> shared = "Die Regierung legte am Montag einen Plan mit 28 Punkten vor, der nach Angaben aus Washington seit Wochen verhandelt wurde."
    >>> result = reuse.scan({"a": "Bericht A\\n\\n" + shared, "b": "Bericht B\\n\\nWie es hieß: " + shared})
    >>> [(c.kind, c.size, c.words) for c in result.clusters]
    [('syndication', 2, 20)]
    """
    docs = _nonempty(load(documents, config.load), "scan")
    return scan_documents(docs, config, progress=progress)


def _original(original: Document | str | os.PathLike[str] | Mapping[str, str], config: LoadConfig) -> Document:
    """The original as one analysable document."""
    if isinstance(original, Document):
        return original
    if isinstance(original, Mapping):
        if len(original) != 1:
            raise InputError(f"the original must be one text, as {{id: text}}; the mapping holds {len(original)}")
        (doc,) = load(original, config)
    elif isinstance(original, (str, os.PathLike)):
        if not os.path.lexists(original):
            raise _missing(original, "the original ")
        found = load_paths([os.fspath(original)], config)
        if len(found) != 1:
            raise InputError(f"the original {display_path(os.fspath(original))} holds {len(found)} documents; give one text file")
        doc = found[0]
    else:
        raise InputError(f"the original must be a path, a Document or {{id: text}}, not {type(original).__name__}")
    if not doc.ok:
        raise InputError(f"the original {doc.origin or doc.id} cannot be used ({doc.reason})")
    return doc


def derive(
    documents: Source,
    *,
    original: Document | str | os.PathLike[str] | Mapping[str, str] | None = None,
    source_name: str | None = None,
    config: DeriveConfig = DEFAULT_DERIVE,
    scan_config: ScanConfig = DEFAULT_SCAN,
    lexicon_config: LexiconConfig = DEFAULT_LEXICON,
) -> DeriveResult:
    """Explain how reports derive from an original: derived or not, class, departure, drift, credit.

    The arguments select the mode: with ``original`` every report is compared with it (in its own
    language, or through a bilingual lexicon); with ``source_name`` alone the original is *latent*
    (the reports that credit it stand in for it); with neither, each report's likely parent within
    its scan family is named.

    Parameters
    ----------
    documents : path, sequence of paths, mapping of id to text, or sequence of Document
        The reports, as for :func:`load` (loaded with ``scan_config.load``).
    original : path, Document or ``{id: text}``, optional
        The original text (one document).
    source_name : str, optional
        The upstream source as the reports credit it (``"Axios"``): detects attribution; alone it
        selects the latent mode.
    config : DeriveConfig
        Every constant of the derivation model.
    scan_config : ScanConfig
        The scan front end (loading, boilerplate) and, in families mode, the scan.
    lexicon_config : LexiconConfig
        Where the bilingual lexicons are.

    Returns
    -------
    DeriveResult
        ``source`` (the mode and what stands for the original), one ``Derivation`` per input
        document, and ``notes`` (report languages no lexicon covers).

    Raises
    ------
    InputError
        As :func:`load`; an original that is missing, empty or several documents; a source name
        without a letter or digit.
    LexiconError
        Every report is in another language than the original and no lexicon relates them (the
        message names the package that installs it).

    Examples
    --------
    >>> import reuse
    >>> result = reuse.derive("seeds", source_name="Axios")
    >>> [(d.id[:3], d.cls, d.attributed) for d in result.documents]
    [('000', 'wholly', True), ('001', 'partially', True), ('002', 'partially', False), ('003', 'partially', True), ('004', 'non', False)]
    """
    from reuse.derive import derive as derive_documents

    docs = _nonempty(load(documents, scan_config.load), "derive")
    source = None if original is None else _original(original, scan_config.load)
    return derive_documents(docs, original=source, source_name=source_name, config=config, scan_config=scan_config,
                            lexicon_config=lexicon_config)


def rows(result: ScanResult | DeriveResult, table: str = "documents") -> list[dict[str, object]]:
    """One flat dict per row of a result's table (str, int, float, bool or None values).

    Ready for ``pandas.DataFrame(rows)``, ``csv.DictWriter`` or ``sqlite_utils``.  Tables of a
    :class:`~reuse.pipeline.ScanResult`: ``documents``, ``clusters``, ``members``, ``families``,
    ``pairs`` (empty unless scanned with ``ScanConfig(pairs=True)``).  Tables of a
    :class:`~reuse.derive.DeriveResult`: ``documents``, ``evidence``, ``drift``, ``attribution``.
    Documents join the other tables on ``id``, members join clusters on ``cluster``.

    Parameters
    ----------
    result : ScanResult or DeriveResult
    table : str
        Which table (default ``documents``).

    Returns
    -------
    list of dict

    Raises
    ------
    InputError
        ``table`` is not a table of this result (the message lists them).

    Examples
    --------
    >>> import reuse
    >>> result = reuse.scan("seeds")
    >>> reuse.rows(result, "members")[0].keys()
    dict_keys(['cluster', 'kind', 'id', 'start', 'end', 'words', 'similarity', 'representative'])
    """
    if isinstance(result, ScanResult):
        return scan_rows(result, table)
    from reuse.derive import DeriveResult

    if isinstance(result, DeriveResult):
        return derive_rows(result, table)
    raise InputError(f"rows expects a ScanResult or DeriveResult (from reuse.scan or reuse.derive), not {type(result).__name__}")


__all__ = ["Source", "derive", "load", "rows", "scan"]
