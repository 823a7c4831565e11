"""Latent mode's source units: reported-speech scope and the links between units and reports."""

from pathlib import Path

import numpy as np

from reuse.config import DeriveConfig
from reuse.derive import _front_config
from reuse.io import load_paths
from reuse.latent import doc_links, reported_scope
from reuse.pipeline import DEFAULT_SCAN, analyse
from reuse.units import build_units

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_reported_speech_scope() -> None:
    sents = [
        "Dmitrijew erklärte gegenüber Axios, die Grundidee bestehe darin, einen Plan zu schreiben.",
        "Das Ziel sei es, vor dem nächsten Treffen ein Dokument zu erarbeiten.",  # Konjunktiv I: in scope
        "Die Pläne für einen Gipfel bleiben vorerst auf Eis gelegt.",  # own-voice indicative: ends the run
        "Die Regierung habe nichts dazu gesagt.",  # reported speech, but the run has ended
        "Dmitrijew sagte, diese Bemühungen hätten nichts mit London zu tun.",  # the source's informant again
        "Dieser habe keine Aussicht auf Erfolg.",
        "Starmer hatte zuvor einen eigenen Vorstoß angemahnt.",  # indicative past perfect, not Konjunktiv
    ]
    text = " ".join(sents)
    starts = [text.index(x) for x in sents]
    ends = [a + len(x) for a, x in zip(starts, sents, strict=True)]
    credited = np.array([True, False, False, False, False, False, False])
    assert reported_scope(text, starts, ends, credited).tolist() == [True, True, False, False, True, True, False]


def test_latent_links_do_not_depend_on_the_block_size() -> None:
    config = DeriveConfig()
    an = analyse(load_paths([str(SEEDS)]), _front_config(config, DEFAULT_SCAN))
    units = build_units(an, sorted(an.tokens), config)
    which = np.flatnonzero(units.doc != units.doc[0])  # every document but the first
    args = (units, config, config.latent_similarity_exponent, len(an.documents), which)
    one_doc_blocks, one_block = doc_links(*args, cells=1), doc_links(*args, cells=1 << 30)
    assert one_block.nnz > 0 and (one_doc_blocks != one_block).nnz == 0
    assert one_block[np.flatnonzero(units.doc == units.doc[0])].nnz == 0  # units outside ``which`` are not linked


def test_reported_speech_in_a_credits_scope_is_a_source_unit() -> None:
    from reuse.derive import _credits
    from reuse.io import documents_from_texts
    from reuse.latent import latent_source

    config = DeriveConfig()
    texts = {
        "wire": ("Laut Axios plant die Regierung einen neuen Hafen im Norden.\n"
                 "Die Kosten lägen bei 55 Millionen Euro, berichtete das Portal.\n"  # reported speech: in the credit's scope
                 "Am Abend regnete es in der ganzen Stadt."),  # own voice: not the source's content
        "other": "Ein neuer Hafen soll im Norden entstehen. Er kostet 55 Millionen Euro.",
    }
    an = analyse(documents_from_texts(texts), _front_config(config, DEFAULT_SCAN))
    units = build_units(an, sorted(an.tokens), config)
    credits = {k: [(c.start, c.end) for c in _credits(an, k, "Axios")] for k in sorted(an.tokens)}
    latent = latent_source(an, units, credits, config, config.latent_similarity_exponent)
    wire = np.flatnonzero(units.doc == 0)
    assert latent.scope[wire].tolist() == [True, True, False]
    assert latent.units_for(units, 1, config).tolist() == wire[:2].tolist()
