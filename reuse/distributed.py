"""The scan on a Dask cluster: the same stages over partitions, and the same result, byte for byte.

:func:`scan_dask` runs the stage functions of :mod:`reuse.pipeline` (as :mod:`reuse.stream`
composes them out of core) as Dask tasks over partitions of the input
(:mod:`reuse.partitions`).  Documents are numbered by id rank, as the local engines number
them, so no answer depends on the partitioning, the number of workers or the order in which
tasks finish.

1. **survey** (a task per input partition): read the documents; return their ids, origins and
   status, and the partition's counts of candidate template lines, summed by a Dask groupby
   (hash-partitioned: no worker holds every line of the corpus).
2. **on the client**: repeated ids (the first in input order keeps its id, as
   :func:`reuse.io.dedupe_ids` decides), every analysable document's id rank, the corpus's
   template lines (:func:`reuse.clean.select_templates`).  The client holds a small record per
   document (id, origin, status) and, for the report, its summary.
3. **front** (a task per input partition): read again; clean, tokenise, detect the language
   (:func:`reuse.engine.front`), shingle, sign the windows and pack their LSH band keys
   (:func:`reuse.lsh.pack_bands`), or list the shingle postings for the exact search; spill the
   texts and tokens to the shared work directory (:mod:`reuse.shards`); return the documents'
   summaries, the carriers (id, date, source, words) and a DataFrame of band entries.
4. **shuffle on band keys** (``dask.dataframe``, peer to peer): every bucket of a band lands in
   one partition, where each member is paired with the bucket's first document
   (:func:`reuse.lsh.band_pairs`, or :func:`reuse.similarity.posting_stars` per shingle), exactly
   as the local engines pair them.
5. **shuffle on the pairs' first document**: a partition holds every copy of its pairs (a pair
   found in several bands), so it deduplicates them, verifies them exactly
   (:func:`reuse.similarity.verify`) and aligns them (:func:`reuse.pipeline.align_pairs`), reading
   the tokens of its documents from the shards.
6. **clusters** (one task): the aligned spans, a few per reused passage, are gathered in the local
   engine's order and grouped into reprint clusters and families (:func:`reuse.pipeline.finish`),
   reading tokens and texts from the shards.  Spans are small (about 200 bytes each) and grow with
   the reuse found, not with the corpus's text (README, "Running on a cluster").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from reuse.align import Span
from reuse.clean import select_templates, template_counts
from reuse.cluster import Carrier
from reuse.config import CleanConfig, DaskConfig, LoadConfig, ScanConfig
from reuse.engine import default_jobs, front
from reuse.errors import InputError, SchedulerError
from reuse.io import Document, dedupe_ids
from reuse.lsh import band_pairs, doc_bits, optimal_bands, pack_bands
from reuse.minhash import Signer
from reuse.partitions import JsonlRange, Partition, lines_before, newlines, plan
from reuse.parts import jsonl_name, parquet_name, write_document_part
from reuse.pipeline import (
    DEFAULT_SCAN,
    DocumentSummary,
    ScanResult,
    _Timer,
    align_pairs,
    check_ids,
    exact_candidates,
    finish,
    verify_chunks,
)
from reuse.report import scan_dict
from reuse.shards import ShardReader, write_shard, write_where
from reuse.shingle import shingle_groups, split, unique_sets
from reuse.similarity import posting_stars

#: Spans between documents of id ranks ``a < b``: what alignment hands the cluster stage.
Aligned = tuple[int, list[tuple[int, int, Span]]]


# --------------------------------------------------------------------------- tasks (run on workers)


@dataclass(frozen=True)
class Survey:
    """What the client needs to know of one partition's documents before the front runs.

    ``counted`` marks the documents whose template lines the partition counted: analysable and
    the first of their id within the partition.
    """

    ids: tuple[str, ...]
    origins: tuple[str, ...]
    ok: tuple[bool, ...]
    counted: tuple[bool, ...]


def _line_frame(counts: Counter[str]) -> Any:
    import pandas as pd

    return pd.DataFrame({"line": pd.Series(list(counts), dtype=object), "n": np.fromiter(counts.values(), dtype=np.int64, count=len(counts))})


def survey(part: Partition, before: int, load: LoadConfig, clean: CleanConfig) -> tuple[Survey, Any]:
    """Ids, origins and status of a partition's documents, and its counts of candidate template lines (a DataFrame ``line, n``)."""
    docs = list(part.documents(load, before))
    seen: set[str] = set()
    counted = []
    for d in docs:
        counted.append(d.ok and d.id not in seen)
        seen.add(d.id)
    counts = template_counts([d for d, c in zip(docs, counted, strict=True) if c], clean)
    found = Survey(tuple(d.id for d in docs), tuple(d.origin for d in docs), tuple(d.ok for d in docs), tuple(counted))
    return found, _line_frame(counts)


def template_counts_at(part: Partition, before: int, positions: Sequence[int], load: LoadConfig, clean: CleanConfig) -> Counter[str]:
    """Template line counts of the documents at ``positions`` of a partition (to take back those of repeated ids)."""
    wanted = set(positions)
    return template_counts([d for k, d in enumerate(part.documents(load, before)) if k in wanted], clean)


def _dedupe(docs: Iterable[Document], earlier: dict[str, str]) -> list[Document]:
    """The documents with repeated ids marked as :func:`reuse.io.dedupe_ids` marks them, ``earlier``
    holding the ids first used in an earlier partition (with the origin that used them)."""
    heads = [Document(id=name, text="", origin=origin) for name, origin in earlier.items()]
    return list(dedupe_ids(chain(heads, docs)))[len(heads) :]


@dataclass(frozen=True)
class CandidatePlan:
    """How candidate pairs are found, decided once for the corpus and handed to every task.

    Attributes
    ----------
    bits : int
        Low bits of a packed band entry that hold the document's rank (:func:`reuse.lsh.doc_bits`).
    exact : bool
        Shingle postings instead of LSH bands (:func:`reuse.pipeline.exact_candidates`).
    bands, rows : int
        LSH banding (:func:`reuse.lsh.optimal_bands`).
    pair_ranges : int
        Ranges of first-document ranks that pairs are grouped by before the second shuffle.
    n_docs : int
        Analysable documents.
    """

    bits: int
    exact: bool
    bands: int
    rows: int
    pair_ranges: int
    n_docs: int


class _Compact(NamedTuple):
    """A document's tokens as the shards store them (offsets as uint32)."""

    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray


def _entry_meta(exact: bool) -> Any:
    import pandas as pd

    aux = np.uint32 if exact else np.uint8
    return pd.DataFrame({"key": np.empty(0, np.uint64), "aux": np.empty(0, aux), "dest": np.empty(0, np.uint16)})


def _entry_frame(key: np.ndarray, aux: np.ndarray) -> Any:
    import pandas as pd

    # the top 16 key bits choose the shuffle partition: a bucket's entries share their key
    return pd.DataFrame({"key": key, "aux": aux, "dest": (key >> np.uint64(48)).astype(np.uint16)}, copy=False)


def front_partition(
    part: Partition, before: int, index: int, earlier: dict[str, str], ranks: np.ndarray, templates: frozenset[str],
    how: CandidatePlan, config: ScanConfig, root: str, document_parts: tuple[str, str] | None = None,
) -> tuple[tuple[DocumentSummary, ...], Any]:
    """Clean, tokenise, shingle and sign one partition; spill its texts, tokens and carriers; return its summaries and band entries.

    With ``document_parts`` (a directory and ``jsonl`` or ``parquet``) the summaries are written there as the
    partition's part of the report (:func:`reuse.parts.write_document_part`) and none are returned.

    ``ranks`` are the id ranks of the partition's analysable documents, in partition order.
    Entries are LSH band entries (``key``: packed key and rank, ``aux``: band) or, for the
    exact search, shingle postings (``key``: shingle hash, ``aux``: rank).
    """
    docs = _dedupe(part.documents(config.load, before), earlier)
    sk = config.sketch
    signer = Signer(sk.num_perm, sk.seed)
    summaries: list[DocumentSummary] = []
    carriers: list[Carrier] = []
    texts: list[str] = []
    tokens = []
    keys: list[np.ndarray] = []
    auxes: list[np.ndarray] = []
    done = 0
    for lo in range(0, len(docs), config.batch_docs):
        batch = docs[lo : lo + config.batch_docs]
        found = front(batch, config.clean, 1, config.batch_docs, templates=templates)
        toks = []
        for d, (clean, t, lang) in zip(batch, found, strict=True):
            summaries.append(DocumentSummary.of(d, clean.title, clean.boilerplate, lang, len(d.text)))
            if t is not None:
                # offsets as uint32 while the partition's tokens wait for the shard: 16 bytes a token, not 24
                toks.append(_Compact(t.ids, t.starts.astype(np.uint32), t.ends.astype(np.uint32)))
                texts.append(d.text)
                carriers.append(Carrier(id=d.id, date=d.date, source=d.source, words=len(t.ids)))
        tokens.extend(toks)
        rank = np.asarray(ranks[done : done + len(toks)], dtype=np.int64)
        if len(rank) != len(toks):
            raise RuntimeError(f"partition {index}: {len(toks)} analysable documents, the survey counted {len(rank)}")
        done += len(toks)
        flat, offsets = shingle_groups([t.ids for t in toks], sk.shingle_size)
        if how.exact:
            uniq, uoffsets = unique_sets(flat, offsets)
            keys.append(uniq)
            auxes.append(np.repeat(rank, np.diff(uoffsets)).astype(np.uint32))
        else:
            sigs = signer.sign_windows(flat, offsets, sk.window_tokens, sk.window_stride)
            entries = pack_bands(replace(sigs, doc=rank[sigs.doc]), how.bands, how.rows, how.bits)
            keys.append(entries.ravel())
            auxes.append(np.repeat(np.arange(how.bands, dtype=np.uint8), entries.shape[1]))
    if done != len(ranks):
        raise RuntimeError(f"partition {index}: {done} analysable documents, the survey counted {len(ranks)}")
    write_shard(root, index, texts, tokens, carriers)
    if document_parts is not None:
        write_document_part(summaries, document_parts[0], document_parts[1], index)
        summaries = []
    meta = _entry_meta(how.exact)
    key = np.concatenate(keys) if keys else meta["key"].to_numpy()
    aux = np.concatenate(auxes) if auxes else meta["aux"].to_numpy()
    return tuple(summaries), _entry_frame(key, aux.astype(meta["aux"].dtype))


def _pair_meta() -> Any:
    import pandas as pd

    return pd.DataFrame({"pair": np.empty(0, np.uint64), "dest": np.empty(0, np.uint32)})


def star_pairs(frame: Any, how: CandidatePlan) -> Any:
    """The star pairs of one shuffle partition's buckets, packed ``a << 32 | b`` (``dest``: the range of ``a``)."""
    import pandas as pd

    key = frame["key"].to_numpy()
    aux = frame["aux"].to_numpy()
    if how.exact:
        packed = posting_stars(key, aux.astype(np.int64))
    else:
        # a band at a time (a copy of its entries: band_pairs sorts them in place); no index over all rows
        found = [band_pairs(key[aux == band], how.bits) for band in np.unique(aux).tolist()]
        packed = np.unique(np.concatenate(found)) if found else np.empty(0, np.uint64)
    a = (packed >> np.uint64(32)).astype(np.int64)
    dest = (a * how.pair_ranges // max(how.n_docs, 1)).astype(np.uint32)
    return pd.DataFrame({"pair": packed, "dest": dest})


def _shard_sets(reader: ShardReader, config: ScanConfig) -> Callable[[list[int]], list[np.ndarray]]:
    """Shingle sets of documents read from the shards (ranks), for :func:`reuse.pipeline.verify_chunks`."""

    def sets_of(ks: list[int]) -> list[np.ndarray]:
        flat, offsets = shingle_groups([reader.tokens(k).ids for k in ks], config.sketch.shingle_size)
        return split(*unique_sets(flat, offsets))

    return sets_of


def verify_align(frame: Any, root: str, config: ScanConfig) -> Aligned:
    """Deduplicate, verify and align one partition of candidate pairs; returns the number of pairs and the spans, in pair order."""
    packed = np.unique(frame["pair"].to_numpy())
    pairs = np.stack([(packed >> np.uint64(32)).astype(np.int64), (packed & np.uint64(0xFFFFFFFF)).astype(np.int64)], axis=1)
    with ShardReader(root) as reader:
        kept = verify_chunks(pairs, _shard_sets(reader, config), config)
        spans = align_pairs(kept, reader.tokens, config, step=max(1, config.batch_docs))
    return len(pairs), spans


class LazyCarriers(Sequence[Carrier]):
    """The carriers of the ``n`` analysed documents by id rank, read from the shards when first asked for.

    The cluster stage asks for those of the documents its spans name (and for ``len``), so the
    task holds O(documents with reuse), not O(corpus); only pair rows read them all.
    """

    def __init__(self, n: int, reader: ShardReader) -> None:
        self.n = n
        self.reader = reader
        self.known: dict[int, Carrier] = {}

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, rank: int) -> Carrier:  # type: ignore[override]
        if not 0 <= rank < self.n:
            raise IndexError(rank)
        found = self.known.get(rank)
        if found is None:
            found = self.known[rank] = self.reader.carrier(rank)
        return found


def clusters_task(n: int, aligned: Sequence[Aligned], root: str, config: ScanConfig) -> ScanResult:
    """Reprint clusters, families and pair rows from every partition's spans (:func:`reuse.pipeline.finish`); no documents."""
    spans = [s for _, found in aligned for s in found]
    spans.sort(key=lambda s: (s[0], s[1]))  # the local engine's order: by pair, a pair's spans as aligned (stable)
    with ShardReader(root) as reader:
        text = lru_cache(maxsize=256)(reader.text)
        return finish((), LazyCarriers(n, reader), spans, reader.tokens, text, config, _Timer(), sum(n for n, _ in aligned))


def _make_workdir(base: str | None) -> str:
    root = Path(base or tempfile.gettempdir()) / f"reuse-scan-{uuid.uuid4().hex[:12]}"
    root.mkdir(parents=True)
    return str(root)


# --------------------------------------------------------------------------- the client


@contextlib.contextmanager
def connect(address: str | None = None, workers: int | None = None, timeout: float = DaskConfig.connect_timeout, dashboard: bool = False) -> Iterator[Any]:
    """A Dask client: attached to the scheduler at ``address``, or to a :class:`distributed.LocalCluster`
    of ``workers`` single-threaded worker processes that starts and stops with it.

    Raises
    ------
    SchedulerError
        The scheduler cannot be reached within ``timeout`` seconds.
    """
    from distributed import Client, LocalCluster

    if address:
        _reachable(address, timeout)
        try:
            client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:  # refused, timed out, or not an address
            why = " ".join(str(exc).split()) or type(exc).__name__
            raise SchedulerError(f"cannot reach the Dask scheduler at {address} ({why[:200]})") from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(
        n_workers=workers or default_jobs(), threads_per_worker=1, processes=True,
        dashboard_address=":0" if dashboard else None, silence_logs=logging.ERROR,
    )
    try:
        with Client(cluster, set_as_default=False) as client:
            yield client
    finally:
        cluster.close()


def _reachable(address: str, timeout: float) -> None:
    """Fail at once, in one line, on an address that is not one or a port where nothing listens
    (Dask's client would retry until its timeout, then leave a half-made client behind)."""
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        host, port = parse_host_port(location)
    except ValueError as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: not a scheduler address ({exc}); e.g. tcp://10.0.0.5:8786") from None
    if scheme in ("tcp", "tls"):
        try:
            socket.create_connection((host, port), timeout=timeout).close()
        except OSError as exc:
            raise SchedulerError(f"cannot reach the Dask scheduler at {address} ({exc.strerror or exc})") from None

    async def handshake() -> None:
        from distributed.comm import connect as dask_connect

        comm = await dask_connect(address, timeout=timeout)
        await comm.close()

    try:
        asyncio.run(handshake())
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address} ({' '.join(str(exc).split())[:160]})") from None
    except Exception:  # whatever answers there garbles the handshake: it is no Dask scheduler
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: what answers there is not a Dask scheduler") from None


@contextlib.contextmanager
def _quiet_shuffles() -> Iterator[None]:
    """Dask's shuffle plugin logs every shuffle at WARNING level; a scan runs two."""
    logger = logging.getLogger("distributed.shuffle")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _run(client: Any, items: Sequence[Any], progress: bool) -> list[Any]:
    """Compute delayed objects on the cluster (Dask's progress bar on stderr when asked); futures, in order."""
    futures = client.compute(list(items))
    if progress and futures:
        from distributed import progress as dask_progress

        with contextlib.redirect_stdout(sys.stderr):  # the bar is drawn on stdout, where the report may go
            dask_progress(futures)
    return futures


@dataclass(frozen=True)
class _Corpus:
    """The client's view after the survey: per partition, its earlier-used ids and its documents' ranks."""

    earlier: list[dict[str, str]]
    ranks: list[np.ndarray]
    where: np.ndarray
    templates: frozenset[str]


def _decide(client: Any, parts: Sequence[Partition], before: Sequence[int], surveys: Sequence[Survey], lines: Any, config: ScanConfig) -> _Corpus:
    """Repeated ids, id ranks and template lines from the partitions' surveys."""
    seen: dict[str, tuple[str, int]] = {}
    earlier: list[dict[str, str]] = []
    analysable: list[list[int]] = []
    recount: dict[int, list[int]] = {}
    for p, s in enumerate(surveys):
        mine: dict[str, str] = {}
        ok = []
        for j, (name, origin) in enumerate(zip(s.ids, s.origins, strict=True)):
            first = seen.get(name)
            if first is None:
                seen[name] = (origin or name, p)
                if s.ok[j]:
                    ok.append(j)
                continue
            if first[1] < p:
                mine[name] = first[0]
                if s.counted[j]:  # counted by its partition, but it repeats an id of an earlier one
                    recount.setdefault(p, []).append(j)
        earlier.append(mine)
        analysable.append(ok)
    del seen
    counts = Counter(dict(zip(lines.index.tolist(), lines.tolist(), strict=True)))
    if recount:
        taken = client.gather([client.submit(template_counts_at, parts[p], before[p], js, config.load, config.clean, pure=False) for p, js in recount.items()])
        for c in taken:
            counts.subtract(c)
    n = sum(len(ok) for ok in analysable)
    templates = select_templates(counts, n, config.clean)
    located = [(surveys[p].ids[j], p, k) for p, ok in enumerate(analysable) for k, j in enumerate(ok)]
    located.sort(key=lambda x: x[0])
    check_ids([name for name, _, _ in located])
    where = np.array([p << 32 | k for _, p, k in located], dtype=np.int64)
    ranks = [np.empty(len(ok), dtype=np.int64) for ok in analysable]
    for r, (_, p, k) in enumerate(located):
        ranks[p][k] = r
    return _Corpus(earlier, ranks, where, templates)


def scan_dask(
    paths: Sequence[str], config: ScanConfig = DEFAULT_SCAN, dask: DaskConfig = DaskConfig(), *, client: Any = None,
    address: str | None = None, workdir: str | None = None, progress: bool = False, dashboard: Callable[[str], None] | None = None,
) -> ScanResult:
    """Scan ``paths`` on a Dask cluster; the result equals :func:`reuse.pipeline.scan` of the same documents.

    Parameters
    ----------
    paths : sequence of str
        JSONL (also ``.jsonl.gz``) or Parquet files, local or fsspec URLs; also directories of texts
        and ``.txt``/``.html``/``.csv`` files, each read whole by one worker (:mod:`reuse.partitions`).
    config : ScanConfig
        All model constants (``jobs``: worker processes of a local cluster; all cores when 1).
    dask : DaskConfig
        Partition sizes and the shuffle; the result does not depend on them.
    client : distributed.Client, optional
        Run on this client's cluster.
    address : str, optional
        Else attach to the scheduler at this address; else start a local cluster of ``config.jobs`` workers.
    workdir : str, optional
        Directory every worker shares for the spilled texts and tokens (default: the system's
        temporary directory, right for a cluster on one machine); a subdirectory is made and removed.
    progress : bool
        Draw Dask's progress bar on stderr.
    dashboard : callable, optional
        Called with the dashboard's address once connected.

    Returns
    -------
    ScanResult

    Raises
    ------
    InputError
        A path is missing or cannot be read as its kind.
    SchedulerError
        The scheduler cannot be reached, or the workers do not share ``workdir``.
    """
    return _connected(paths, config, dask, client, address, workdir, progress, dashboard, None)[0]


@dataclass(frozen=True)
class PartsWritten:
    """What :func:`scan_dask_parts` wrote: the counts a summary needs, the manifest, the result without document rows."""

    documents: int
    analysed: int
    manifest: dict[str, object]
    result: ScanResult


def scan_dask_parts(
    paths: Sequence[str], directory: str, fmt: str, config: ScanConfig = DEFAULT_SCAN, dask: DaskConfig = DaskConfig(), *,
    client: Any = None, address: str | None = None, workdir: str | None = None, progress: bool = False,
    dashboard: Callable[[str], None] | None = None,
) -> PartsWritten:
    """:func:`scan_dask`, its report written into ``directory`` as ``jsonl`` or ``parquet`` parts (:mod:`reuse.parts`).

    Each worker writes the document rows of its partitions, so the client holds no document's row,
    only its id and status (the rest of the report is written by the client).  ``directory`` must be
    new or empty, and on a filesystem the workers share.  Parameters as :func:`scan_dask`.
    """
    from reuse.parts import PART_FORMATS, prepare, write_parts

    if fmt not in PART_FORMATS:
        raise InputError(f"a report is written in parts as {' or '.join(PART_FORMATS)}, not {fmt!r}")
    out = prepare(directory)
    result, counts, analysed = _connected(paths, config, dask, client, address, workdir, progress, dashboard, (os.path.abspath(out), fmt))
    names = [parquet_name("documents", k) if fmt == "parquet" else jsonl_name("documents", k) for k, n in enumerate(counts) if n]
    manifest = write_parts(scan_dict(result), out, fmt, documents=names)
    return PartsWritten(documents=sum(counts), analysed=analysed, manifest=manifest, result=result)


def _connected(
    paths: Sequence[str], config: ScanConfig, dask: DaskConfig, client: Any, address: str | None, workdir: str | None, progress: bool,
    dashboard: Callable[[str], None] | None, document_parts: tuple[str, str] | None,
) -> tuple[ScanResult, list[int], int]:
    parts = plan(paths, dask.partition_bytes)
    if client is not None:
        return _scan(client, parts, config, dask, workdir, progress, dashboard, document_parts)
    with connect(address, config.jobs if config.jobs > 1 else None, dask.connect_timeout, dashboard is not None) as own:
        return _scan(own, parts, config, dask, workdir, progress, dashboard, document_parts)


def _scan(
    client: Any, parts: list[Partition], config: ScanConfig, dask: DaskConfig, workdir: str | None, progress: bool,
    dashboard: Callable[[str], None] | None, document_parts: tuple[str, str] | None,
) -> tuple[ScanResult, list[int], int]:
    if dashboard is not None:
        served = "dashboard" in client.scheduler_info().get("services", {})
        dashboard(client.dashboard_link if served else "none (the scheduler serves no dashboard: it needs the bokeh package)")
    root = client.submit(_make_workdir, workdir, pure=False).result()
    try:
        reach = client.run(os.path.isdir, root)
        if not all(reach.values()):
            missing = ", ".join(w for w, ok in reach.items() if not ok)
            raise SchedulerError(f"workers {missing} cannot see the work directory {root}; give one on a filesystem every worker shares")
        with _quiet_shuffles(), client.as_current():  # Dask's progress bar and wait() ask for the current client
            return _stages(client, parts, config, dask, root, progress, document_parts)
    finally:
        client.submit(shutil.rmtree, root, True, pure=False).result()


def _stages(
    client: Any, parts: list[Partition], config: ScanConfig, dask: DaskConfig, root: str, progress: bool, document_parts: tuple[str, str] | None,
) -> tuple[ScanResult, list[int], int]:
    """The stages; the result, each partition's number of documents, and the analysable documents.  With ``document_parts`` (a directory and
    a part format) the workers write the document rows there and the result holds none."""
    import dask.dataframe as dd
    import distributed
    from dask import delayed

    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    # the line numbers of JSONL ranges: each counts its line breaks (only ranges followed by another of their file)
    needed = [k for k, p in enumerate(parts) if isinstance(p, JsonlRange) and k + 1 < len(parts) and isinstance(parts[k + 1], JsonlRange)
              and parts[k + 1].start > 0]
    counts = [0] * len(parts)
    for k, c in zip(needed, client.gather(client.map(newlines, [parts[k] for k in needed], pure=False)), strict=True):
        counts[k] = c
    before = lines_before(parts, counts)
    shuffles = dask.shuffle_partitions or len(parts)
    method = dask.shuffle_method

    # 1. survey: ids and template line counts
    surveyed = [delayed(survey, nout=2, pure=True)(p, b, config.load, config.clean) for p, b in zip(parts, before, strict=True)]
    lines = dd.from_delayed([s[1] for s in surveyed], meta=_line_frame(Counter()), verify_meta=False)
    frequent = lines.groupby("line")["n"].sum(split_out=min(shuffles, 64), shuffle_method=method)
    frequent = frequent[frequent >= config.clean.corpus_line_min_docs]  # a template needs more: this keeps every one
    futures = _run(client, [*(s[0] for s in surveyed), *frequent.to_delayed()], progress)
    surveys: list[Survey] = client.gather(futures[: len(parts)])
    import pandas as pd

    line_parts = client.gather(futures[len(parts) :])
    del futures
    corpus = _decide(client, parts, before, surveys, pd.concat(line_parts) if line_parts else pd.Series(dtype=np.int64), config)
    seconds["survey"] = round(time.perf_counter() - t0, 6)

    # 2. front, the band-key shuffle, star pairs, the pair shuffle, verification and alignment
    t0 = time.perf_counter()
    n = len(corpus.where)
    sk = config.sketch
    bands, rows = optimal_bands(sk.threshold, sk.num_perm, sk.false_positive_weight, sk.false_negative_weight)
    how = CandidatePlan(bits=doc_bits(max(n, 1)), exact=exact_candidates(config, n), bands=bands, rows=rows, pair_ranges=8 * shuffles, n_docs=n)
    client.submit(write_where, root, corpus.where, pure=False).result()
    # a key of the graph, not scattered data: a worker that dies holding it loses nothing the graph cannot rebuild
    templates = delayed(corpus.templates, pure=True)
    fronts = [
        delayed(front_partition, nout=2, pure=True)(p, b, k, e, r, templates, how, config, root, document_parts)
        for k, (p, b, e, r) in enumerate(zip(parts, before, corpus.earlier, corpus.ranks, strict=True))
    ]
    entries = dd.from_delayed([f[1] for f in fronts], meta=_entry_meta(how.exact), verify_meta=False)
    pairs = entries.shuffle(on="dest", npartitions=shuffles, shuffle_method=method).map_partitions(star_pairs, how, meta=_pair_meta())
    grouped = pairs.shuffle(on="dest", npartitions=shuffles, shuffle_method=method)
    aligned = [delayed(verify_align, pure=True)(frame, root, config) for frame in grouped.to_delayed()]
    futures = _run(client, [*(f[0] for f in fronts), *aligned], progress)
    summaries = [s for part in client.gather(futures[: len(parts)]) for s in part]
    aligned_futures = futures[len(parts) :]
    distributed.wait(aligned_futures)
    seconds["front+pairs+align"] = round(time.perf_counter() - t0, 6)

    # 3. reprint clusters and families
    t0 = time.perf_counter()
    found = client.submit(clusters_task, n, aligned_futures, root, config, pure=False)
    if progress:
        from distributed import progress as dask_progress

        with contextlib.redirect_stdout(sys.stderr):
            dask_progress(found)
    result: ScanResult = found.result()
    del futures, aligned_futures, found
    seconds["cluster"] = round(time.perf_counter() - t0, 6)
    timings = {**seconds, **{f"cluster.{k}": v for k, v in result.timings.items()}}
    return replace(result, documents=tuple(summaries), timings=timings), [len(s.ids) for s in surveys], n


__all__ = ["CandidatePlan", "PartsWritten", "Survey", "clusters_task", "connect", "front_partition", "scan_dask", "scan_dask_parts", "star_pairs", "survey",
           "verify_align"]
