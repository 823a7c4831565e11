"""Plots (matplotlib, Agg) and the numbers behind them; progress bars on stderr."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

from reuse.cli import main
from reuse.pipeline import scan
from reuse.plots import coverage_matrix, departures, plot_report, reused_share
from reuse.progress import ProgressBar, progress_bar
from reuse.report import scan_dict


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_coverage_matrix_is_share_of_row_document(tiny_docs) -> None:
    report = scan_dict(scan(tiny_docs))
    ids, m = coverage_matrix(report)
    assert ids == [d.id for d in tiny_docs]
    k, w = ids.index("kiew"), ids.index("weather")
    mo = ids.index("moskau")
    assert m[k][k] == 1.0 and m[k][w] == 0.0 and m[w][k] == 0.0
    (c,) = report["clusters"]
    (kiew,) = [x for x in c["members"] if x["id"] == "kiew"]
    assert m[k][mo] == pytest.approx((kiew["end"] - kiew["start"]) / len(tiny_docs[k].text))
    assert 0 < reused_share(report)["kiew"] < 1 and reused_share(report)["weather"] == 0.0


def _cluster(*members: tuple[str, int, int]) -> dict:
    return {"members": [{"id": d, "start": s, "end": e} for d, s, e in members]}


def test_overlapping_clusters_are_not_double_counted() -> None:
    report = {
        "documents": [{"id": "a", "status": "ok", "chars": 100}, {"id": "b", "status": "ok", "chars": 100}, {"id": "c", "status": "ok", "chars": 100}],
        "clusters": [_cluster(("a", 0, 50), ("b", 0, 10)), _cluster(("a", 40, 60), ("b", 50, 60)), _cluster(("a", 0, 100), ("c", 0, 100))],
    }
    _, m = coverage_matrix(report)
    assert m[0][1] == pytest.approx(0.6) and m[1][0] == pytest.approx(0.2)
    assert m[0][2] == m[2][0] == 1.0 and m[1][2] == 0.0
    assert reused_share(report) == {"a": 1.0, "b": 0.2, "c": 1.0}


def test_plot_report_writes_png_for_scan_and_derive(seed_docs, tmp_path: Path) -> None:
    report = scan_dict(scan(seed_docs))
    out = plot_report(tmp_path / "scan.png", scan=report)
    w, h = _png_size(out)
    assert w > 400 and h > 300
    derive = {"documents": [{"id": "x", "status": "ok", "departure": 0.2}, {"id": "y", "status": "error"}]}
    assert departures(derive) == {"x": 0.2}
    out2 = plot_report(tmp_path / "derive.png", scan=report, derive=derive)
    assert _png_size(out2)[0] > 400


def test_cli_plot_option(seeds_dir, tmp_path: Path) -> None:
    png = tmp_path / "p.png"
    result = CliRunner().invoke(main, ["scan", str(seeds_dir), "--format", "json", "-o", str(tmp_path / "r.json"), "--plot", str(png), "-q"])
    assert result.exit_code == 0, result.output
    assert _png_size(png)[0] > 400


def test_cli_plot_to_unwritable_place_is_one_line(seeds_dir, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["scan", str(seeds_dir), "-q", "--plot", str(tmp_path / "missing" / "p.png")])
    assert result.exit_code == 1
    assert "cannot write the plot" in result.output and "Traceback" not in result.output


# --------------------------------------------------------------------------- progress


class _Terminal(io.StringIO):
    """A text stream that says it is a terminal, to see what a user would see."""

    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_and_not_when_quiet() -> None:
    assert progress_bar(False, io.StringIO()) is None
    assert progress_bar(True, _Terminal()) is None
    assert isinstance(progress_bar(False, _Terminal()), ProgressBar)


def test_progress_bar_draws_stages_on_stderr(tiny_docs) -> None:
    stream = _Terminal()
    bar = progress_bar(False, stream)
    assert bar is not None
    scan(tiny_docs, progress=bar)
    bar.close()
    shown = stream.getvalue()
    assert "tokenise" in shown and "3/3" in shown and shown.endswith("\n")


def test_cli_prints_no_progress_when_not_a_terminal(seeds_dir) -> None:
    result = CliRunner().invoke(main, ["scan", str(seeds_dir), "--format", "json"])
    assert result.exit_code == 0
    assert "[" + "#" not in result.output and "tokenise" not in result.output


def test_progress_bar_counts_when_the_total_is_unknown() -> None:
    stream = _Terminal()
    bar = ProgressBar(stream)
    for k in range(1, 4):
        bar("load", k, 0)
    bar("align", 2, 2)
    bar.close()
    lines = stream.getvalue().split("\n")
    assert lines[0].startswith("\rload") and lines[0].rstrip().endswith("3")  # rate-limited, but the last count is drawn
    assert "align" in lines[1] and "2/2" in lines[1] and "#" * 30 in lines[1]


def test_large_corpora_show_linked_pairs_in_the_heatmap() -> None:
    from reuse.plots import matrix_ids

    docs = [{"id": f"d{k:02d}", "status": "ok", "chars": 1000} for k in range(30)]
    clusters = [  # three clusters among 30 documents, listed as scan lists them: the largest first
        _cluster(("d05", 0, 100), ("d06", 0, 100), ("d07", 0, 100)),
        _cluster(("d03", 0, 500), ("d20", 0, 500)),
        _cluster(("d01", 0, 300), ("d29", 0, 300)),
    ]
    report = {"documents": docs, "clusters": clusters}
    assert matrix_ids(report, 4) == ["d05", "d06", "d07"]  # whole clusters only: the next one would not fit
    assert matrix_ids(report, 5) == ["d03", "d05", "d06", "d07", "d20"]
    ids, m = coverage_matrix(report, matrix_ids(report, 5))
    assert m[ids.index("d03")][ids.index("d20")] == pytest.approx(0.5)
    assert len(matrix_ids(report, 100)) == 30
