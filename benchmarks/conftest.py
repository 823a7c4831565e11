"""Benchmark fixtures: planted corpora by size, cached on disk between runs.

The default size is ``tiny`` (200 documents) so that the default test run (and
CI with ``--benchmark-disable``) stays a quick smoke test.  Bigger sizes are
opt-in: ``pytest benchmarks --scale 2k,20k`` (``100k`` too).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.planted import Planted, PlantedConfig, read_truth, write

SCALES = {"tiny": 200, "2k": 2000, "10k": 10000, "20k": 20000, "100k": 100000}
#: Pool size of the background variant (``SIZE-bg``, e.g. ``20k-bg``): background sentences recurring,
#: reworded, in a third of the documents (``benchmarks.planted.PlantedConfig.background_sentences``).
BACKGROUND_POOL = 300


def scale(name: str) -> tuple[int, int]:
    """Documents and background pool of a size name (``20k``, ``20k-bg``)."""
    size, _, kind = name.partition("-")
    if size not in SCALES or kind not in ("", "bg"):
        raise KeyError(name)
    return SCALES[size], BACKGROUND_POOL if kind else 0


def pytest_configure(config: pytest.Config) -> None:
    # CI (.ci/run exports CI=1) runs the benchmarks as smoke tests: each once, untimed, as --benchmark-disable does
    if os.environ.get("CI") and str(config.getoption("--scale")) == "tiny" and not config.getoption("benchmark_enable", default=False):
        config.option.benchmark_disable = True


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--scale", default="tiny",
        help=f"comma-separated corpus sizes for the benchmarks: {', '.join(SCALES)}, each also as SIZE-bg for the background variant "
        "(default tiny: a smoke test)",
    )


@dataclass(frozen=True)
class Corpus:
    """A planted corpus on disk and in memory."""

    name: str
    path: Path
    records: list[dict[str, str]]
    truth: list[Planted]

    @property
    def size(self) -> int:
        return len(self.records)

    @property
    def texts(self) -> list[str]:
        return [r["text"] for r in self.records]

    @property
    def chars(self) -> int:
        return sum(len(r["text"]) for r in self.records)

    @property
    def chars_utf8(self) -> int:
        """Bytes of the texts in UTF-8 (the corpus's text size, which memory is measured against)."""
        return sum(len(r["text"].encode("utf-8")) for r in self.records)


def _sizes(config: pytest.Config) -> list[str]:
    names = [s.strip() for s in str(config.getoption("--scale")).split(",") if s.strip()]
    bad = []
    for name in names:
        try:
            scale(name)
        except KeyError:
            bad.append(name)
    if bad:
        raise pytest.UsageError(f"--scale: unknown size {bad}; choose from {', '.join(SCALES)}, each also as SIZE-bg (background variant)")
    return names


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "corpus" in metafunc.fixturenames:
        metafunc.parametrize("corpus", _sizes(metafunc.config), indirect=True, scope="session")


_LOADED: dict[str, Corpus] = {}


@pytest.fixture(scope="session")
def corpus(request: pytest.FixtureRequest) -> Corpus:
    """The planted corpus of the size this test is parametrised with (generated once, then read from the cache)."""
    name = request.param
    if name in _LOADED:
        return _LOADED[name]
    for other in list(_LOADED):  # keep one size in memory at a time
        del _LOADED[other]
    n, pool = scale(name)
    key = f"planted-{n}-{PlantedConfig.seed}-bg{pool}"
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    folder = Path(cache.mkdir(key)) if cache is not None else request.getfixturevalue("tmp_path_factory").mktemp(key)
    path, truth_path = folder / "corpus.jsonl", folder / "truth.jsonl"
    if not (path.exists() and truth_path.exists()):
        write(folder, PlantedConfig(docs=n, background_sentences=pool))
    with path.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    _LOADED[name] = Corpus(name=name, path=path, records=records, truth=read_truth(truth_path))
    return _LOADED[name]


@pytest.fixture(scope="session")
def full_run(request: pytest.FixtureRequest) -> bool:
    """True when timings are taken (not ``--benchmark-disable``): then peak memory is measured too."""
    return not request.config.getoption("benchmark_disable", default=False)
