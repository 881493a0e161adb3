"""The columnar reader (plain numeric CSV through pyarrow) reads exactly what the table reader reads,
and hands every file that is not plain — or that holds something to report — to the table reader."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from servgap.analysis.engine import analyze
from servgap.data import columnar
from servgap.data.responses import ReadOptions, Responses, read_responses
from servgap.instrument.models import InstrumentConfig
from tests.helpers import FIXTURES, config_from

ROOT = Path(__file__).resolve().parent.parent


def read_both(config: InstrumentConfig, path: Path, monkeypatch: pytest.MonkeyPatch,
              **options: object) -> tuple[Responses | None, Responses | None]:
    """The responses as the columnar reader reads them (None when it declines), and as the table reader does."""
    read = ReadOptions(**options)  # type: ignore[arg-type]
    fast = columnar.read_plain_csv(config, path, read, None, None, None)
    with monkeypatch.context() as patch:
        patch.setattr(columnar, "read_plain_csv", lambda *arguments: None)
        outcome = read_responses(config, path, read)
    return fast, outcome.responses


def assert_same(fast: Responses, table: Responses, config: InstrumentConfig) -> None:
    """Every field the analysis reads is equal, and so is the whole assessment."""
    assert fast.rows_read == table.rows_read
    for facet in table.facets:
        np.testing.assert_array_equal(fast.matrix(facet), table.matrix(facet))
    np.testing.assert_array_equal(fast.points_matrix(), table.points_matrix())
    for name in ("item_importance", "overall_quality"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(table, name))
    assert list(fast.respondent_ids) == list(table.respondent_ids)
    assert fast.ids_from_rows == table.ids_from_rows
    assert {k: v.tolist() for k, v in fast.segments.items()} == {k: v.tolist() for k, v in table.segments.items()}
    for name in ("item_ids", "columns", "missing_cells", "source", "encoding", "delimiter", "file_format", "path",
                 "scale"):
        assert getattr(fast, name) == getattr(table, name), name
    assert analyze(config, fast).to_dict() == analyze(config, table).to_dict()


def servqual_frame(rows: int, seed: int, blanks: float) -> pd.DataFrame:
    """A SERVQUAL export with blanks, the missing code 99 in answers and points, fractional points
    (33.3) and a segment column, written independently of servgap's own simulator."""
    generator = np.random.default_rng(seed)
    config = config_from(ROOT / "configs" / "servqual.yaml")
    frame = pd.DataFrame({"respondent_id": [f"C-{i:05d}" for i in range(rows)],
                          "branch": generator.choice(["North", "South", "西区"], rows)})
    for prefix in ("E", "P"):
        for _, item in config.items():
            values = generator.integers(1, 8, rows).astype(object)
            values[generator.random(rows) < blanks] = None
            values[generator.random(rows) < blanks / 4] = 99
            frame[f"{prefix}_{item.id}"] = values
    for dimension in config.dimensions:
        points = generator.choice([20.0, 33.3, 0.0, 12.5, 40.0], rows).astype(object)
        points[generator.random(rows) < blanks] = None
        points[generator.random(rows) < blanks / 4] = 99
        frame[f"W_{dimension.id}"] = points
    return frame


@pytest.mark.parametrize("blanks", [0.0, 0.05])
def test_servqual_export_reads_as_the_table_reader_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            blanks: float) -> None:
    base = config_from(ROOT / "configs" / "servqual.yaml")
    config = base.model_copy(update={"data": base.data.model_copy(update={"segments": ["branch"]})})
    path = tmp_path / "export.csv"
    servqual_frame(3000, 7, blanks).to_csv(path, index=False)
    fast, table = read_both(config, path, monkeypatch)
    assert fast is not None and table is not None
    assert fast.facets[next(iter(fast.facets))].values[0].dtype == np.int8  # kept narrow
    assert_same(fast, table, config)


def test_large_file_streams_in_batches_with_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = config_from(ROOT / "configs" / "servqual.yaml")
    path = tmp_path / "export.csv"
    servqual_frame(5000, 3, 0.03).to_csv(path, index=False)
    monkeypatch.setattr(columnar, "STREAM_BYTES", 10_000)  # stream this small file in many batches
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 64 << 10)
    fast, table = read_both(config, path, monkeypatch)
    assert fast is not None and table is not None
    assert_same(fast, table, config)


@pytest.mark.parametrize("name", ["mini", "zot"])
def test_fixtures_without_id_numeric_ids_and_semicolons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        name: str) -> None:
    config = config_from(FIXTURES / f"{name}.yaml")
    frame = pd.read_csv(FIXTURES / f"{name}.csv")
    for variant, write in {"semicolon": dict(sep=";"), "tab": dict(sep="\t")}.items():
        path = tmp_path / f"{variant}.csv"
        frame.to_csv(path, index=False, **write)  # type: ignore[arg-type]
        fast, table = read_both(config, path, monkeypatch)
        assert fast is not None and table is not None, variant
        assert_same(fast, table, config)
    without_ids = frame.drop(columns=[column for column in frame.columns if "id" in column.lower()])
    path = tmp_path / "no_ids.csv"
    without_ids.to_csv(path, index=False)
    fast, table = read_both(config, path, monkeypatch)
    if fast is not None:  # configs that name an id column refuse a file without one (table reader)
        assert table is not None and fast.ids_from_rows
        assert_same(fast, table, config)


def test_bundled_example_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    config = config_from(ROOT / "configs" / "restaurant.yaml")
    fast, table = read_both(config, ROOT / "examples" / "restaurant" / "responses.csv", monkeypatch)
    assert fast is not None and table is not None
    assert_same(fast, table, config)


def _mini_text() -> str:
    return (FIXTURES / "mini.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("change", [
    ("5.0 (a decimal)", lambda text: text.replace(",5,", ",5.0,", 1)),
    ("a text missing code", lambda text: text.replace(",5,", ",NA,", 1)),
    ("a blank line", lambda text: text.replace("\n", "\n\n", 2)),
    ("an invalid cell", lambda text: text.replace(",5,", ",9,", 1)),
    ("a repeated id", lambda text: text + text.splitlines()[1] + "\n"),
    ("a NUL byte", lambda text: text.replace(",5,", ",5\x00,", 1)),
    ("a ragged row", lambda text: text.replace("\n", ",1\n", 2)),
    ("a header without responses", lambda text: text.splitlines()[0] + "\n"),
    ("a character that is no UTF-8", lambda text: text.replace(",5,", ",5\udcff,", 1)),
])
def test_files_that_are_not_plain_go_to_the_table_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         change: tuple) -> None:
    config = config_from(FIXTURES / "mini.yaml")
    path = tmp_path / "data.csv"
    path.write_bytes(change[1](_mini_text()).encode("utf-8", errors="surrogateescape"))
    fast = columnar.read_plain_csv(config, path, ReadOptions(), None, None, None)
    assert fast is None, change[0]


def test_options_and_encodings_that_need_the_table_reader(tmp_path: Path) -> None:
    config = config_from(FIXTURES / "mini.yaml")
    plain = tmp_path / "data.csv"
    plain.write_text(_mini_text(), encoding="utf-8")
    assert columnar.read_plain_csv(config, plain, ReadOptions(), None, None, None) is not None
    assert columnar.read_plain_csv(config, plain, ReadOptions(invalid="missing"), None, None, None) is None  # type: ignore[arg-type]
    assert columnar.read_plain_csv(config, plain, ReadOptions(encoding="gb18030"), None, None, None) is None
    assert columnar.read_plain_csv(config, plain, ReadOptions(encoding="no-such-codec"), None, None, None) is None
    chinese = tmp_path / "gbk.csv"
    chinese.write_bytes(_mini_text().replace("r1", "甲").encode("gb18030"))
    assert columnar.read_plain_csv(config, chinese, ReadOptions(), None, None, None) is None
    workbook = tmp_path / "data.xlsx"
    workbook.write_bytes(b"PK\x03\x04")
    assert columnar.read_plain_csv(config, workbook, ReadOptions(), None, None, None) is None


def test_ids_that_would_read_as_numbers_keep_the_table_readers_text(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    config = config_from(FIXTURES / "mini.yaml")
    frame = pd.read_csv(FIXTURES / "mini.csv")
    id_column = frame.columns[0]
    for ids, taken in (([f"{i:03d}" for i in range(len(frame))], False),  # '007' reads as 7: table reader
                       ([str(i + 1) for i in range(len(frame))], True)):
        frame[id_column] = ids
        path = tmp_path / "ids.csv"
        frame.to_csv(path, index=False)
        fast, table = read_both(config, path, monkeypatch)
        assert (fast is not None) is taken
        if fast is not None:
            assert table is not None
            assert_same(fast, table, config)


def test_repeated_ids_are_found_however_long(tmp_path: Path) -> None:
    import pyarrow as pa

    def different(*chunks: list[str]) -> bool:
        return columnar.all_different(pa.chunked_array([pa.array(chunk) for chunk in chunks]))

    assert different(["a", "ab", "abc"], ["abcd", "b"])
    assert not different(["a", "ab"], ["ab"])  # across chunks
    assert not different(["R1000000", "R0000001"], ["R1000000"])  # eight bytes
    assert different(["respondent-0001", "respondent-0002"])  # longer than eight: hashed by pyarrow
    assert not different(["respondent-0001"], ["respondent-0001"])
    # ids of one length, in order (one pass) and out of order (sorted), with and without a repeat
    assert different(["R01", "R02"], ["R03"]) and different(["R03", "R01"], ["R02"])
    assert not different(["R01", "R02"], ["R02"]) and not different(["R02", "R01"], ["R02"])
    assert different(["a", "ab", "b"]) and not different(["a", "ab", "b", "a"])  # texts order as padded keys
    assert different(["R9999999", "R10000000"]) and different(["7", "7\0"])  # length first; NUL is not padding
    assert not different(["R10000000", "R9999999", "R10000000"])  # out of order, over 7 bytes: hashed
    assert different(["b", "a", "c"]) and not different(["b", "a", "b"])  # out of order, short: sorted


def test_lazy_id_sequences_behave_as_lists() -> None:
    import pyarrow as pa

    texts = columnar.TextColumn(pa.chunked_array([pa.array(["a", "b"]), pa.array(["c"])]))
    rows = columnar.RowNumbers(3)
    for lazy, plain in ((texts, ["a", "b", "c"]), (rows, ["2", "3", "4"])):
        assert list(lazy) == plain and len(lazy) == 3
        assert lazy[-1] == plain[-1] and lazy[1:] == plain[1:] and lazy[::2] == plain[::2]
        with pytest.raises(IndexError):
            lazy[3]
