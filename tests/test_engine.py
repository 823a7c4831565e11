"""Performance paths give the results of the reference paths: compiled tokeniser, batched language, jobs."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from reuse.text import detect_language_batch, detect_language_ids, tokenize_batch

_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET, max_size=60), min_size=1, max_size=5))
def test_compiled_tokeniser_equals_numpy_reference(texts: list[str]) -> None:
    ref = tokenize_batch(texts, compiled=False)
    fast = tokenize_batch(texts, compiled=True)
    for a, b in zip(ref, fast, strict=True):
        assert np.array_equal(a.ids, b.ids)
        assert np.array_equal(a.starts, b.starts)
        assert np.array_equal(a.ends, b.ends)


def test_compiled_tokeniser_on_folds_and_joiners() -> None:
    texts = ["Straße STRASSE ﬁnden Frie\u00addens\u00adplan 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 İstanbul naïve „Zitat“", "", "   ", "ß"]
    ref = tokenize_batch(texts, compiled=False)
    fast = tokenize_batch(texts, compiled=True)
    assert [t.ids.tolist() for t in ref] == [t.ids.tolist() for t in fast]
    assert fast[0].ids[0] == fast[0].ids[1]  # ß folds to ss in both paths


def test_batched_language_detection_equals_per_document() -> None:
    texts = [
        "Der Präsident sagte, dass die Verhandlungen in der nächsten Woche weitergehen werden.",
        "The president said that the talks will continue in the coming week and there was no deal.",
        "Selenskyj Witkoff Kushner Dmitrijew",
        "",
    ]
    toks = tokenize_batch(texts)
    assert detect_language_batch([t.ids for t in toks]) == [detect_language_ids(t.ids) for t in toks] == ["de", "en", "und", "und"]


def test_compiled_block_minhash_equals_numpy_reference() -> None:
    from reuse.minhash import Signer
    from reuse.shingle import shingles

    rng = np.random.default_rng(5)
    arrays = [rng.integers(0, 2**63, size=int(n), dtype=np.uint64) for n in (0, 3, 31, 32, 33, 100, 517)]
    h = [shingles(a, 4) for a in arrays]
    offsets = np.concatenate(([0], np.cumsum([len(x) for x in h])))
    signer = Signer(64, 1)
    ref = signer.sign_windows(np.concatenate(h), offsets, 32, 16, compiled=False)
    fast = signer.sign_windows(np.concatenate(h), offsets, 32, 16, compiled=True)
    assert np.array_equal(ref.values, fast.values) and np.array_equal(ref.doc, fast.doc)
