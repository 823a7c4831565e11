"""Shared fixtures: the seeds, tiny named corpora and a planted-reuse mini corpus with known truth.

The planted corpus is built in code from a fixed ``random.Random`` seed, so every
run sees the same documents and the truth (which pairs share which passage) is
known exactly without reading any answer from a file.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from reuse.io import Document, documents_from_texts, load_paths

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (``"000"`` .. ``"004"``)."""
    (path,) = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    return path


def seed_text(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


#: The numba kernel factories (``module: functions``); each returns a dispatcher, or None when numba is missing.
KERNEL_FACTORIES = {
    "reuse.text": ("_batch_kernel", "nrt_empty", "_stopword_kernel"),
    "reuse.shingle": ("_shingle_kernel", "_unique_kernel"),
    "reuse.minhash": ("_window_kernel",),
    "reuse.lsh": ("_pack_kernel", "_star_kernel"),
    "reuse.similarity": ("_intersect_kernel",),
    "reuse.align": ("_kernels",),
}


@pytest.fixture(scope="session")
def compiled() -> None:
    """Use in every test that compares a compiled kernel with its numpy/Python reference.

    Without numba, ``compiled=True`` falls back to the reference path, and such a test would
    compare the reference with itself and pass whatever the kernels do: it fails instead.
    """
    import importlib

    missing = [f"{module}.{name}" for module, names in KERNEL_FACTORIES.items() for name in names
               if getattr(importlib.import_module(module), name)() is None]
    if missing:
        pytest.fail(f"compiled kernels unavailable ({', '.join(missing)}): numba cannot be imported, so this test would compare "
                    "the reference path with itself; pip install numba")


@pytest.fixture(scope="session")
def seed_file():
    """``seed_file("000")`` is the path of that seed (tests import nothing from conftest)."""
    return seed_path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_docs() -> list[Document]:
    return load_paths([str(SEEDS)])


@pytest.fixture(scope="session")
def seed_ids(seed_docs: list[Document]) -> dict[str, str]:
    """Seed id by its three-digit prefix."""
    return {d.id[:3]: d.id for d in seed_docs}


# --- tiny named corpora --------------------------------------------------------

#: Two short German reports sharing one quoted sentence, and one unrelated English text.
TINY = {
    "kiew": (
        "Selenskyj traf am Mittwoch in Ankara ein.\n\n"
        "Ein Beamter sagte der Zeitung: „Wir haben die Vorschläge der Amerikaner sorgfältig geprüft und werden bald antworten“. "
        "Die Gespräche sollen nächste Woche fortgesetzt werden."
    ),
    "moskau": (
        "Der Kreml äußerte sich zunächst nicht.\n\n"
        "Wie es hieß, hätten die Ukrainer erklärt: «Wir haben die Vorschläge der Amerikaner sorgfältig geprüft und werden bald antworten». "
        "Beobachter in Moskau zeigten sich skeptisch."
    ),
    "weather": "The weather in London was mild on Tuesday, and the forecast for the weekend is dry with some sun in the south.",
}


@pytest.fixture
def tiny_texts() -> dict[str, str]:
    return dict(TINY)


@pytest.fixture
def tiny_docs() -> list[Document]:
    return documents_from_texts(TINY)


# --- planted-reuse mini corpus ---------------------------------------------------

_SYLLABLES = ("ka", "lo", "mi", "ten", "ra", "bus", "ge", "nor", "fi", "dal", "un", "se", "pra", "vo", "lin", "ter", "ho", "zu", "wem", "chi")


@dataclass(frozen=True)
class Planted:
    """A planted corpus: its texts and which document pairs share a passage.

    Attributes
    ----------
    texts : dict of str to str
        ``{id: text}`` in id order.
    pairs : set of tuple of str
        ``(a, b)`` with ``a < b``: the pairs that share a planted passage.
    passages : dict of tuple to tuple of str
        For each pair, the planted passage as it reads in ``a`` and in ``b``.
    edited : set of tuple of str
        Pairs whose copy was lightly edited (dropped and swapped words).
    """

    texts: dict[str, str]
    pairs: set[tuple[str, str]]
    passages: dict[tuple[str, str], tuple[str, str]]
    edited: set[tuple[str, str]]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _sentences(words: list[str], rng: random.Random) -> str:
    """Join words into sentences of 8-14 words with capitalised starts."""
    out, i = [], 0
    while i < len(words):
        k = rng.randint(8, 14)
        chunk = words[i : i + k]
        out.append(" ".join([chunk[0].capitalize(), *chunk[1:]]) + ".")
        i += k
    return " ".join(out)


def edit_words(words: list[str], rng: random.Random, every: int = 12) -> list[str]:
    """A light edit: drop one word and swap two neighbours about every ``every`` words."""
    out = list(words)
    pos = every // 2
    while pos + 2 < len(out):
        if rng.random() < 0.5:
            del out[pos]
        else:
            out[pos], out[pos + 1] = out[pos + 1], out[pos]
        pos += every
    return out


def make_planted(n_docs: int = 40, doc_words: int = 220, n_planted: int = 6, seed: int = 7) -> Planted:
    """Build a deterministic planted-reuse corpus.

    Documents are random words from a synthetic vocabulary (so unrelated documents
    share no phrases by chance); ``n_planted`` target documents receive a 45-70 word
    passage copied from another document, every second one lightly edited.
    """
    rng = random.Random(seed)
    vocab = _vocabulary(rng, 3000)
    bodies = [[rng.choice(vocab) for _ in range(doc_words)] for _ in range(n_docs)]
    ids = [f"doc{k:03d}" for k in range(n_docs)]
    order = list(range(n_docs))
    rng.shuffle(order)
    sources, targets = order[:n_planted], order[n_planted : 2 * n_planted]
    inserted: dict[int, tuple[int, list[str], list[str]]] = {}
    truth: list[tuple[int, int, bool]] = []
    for k, (src, tgt) in enumerate(zip(sources, targets, strict=True)):
        length = rng.randint(45, 70)
        start = rng.randint(0, doc_words - length)
        copied = bodies[src][start : start + length]
        edited = k % 2 == 1
        pasted = edit_words(copied, rng) if edited else list(copied)
        at = rng.randint(20, doc_words - 20)
        inserted[tgt] = (at, copied, pasted)
        truth.append((src, tgt, edited))
    texts: dict[str, str] = {}
    for k in range(n_docs):
        if k in inserted:
            at, _, pasted = inserted[k]
            before, after = bodies[k][:at], bodies[k][at:]
            # the pasted passage is its own paragraph, as syndicated text usually is
            body = _sentences(before, rng) + "\n\n" + _sentences(pasted, rng) + "\n\n" + _sentences(after, rng)
        else:
            body = _sentences(bodies[k], rng)
        texts[ids[k]] = f"Titel {ids[k]}\n\n{body}\n"
    pairs: set[tuple[str, str]] = set()
    passages: dict[tuple[str, str], tuple[str, str]] = {}
    edited_pairs: set[tuple[str, str]] = set()
    for src, tgt, edited in truth:
        a, b = sorted((ids[src], ids[tgt]))
        pairs.add((a, b))
        copied = " ".join(inserted[tgt][1])
        pasted = " ".join(inserted[tgt][2])
        passages[(a, b)] = (copied, pasted) if a == ids[src] else (pasted, copied)
        if edited:
            edited_pairs.add((a, b))
    return Planted(texts=texts, pairs=pairs, passages=passages, edited=edited_pairs)


@pytest.fixture(scope="session")
def planted_maker():
    """:func:`make_planted`, for tests that need another size or seed."""
    return make_planted


@pytest.fixture(scope="session")
def planted() -> Planted:
    return make_planted()


@pytest.fixture(scope="session")
def planted_docs(planted: Planted) -> list[Document]:
    return documents_from_texts(planted.texts)
