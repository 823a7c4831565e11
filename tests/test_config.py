"""Configuration: a value a later stage cannot serve is refused where it enters, with a message that names the fix."""

from __future__ import annotations

import pytest

from reuse.config import DeriveConfig, ScanConfig, SketchConfig
from reuse.errors import ConfigError
from reuse.io import documents_from_texts
from reuse.pipeline import scan
from reuse.shingle import MAX_SHINGLE


@pytest.mark.parametrize(("window", "stride", "fix"), [(30, 16, "try window_tokens=16 or 32"), (40, 16, "try window_tokens=32 or 48"), (10, 4, "try window_tokens=8 or 12")])
def test_window_not_a_multiple_of_the_stride_is_refused_with_the_nearest_sizes(window: int, stride: int, fix: str) -> None:
    with pytest.raises(ConfigError, match=f"window_tokens \\({window}\\) must be a multiple of window_stride \\({stride}\\); {fix}"):
        SketchConfig(window_tokens=window, window_stride=stride)


def test_shingles_longer_than_the_hashing_supports_are_refused() -> None:
    with pytest.raises(ConfigError, match=f"SketchConfig.shingle_size must be between 1 and {MAX_SHINGLE}"):
        SketchConfig(shingle_size=MAX_SHINGLE + 1, window_tokens=32)
    with pytest.raises(ConfigError, match=f"DeriveConfig.shingle_size must be between 1 and {MAX_SHINGLE}"):
        DeriveConfig(shingle_size=MAX_SHINGLE + 1)


def test_every_accepted_window_shape_scans() -> None:
    # what the checks let through, the LSH path runs (before them, window_tokens=30 raised a ValueError mid-scan)
    text = " ".join(f"wort{k}" for k in range(120))
    docs = documents_from_texts({"a": f"Titel\n\n{text}", "b": f"Anders\n\nVorweg ein Satz. {text}"})
    for window, stride in ((32, 16), (30, 10), (8, 8)):
        result = scan(docs, ScanConfig(candidates="lsh", sketch=SketchConfig(shingle_size=MAX_SHINGLE, window_tokens=window, window_stride=stride)))
        assert [c.size for c in result.clusters] == [2], (window, stride)
