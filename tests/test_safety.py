"""A hostile and clumsy corpus, made at test time: every case ends cleanly.

Each case runs servgap on files a careless user or an attacker would give it and asserts the
guarantees of docs/safety.md: the exit code; no traceback and no "internal error"; a message that
names the file (and the row and column where there is one); no output or temporary file left
behind on a refusal; every input byte-for-byte unchanged (SHA-256); and no raw control character
from a file in any output.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from servgap.cli.app import app
from tests.conftest import FIXTURES

CONFIG = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
DATA = (FIXTURES / "mini.csv").read_text(encoding="utf-8")
#: Raw control characters that must never reach an output: C0 but tab/newline, DEL, C1, bidi overrides.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eexe.txt"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def text(self) -> str:
        return self.stdout + self.stderr


def run(args: list[str], stdin: bytes | None = None) -> Result:
    result = CliRunner().invoke(app, args, input=stdin, catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@dataclass
class Scene:
    """A scratch folder with the mini config and data, and the fingerprints of every input."""

    folder: Path
    inputs: dict[Path, str] = field(default_factory=dict)

    def file(self, name: str, content: str | bytes) -> Path:
        path = self.folder / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        self.inputs[path] = sha(path)
        return path

    def run(self, args: list[str], exit_code: int, *, names: list[str] = (), outputs: set[str] = frozenset(),
            stdin: bytes | None = None) -> Result:
        before = tree(self.folder)
        result = run(args, stdin)
        assert result.exit_code == exit_code, result.text
        assert "Traceback" not in result.text and "internal error" not in result.text, result.text
        for fragment in names:
            assert fragment in result.stderr, (fragment, result.stderr)
        assert not RAW_CONTROL.search(result.stdout), result.stdout
        assert not RAW_CONTROL.search(result.stderr), result.stderr
        after = tree(self.folder)
        assert not [name for name in after if name.endswith(".tmp")], after
        assert after - before == set(outputs), (after - before, outputs)
        for path, digest in self.inputs.items():
            if path.exists() and not path.is_symlink():
                assert sha(path) == digest, f"{path} was modified"
        return result


@pytest.fixture
def scene(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Scene:
    monkeypatch.chdir(tmp_path)
    made = Scene(tmp_path)
    made.file("c.yaml", CONFIG)
    made.file("d.csv", DATA)
    return made


def gaps(result: Result) -> list[float]:
    return [d["gap"] for d in json.loads(result.stdout)["dimensions"]]


CLEAN_GAPS: list[float] = []


@pytest.fixture
def clean_gaps(scene: Scene) -> list[float]:
    if not CLEAN_GAPS:
        CLEAN_GAPS.extend(gaps(scene.run(["analyze", "d.csv", "-c", "c.yaml", "-f", "json"], 0)))
    return CLEAN_GAPS


# --- outputs: never over an input, complete or absent -----------------------------------------


@pytest.mark.parametrize("args", [
    ["analyze", "d.csv", "-c", "c.yaml", "-o", "d.csv"],
    ["analyze", "d.csv", "-c", "c.yaml", "-f", "json", "-o", "c.yaml"],
    ["analyze", "d.csv", "-c", "c.yaml", "--excel", "d.csv"],
    ["checklist", "d.csv", "-c", "c.yaml", "-o", "./d.csv"],
    ["compare", "d.csv", "d.csv", "-c", "c.yaml", "-o", "d.csv"],
    ["simulate", "c.yaml", "-o", "c.yaml", "--force"],
])
def test_an_output_that_is_an_input_is_refused(scene: Scene, args: list[str]) -> None:
    scene.run(args, 2, names=["input", "never writes over an input"])


def test_links_to_an_input_are_the_input(scene: Scene) -> None:
    (scene.folder / "soft.csv").symlink_to("d.csv")
    os.link(scene.folder / "d.csv", scene.folder / "hard.csv")
    (scene.folder / "form.xlsx").symlink_to("c.yaml")
    scene.run(["analyze", "d.csv", "-c", "c.yaml", "-o", "soft.csv"], 2, names=["soft.csv", "d.csv"])
    scene.run(["analyze", "d.csv", "-c", "c.yaml", "-o", "hard.csv"], 2, names=["hard.csv", "d.csv"])
    scene.run(["form", "c.yaml", "-o", "form.xlsx", "--force"], 2, names=["form.xlsx", "c.yaml"])
    assert (scene.folder / "soft.csv").is_symlink()


def test_a_factor_set_file_is_an_input_too(scene: Scene) -> None:
    factors = (Path(__file__).parent.parent / "configs" / "factors").glob("*.yaml")
    first = next(iter(sorted(factors)), None)
    if first is None:
        pytest.skip("no bundled factor-set file")
    scene.file("set.yaml", first.read_text(encoding="utf-8"))
    scene.file("cf.yaml", CONFIG + "management:\n  factors: set.yaml\n")
    for args in (["analyze", "d.csv", "-c", "cf.yaml", "-o", "set.yaml"],
                 ["checklist", "d.csv", "-c", "cf.yaml", "-o", "set.yaml"],
                 ["compare", "d.csv", "d.csv", "-c", "cf.yaml", "-o", "set.yaml"],
                 ["simulate", "cf.yaml", "-o", "set.yaml", "--force"]):
        scene.run(args, 2, names=["set.yaml", "input"])


@pytest.mark.parametrize(("args", "fragment"), [
    (["analyze", "d.csv", "-c", "c.yaml", "-o", "missing/r.txt"], "does not exist"),
    (["analyze", "d.csv", "-c", "c.yaml", "-o", "."], "is a folder"),
    (["analyze", "d.csv", "-c", "c.yaml", "--excel", "report.xlsx", "-o", "missing/r.json"], "missing/r.json"),
    (["analyze", "d.csv", "-c", "c.yaml", "--excel", "missing/w.xlsx", "-o", "r.json"], "missing/w.xlsx"),
    (["analyze", "d.csv", "-c", "c.yaml", "--excel", "same.xlsx", "-o", "same.xlsx"], "already writes"),
    (["analyze", "d.csv", "-c", "c.yaml", "--excel", "report.csv"], ".xlsx"),
    (["schema", "-o", "."], "is a folder"),
    (["form", "c.yaml", "-o", "missing/form.xlsx"], "does not exist"),
    (["simulate", "c.yaml", "-o", "missing/s.csv"], "does not exist"),
    (["analyze", "d.csv", "-c", "c.yaml", "-o", "x" * 300 + ".txt"], "File name too long"),
])
def test_bad_output_paths_leave_nothing_behind(scene: Scene, args: list[str], fragment: str) -> None:
    scene.run(args, 2, names=[fragment])


@pytest.mark.skipif(IS_ROOT, reason="root writes into read-only folders")
def test_a_read_only_folder(scene: Scene) -> None:
    locked = scene.folder / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        scene.run(["analyze", "d.csv", "-c", "c.yaml", "-o", "locked/r.txt"], 2, names=["locked/r.txt"])
    finally:
        locked.chmod(0o755)


def test_special_files_are_written_directly_never_replaced(scene: Scene) -> None:
    before = os.stat("/dev/null")
    scene.run(["analyze", "d.csv", "-c", "c.yaml", "-f", "json", "-o", "/dev/null"], 0)
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino
    result = scene.run(["analyze", "d.csv", "-c", "c.yaml", "-f", "json", "-o", "-"], 0)
    assert json.loads(result.stdout)["schema_version"]
    assert not (scene.folder / "-").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_device_is_a_clean_refusal(scene: Scene) -> None:
    scene.run(["analyze", "d.csv", "-c", "c.yaml", "-o", "/dev/full"], 2, names=["/dev/full", "No space"])


def test_a_full_disk_removes_the_temporary_file_and_keeps_the_old_one(scene: Scene,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import servgap.cli.outputs as outputs

    scene.file("old.xlsx", b"the previous workbook")
    scene.file("old.json", b"{}")

    def no_space(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outputs.os, "fsync", no_space)
    scene.run(["analyze", "d.csv", "-c", "c.yaml", "--excel", "old.xlsx", "-f", "json", "-o", "old.json"], 2,
              names=["old.xlsx", "No space left"])


def test_init_never_follows_a_link_or_writes_a_folder(scene: Scene) -> None:
    target = scene.file("victim.txt", "keep me")
    (scene.folder / "link.yaml").symlink_to(target)
    scene.run(["init", "link.yaml", "--force"], 2, names=["link.yaml", "symbolic link"])
    (scene.folder / "folder.yaml").mkdir()
    scene.run(["init", "folder.yaml", "--force"], 2, names=["folder.yaml", "folder"])
    (scene.folder / "servgap.schema.json").symlink_to(target)
    scene.run(["init", "new.yaml"], 0, outputs={"new.yaml"})
    assert target.read_text() == "keep me"


def test_sigterm_cleans_up_and_exits_143(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(CONFIG, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "servgap", "simulate", "c.yaml", "-n", "5000000", "-o",
                                "big.csv"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(4)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert b"Traceback" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml"]


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    shell = f"{sys.executable} -m servgap rules | head -1"
    finished = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, timeout=60)
    assert finished.returncode == 0, finished.stderr
    assert b"internal error" not in finished.stderr and b"Traceback" not in finished.stderr


# --- text from files is inert everywhere -------------------------------------------------------


def hostile_config() -> str:
    text = CONFIG.replace("en: Item T1", 'en: "=HYPERLINK(\\"http://x\\")\\e]0;t\\a | a\\r\\n::error::b"')
    text = text.replace("en: Tangibles", 'en: "Tangibles\\e[2J\\x9b31m\\u202eexe"')
    return text.replace("en: Mini fixture", 'en: "@SUM(1+1)\\e]8;;http://x\\e\\\\ \\x7f|name"')


def hostile_data() -> str:
    lines = DATA.splitlines()
    lines[0] += ",branch"
    values = ["=cmd|' /C calc'!A0", "\x1b[31mred\x1b[0m", "+1+1", "a|b\rc", "@x", "-2+3"]
    lines[1:] = [f'{line},"{values[i % len(values)]}"' for i, line in enumerate(lines[1:])]
    return "\n".join(lines) + "\n"


def markdown_rows_are_whole(markdown: str) -> None:
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line)
            header_width = len(cells)
            assert header_width >= 3, line
    tables = re.findall(r"((?:^\|.*\n)+)", markdown, flags=re.M)
    for table in tables:
        widths = {len(re.split(r"(?<!\\)\|", row)) for row in table.splitlines()}
        assert len(widths) == 1, table


@pytest.mark.parametrize("output_format", ["table", "json", "csv", "markdown"])
def test_hostile_texts_are_inert_in_every_format(scene: Scene, output_format: str) -> None:
    scene.file("h.yaml", hostile_config())
    scene.file("h.csv", hostile_data())
    result = scene.run(["analyze", "h.csv", "-c", "h.yaml", "--by", "branch", "-f", output_format], 0)
    if output_format == "json":
        payload = json.loads(result.stdout)
        assert payload["items"][0]["text"].startswith("=HYPERLINK")  # the value itself is kept exactly
        assert "\\u009b" in result.stdout and "\\u202e" in result.stdout
    if output_format == "csv":
        rows = list(__import__("csv").reader(io.StringIO(result.stdout)))
        texts = [cell for row in rows for cell in row[3:4]]
        assert all(not cell.startswith(("=", "+", "@")) for cell in texts), texts
        assert any(cell.startswith("'=HYPERLINK") for cell in texts)
        assert any(cell.startswith("'@SUM") for cell in texts)
    if output_format == "markdown":
        markdown_rows_are_whole(result.stdout)
    if output_format == "table":
        assert "\\x1b" in result.stdout


def test_hostile_texts_in_the_workbook_stay_text(scene: Scene) -> None:
    scene.file("h.yaml", hostile_config())
    scene.file("h.csv", hostile_data())
    scene.run(["analyze", "h.csv", "-c", "h.yaml", "--by", "branch", "--excel", "h.xlsx", "-o", "r.txt"], 0,
              outputs={"h.xlsx", "r.txt"})
    with zipfile.ZipFile(scene.folder / "h.xlsx") as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name
    book = openpyxl.load_workbook(scene.folder / "h.xlsx")
    texts = [cell for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(cell.value.startswith("=HYPERLINK") for cell in texts)
    assert all(cell.data_type == "s" for cell in texts)
    assert not any(RAW_CONTROL.search(cell.value) for cell in texts)


def test_the_workbook_renderer_never_crashes_on_characters_excel_forbids(scene: Scene) -> None:
    from servgap import analyze
    from servgap.render.excel import workbook_bytes

    scene.file("h.yaml", hostile_config())
    assessment = analyze(scene.folder / "d.csv", scene.folder / "h.yaml")
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(assessment, "en", {})))
    assert book.sheetnames


def test_messages_echoing_cells_and_file_names_are_inert(scene: Scene) -> None:
    lines = DATA.splitlines()
    lines[2] = lines[2].replace(",6,", ",\x1b]0;pwned\x07,", 1)
    name = f"data{HOSTILE}.csv"
    scene.file(name, "\n".join(lines) + "\n")
    result = scene.run(["analyze", name, "-c", "c.yaml"], 1, names=["row 3", "\\x1b]0;pwned\\x07", "data\\x1b"])
    assert "\x1b" not in result.stderr


def test_undecodable_file_names_are_shown_escaped(scene: Scene) -> None:
    raw = os.fsencode(str(scene.folder)) + b"/survey\xff.csv"
    with open(raw, "wb") as stream:
        stream.write(DATA.encode())
    name = os.fsdecode(b"survey\xff.csv")
    scene.run(["analyze", name, "-c", "c.yaml", "-o", os.fsdecode(b"out\xfe.txt")], 0,
              outputs={os.fsdecode(b"out\xfe.txt")})
    scene.run(["analyze", os.fsdecode(b"missing\xff.csv"), "-c", "c.yaml"], 2, names=["missing\\xff.csv"])


def test_check_findings_cannot_forge_workflow_commands(scene: Scene) -> None:
    forged = "::error file=x::forged"
    scene.file(f"{forged}.yaml", "format_version: 1\ninstrument: [\n")
    scene.file("odd.yaml", CONFIG.replace("id: mini", 'id: "mini\\n::warning::forged"'))
    for output_format in ("text", "github"):
        result = run(["check", "--format", output_format, f"{forged}.yaml", "odd.yaml"])
        assert result.exit_code == 1
        lines = result.stdout.splitlines()
        assert lines and not any(line.startswith("::") and "forged" in line.split("::")[2] for line in lines
                                 if line.count("::") >= 2 and output_format == "github" and "title=" not in line)
        if output_format == "text":
            assert not any(line.startswith("::") for line in lines), lines
        assert not RAW_CONTROL.search(result.stdout)


# --- reading hostile files ---------------------------------------------------------------------


def workbook(rows: list[list[object]], tweak: Callable[[openpyxl.worksheet.worksheet.Worksheet], None] | None = None
             ) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if tweak:
        tweak(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def data_rows() -> list[list[object]]:
    rows: list[list[object]] = [line.split(",") for line in DATA.splitlines()]
    return [rows[0]] + [[row[0], *(int(value) for value in row[1:])] for row in rows[1:]]


def rewrite_sheet(content: bytes, old: bytes, new: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new)
            target.writestr(name, data)
    return buffer.getvalue()


def test_xlsx_reads_like_the_csv(scene: Scene, clean_gaps: list[float]) -> None:
    scene.file("ok.xlsx", workbook(data_rows()))
    assert gaps(scene.run(["analyze", "ok.xlsx", "-c", "c.yaml", "-f", "json"], 0)) == clean_gaps


def test_a_stray_cell_at_the_last_row_costs_nothing(scene: Scene, clean_gaps: list[float]) -> None:
    def stray(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
        sheet.cell(row=1_048_576, column=3).number_format = "0.00"
        sheet.cell(row=1_048_576, column=4).value = None

    content = workbook(data_rows(), stray)
    content = rewrite_sheet(content, b"</sheetData>", b'<row r="1048576"><c r="C1048576" s="1"/></row></sheetData>')
    scene.file("stray.xlsx", content)
    started = time.perf_counter()
    assert gaps(scene.run(["analyze", "stray.xlsx", "-c", "c.yaml", "-f", "json"], 0)) == clean_gaps
    assert time.perf_counter() - started < 30  # a reader that walked a million rows would take minutes


def test_a_zip_bomb_is_refused_before_decompressing(scene: Scene) -> None:
    content = workbook(data_rows())
    content = rewrite_sheet(content, b"</sheetData>", b"</sheetData>" + b" " * (300 << 20))
    scene.file("bomb.xlsx", content)
    assert len(content) < 2 << 20
    scene.run(["analyze", "bomb.xlsx", "-c", "c.yaml"], 2, names=["bomb.xlsx", "zip bomb"])


def test_formulas_without_saved_values_are_named(scene: Scene) -> None:
    def formulas(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
        sheet["C3"] = "=B3+1"
        sheet["D5"] = "=SUM(B5:C5)"

    scene.file("f.xlsx", workbook(data_rows(), formulas))
    scene.run(["analyze", "f.xlsx", "-c", "c.yaml"], 2, names=["f.xlsx", "C3", "D5", "save", "CSV"])


def test_error_cells_are_invalid_cells(scene: Scene) -> None:
    content = workbook(data_rows())
    content = rewrite_sheet(content, b'<c r="C3" t="n"><v>6</v></c>', b'<c r="C3" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    content = rewrite_sheet(content, b'<c r="B4" t="n"><v>5</v></c>', b'<c r="B4" t="e"><v>#N/A</v></c>')
    scene.file("e.xlsx", content)
    scene.run(["analyze", "e.xlsx", "-c", "c.yaml"], 1, names=["row 3, column 3", "#DIV/0!", "row 4, column 2",
                                                                "#N/A"])


@pytest.mark.parametrize(("content", "fragment"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512) + "EncryptedPackage".encode("utf-16-le") + bytes(512),
     "password-protected"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512) + "Workbook".encode("utf-16-le") + bytes(512), ".xls"),
    (DATA.encode(), "rename it to .csv"),
    (b"PK\x03\x04" + bytes(100), "damaged"),
])
def test_files_that_are_not_workbooks_are_named(scene: Scene, content: bytes, fragment: str) -> None:
    scene.file("w.xlsx", content)
    scene.run(["analyze", "w.xlsx", "-c", "c.yaml"], 2, names=["w.xlsx", fragment])


@pytest.mark.parametrize("variant", ["utf16-tab", "utf16-forced", "cr-only", "full-width", "bom", "crlf"])
def test_encodings_and_line_endings_read_like_the_clean_file(scene: Scene, clean_gaps: list[float],
                                                             variant: str) -> None:
    extra: list[str] = []
    if variant == "utf16-tab":
        content = DATA.replace(",", "\t").encode("utf-16")
    elif variant == "utf16-forced":
        content = DATA.encode("utf-16-le")
        extra = ["--encoding", "utf-16-le"]
    elif variant == "cr-only":
        content = DATA.replace("\n", "\r").encode()
    elif variant == "crlf":
        content = DATA.replace("\n", "\r\n").encode()
    elif variant == "bom":
        content = b"\xef\xbb\xbf" + DATA.encode()
    else:
        lines = DATA.splitlines()
        lines[1:] = [line.split(",", 1)[0] + "," + line.split(",", 1)[1].translate(str.maketrans("0123456789",
                                                                                                  "０１２３４５６７８９"))
                     for line in lines[1:]]
        content = "\n".join(lines).encode()
    scene.file("v.csv", content)
    assert gaps(scene.run(["analyze", "v.csv", "-c", "c.yaml", "-f", "json", *extra], 0)) == clean_gaps


@pytest.mark.parametrize(("mutate", "code", "fragments"), [
    (lambda lines: lines.__setitem__(3, lines[3].replace(",6,", ",\x006,", 1)), 2, ["row 4, column", "NUL"]),
    (lambda lines: lines.__setitem__(4, lines[4].replace(",5,", ',"5,', 1)), 2, ["row 5", "never closed"]),
    (lambda lines: lines.__setitem__(2, lines[2].replace(",30,", ",1e400,", 1)), 1, ["row 3, column 12",
                                                                                   "overflows"]),
    (lambda lines: lines.__setitem__(2, lines[2].replace(",6,", ",1e400,", 1)), 1, ["row 3, column 3", "overflows"]),
    (lambda lines: lines.__setitem__(2, lines[2] + "," + "x" * 2_000_000), 2, ["row 3", "longer than"]),
    (lambda lines: lines.__setitem__(0, lines[0].replace("E_R1", "E_R1\u200b")), 1, ["column 4",
                                                                                    "<U+200B ZERO WIDTH SPACE>"]),
    (lambda lines: lines.__setitem__(0, lines[0].replace("P_T1", "Р_T1")), 1, ["column 7", "CYRILLIC"]),
    (lambda lines: lines.__setitem__(2, lines[2].replace(",6,", ",７.5,", 1)), 1, ["row 3", "whole scale point"]),
])
def test_broken_cells_are_named_by_row_and_column(scene: Scene, mutate: Callable[[list[str]], None], code: int,
                                                  fragments: list[str]) -> None:
    lines = DATA.splitlines()
    mutate(lines)
    scene.file("b.csv", "\n".join(lines) + "\n")
    scene.run(["analyze", "b.csv", "-c", "c.yaml"], code, names=["b.csv", *fragments])


def test_standard_input_is_read_once(scene: Scene, clean_gaps: list[float]) -> None:
    assert gaps(scene.run(["analyze", "-", "-c", "c.yaml", "-f", "json"], 0, stdin=DATA.encode())) == clean_gaps
    scene.run(["analyze", "-", "-c", "-"], 2, names=["standard input"], stdin=DATA.encode())


def test_a_fifo_is_read_exactly_once(scene: Scene, clean_gaps: list[float]) -> None:
    fifo = scene.folder / "pipe.csv"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("w") as stream:
            stream.write(DATA)

    writer = threading.Thread(target=feed)
    writer.start()
    result = scene.run(["analyze", "pipe.csv", "-c", "c.yaml", "-f", "json", "--excel", "w.xlsx"], 0,
                       outputs={"w.xlsx"})
    writer.join(timeout=10)
    assert gaps(result) == clean_gaps


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_inputs_hit_a_cap(scene: Scene, device: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import servgap.data.sources as sources

    monkeypatch.setattr(sources, "MAX_STREAM_BYTES", 8 << 20)
    monkeypatch.setattr(sources.open_source, "__defaults__", (8 << 20, sources.MAX_FILE_BYTES, None))
    scene.run(["analyze", device, "-c", "c.yaml"], 2, names=[device])
    scene.run(["check", device], 2)


def test_a_config_from_a_device_hits_the_config_cap(scene: Scene) -> None:
    result = run(["check", "/dev/zero"])
    assert result.exit_code == 2 and "/dev/zero" in result.stdout


def test_no_usable_respondent_is_a_refusal(scene: Scene) -> None:
    lines = DATA.splitlines()
    lines[1:] = [line.split(",")[0] + "," + ",".join("x" for _ in line.split(",")[1:]) for line in lines[1:]]
    scene.file("x.csv", "\n".join(lines) + "\n")
    scene.run(["analyze", "x.csv", "-c", "c.yaml", "--invalid", "missing"], 1, names=["x.csv", "usable",
                                                                                      "--invalid missing"])


# --- options ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("option", "fragment"), [
    (["--confidence", "1.5"], "between 0.5 and 1"),
    (["--confidence", "nan"], "between 0.5 and 1"),
    (["--confidence", "0.5"], "between 0.5 and 1"),
    (["--delimiter", "\n"], "--delimiter"),
    (["--delimiter", '"'], "--delimiter"),
    (["--delimiter", ",,"], "--delimiter"),
    (["--encoding", "klingon"], "--encoding"),
    (["--encoding", "base64"], "--encoding"),
    (["--bootstrap", "1000000000"], "--bootstrap"),
    (["--bootstrap", "-5"], "--bootstrap"),
    (["--by", "respondent_id"], "respondent id"),
    (["--top", "5000"], "--top"),
])
def test_option_values_are_validated(scene: Scene, option: list[str], fragment: str) -> None:
    scene.run(["analyze", "d.csv", "-c", "c.yaml", *option], 2, names=[fragment])


def test_by_with_too_many_values_is_refused(scene: Scene) -> None:
    header, *rows = DATA.splitlines()
    rows = [f"{row},{number}" for number, row in enumerate(rows * 40)]
    rows = [f"x{number}," + row.split(",", 1)[1] for number, row in enumerate(rows)]
    scene.file("many.csv", "\n".join([header + ",code", *rows]) + "\n")
    scene.run(["analyze", "many.csv", "-c", "c.yaml", "--by", "code"], 2, names=["--by code", "different values"])


def test_a_long_scale_gets_whole_number_validation(scene: Scene) -> None:
    scene.file("wide.yaml", CONFIG.replace("max: 7", "max: 100"))
    scene.run(["form", "wide.yaml", "-o", "f.xlsx"], 0, outputs={"f.xlsx"})
    book = openpyxl.load_workbook(scene.folder / "f.xlsx")
    rules = book.worksheets[0].data_validations.dataValidation
    assert {rule.type for rule in rules} == {"whole"}
    assert all(len(rule.formula1 or "") <= 255 for rule in rules)


def test_an_instrument_wider_than_a_worksheet_is_refused(scene: Scene) -> None:
    items = "\n".join(f"      - id: Q{n}\n        text:\n          en: Question {n}" for n in range(8_300))
    config = ("format_version: 1\ninstrument:\n  id: huge\n  name:\n    en: Huge\n  scale:\n    min: 1\n    max: 7\n"
              "dimensions:\n  - id: ALL\n    name:\n      en: All\n    items:\n" + items + "\n")
    scene.file("huge.yaml", config)
    scene.run(["form", "huge.yaml", "-o", "f.xlsx"], 1, names=["huge.yaml", "16,384"])


def test_option_values_echoed_by_the_parser_are_inert(scene: Scene) -> None:
    finished = subprocess.run([sys.executable, "-m", "servgap", "analyze", "d.csv", "-c", "c.yaml", "--test",
                               "\x1b]0;pwned\x07"], cwd=scene.folder, capture_output=True, timeout=60)
    assert finished.returncode == 2
    assert b"\x1b" not in finished.stderr and b"\x07" not in finished.stderr
    assert b"--test" in finished.stderr and b"Traceback" not in finished.stderr


def test_an_xml_entity_bomb_in_a_sheet_is_refused(scene: Scene) -> None:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {name} "{("&" + previous + ";") * 10}">' for previous, name in zip("abcdefgh", "bcdefghi",
                                                                                       strict=True))
    sheet = (f'<?xml version="1.0"?><!DOCTYPE x [{entities}]><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&i;</t></is></c></row>'
             "</sheetData></worksheet>").encode()
    source = zipfile.ZipFile(io.BytesIO(workbook(data_rows())))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, sheet if name == "xl/worksheets/sheet1.xml" else source.read(name))
    scene.file("laughs.xlsx", buffer.getvalue())
    scene.run(["analyze", "laughs.xlsx", "-c", "c.yaml"], 2, names=["laughs.xlsx", "damaged"])
