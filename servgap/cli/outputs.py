"""Every file servgap writes goes through here: an output is complete or absent, and never an input.

A command declares its inputs and outputs before it does any work (:class:`OutputPlan`). Each
output path is checked then — a folder, a missing or read-only folder, a name the file system
refuses, a block device, a dangling link, or the same file as one of the run's inputs (through
symbolic and hard links alike) ends the run with exit 2 before anything is written. When the work is
done, every regular-file output is written to a temporary file beside it and, once all of them are
complete, renamed into place; a failure while writing (a full disk) removes the temporary files and
leaves any existing file untouched. Character devices and FIFOs (``/dev/null``, ``/dev/stdout``,
a pipe) are written directly, never renamed over, and ``-`` means standard output.

Temporary files are registered the moment they are created, with SIGINT and SIGTERM held back
until the registration is done, so an interrupt at any point leaves none behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from servgap.errors import ExitCode, UserError
from servgap.render.inert import inert_path

if TYPE_CHECKING:
    from servgap.checks.config import ConfigLoad

#: The name that means standard output (and, for inputs, standard input).
STDIO = "-"

_PENDING_TEMPORARIES: set[str] = set()
_SIGNALS = {signal.SIGINT, signal.SIGTERM}
# Paths that name one of this process's own file descriptors: written through, never replaced.
_DESCRIPTOR_PREFIXES = ("/dev/fd/", "/proc/self/fd/", "/dev/stderr")


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the same clean-up runs (exit 143 instead of 130)."""


def install_signal_handlers() -> None:
    """Make SIGTERM behave like Ctrl-C: unwind, remove temporary files, exit 143."""

    def on_sigterm(signum: int, frame: object) -> None:
        raise Terminated()

    with contextlib.suppress(ValueError):  # not the main thread (e.g. inside a test runner's worker)
        signal.signal(signal.SIGTERM, on_sigterm)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for a few statements (they are delivered afterwards)."""
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    except (AttributeError, ValueError, OSError):  # pragma: no cover - platforms without sigmask
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def remove_pending_temporaries() -> None:
    """Remove every temporary output file not yet renamed into place (on any abnormal exit)."""
    for name in list(_PENDING_TEMPORARIES):
        with contextlib.suppress(OSError):
            os.unlink(name)
        _PENDING_TEMPORARIES.discard(name)


class OutputKind(StrEnum):
    """How an output is written: to standard output, directly to a device, or through a temporary file."""

    stdout = "stdout"
    device = "device"  # a character device or FIFO: written directly
    regular = "regular"  # a regular file (new or existing): temporary file, then rename


@dataclass(frozen=True)
class Output:
    """One checked output: what the user named (for messages), and where and how to write it."""

    option: str
    shown: str
    kind: OutputKind
    target: Path | None  # the file to create or replace (symbolic links resolved), or the device


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


class OutputPlan:
    """The outputs of one run, checked before any work and written together at the end.

    Parameters
    ----------
    inputs:
        Every file the run reads (data, config, factor set, managers, audits, staff, standards,
        promises, a template): no output may be one of them. ``None`` and ``-`` entries are skipped.
    """

    def __init__(self, inputs: Iterable[Path | str | None]) -> None:
        self.inputs: dict[tuple[int, int], str] = {}
        for entry in inputs:
            if entry is None or str(entry) == STDIO:
                continue
            identity = _identity(Path(entry))
            if identity is not None:
                self.inputs.setdefault(identity, str(entry))
        self.outputs: list[Output] = []

    def add_input(self, path: Path | str | None) -> None:
        """Declare one more input found after the plan was made (e.g. a config's factor-set file)."""
        if path is None or str(path) == STDIO:
            return
        identity = _identity(Path(path))
        if identity is not None:
            self.inputs.setdefault(identity, str(path))
        for output in self.outputs:
            if output.target is not None and _identity(output.target) == identity:
                raise self._same_as_input(output.option, output.shown, str(path))

    def _same_as_input(self, option: str, shown: str, source: str) -> UserError:
        return UserError(f"{option} {inert_path(shown)}: that is the input file {inert_path(source)}; servgap "
                         "never writes over an input — choose another output name", ExitCode.USAGE)

    def add(self, option: str, path: Path | str | None, *, follow_links: bool = True,
            allow_stdout: bool = True, suffixes: tuple[str, ...] = (), overwrite: bool = True) -> Output:
        """Check one output path now (exit 2 naming it when it cannot be written); ``None`` or ``-``
        is standard output.

        Parameters
        ----------
        follow_links:
            False refuses a symbolic link (``init`` never writes through one).
        suffixes:
            The endings the file must have (e.g. ``(".xlsx",)``); empty accepts any.
        overwrite:
            False refuses an existing file (commands with a ``--force`` option pass ``force``).
        """
        if path is None or str(path) == STDIO:
            if not allow_stdout:
                raise UserError(f"{option} -: this output must be a file", ExitCode.USAGE)
            output = Output(option, STDIO, OutputKind.stdout, None)
            if any(o.kind is OutputKind.stdout for o in self.outputs):
                raise UserError(f"{option} -: another output of this run already goes to standard output; "
                                "name a file", ExitCode.USAGE)
            self.outputs.append(output)
            return output
        output = self._check(option, Path(path), follow_links, overwrite)  # an input is named as such first
        if suffixes and Path(path).suffix.lower() not in suffixes:
            raise UserError(f"{option} {inert_path(path)}: name the file with a {' or '.join(suffixes)} ending",
                            ExitCode.USAGE)
        for earlier in self.outputs:
            if earlier.target is not None and output.target is not None and (
                    earlier.target == output.target or (_identity(earlier.target) is not None
                                                        and _identity(earlier.target) == _identity(output.target))):
                raise UserError(f"{option} {inert_path(path)}: {earlier.option} already writes that file; give "
                                "each output its own name", ExitCode.USAGE)
        self.outputs.append(output)
        return output

    def _check(self, option: str, path: Path, follow_links: bool, overwrite: bool) -> Output:
        shown = str(path)
        name = f"{option} {inert_path(shown)}"
        text = str(path)
        if text == "/dev/stdout" or text in ("/dev/fd/1", "/proc/self/fd/1"):
            return Output(option, shown, OutputKind.stdout, None)
        try:
            link = path.is_symlink()
        except OSError as error:
            raise UserError(f"{name}: cannot use this path ({error.strerror or error})", ExitCode.USAGE) from None
        if link and not follow_links:
            raise UserError(f"{name} is a symbolic link; servgap does not write through links here — remove it "
                            "or choose another name", ExitCode.USAGE)
        try:
            info = path.stat()
        except FileNotFoundError:
            info = None
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise UserError(f"{name}: cannot use this path ({reason})", ExitCode.USAGE) from None
        if info is None and link:
            raise UserError(f"{name} is a symbolic link to a file that does not exist; remove the link or "
                            "choose another name", ExitCode.USAGE)
        if info is not None:
            if (info.st_dev, info.st_ino) in self.inputs:
                raise self._same_as_input(option, shown, self.inputs[(info.st_dev, info.st_ino)])
            if stat.S_ISDIR(info.st_mode):
                raise UserError(f"{name} is a folder; name a file inside it", ExitCode.USAGE)
            if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode) or text.startswith(_DESCRIPTOR_PREFIXES):
                return Output(option, shown, OutputKind.device, path)
            if not stat.S_ISREG(info.st_mode):
                raise UserError(f"{name} is not a regular file (a socket or a block device); name a file",
                                ExitCode.USAGE)
            if not overwrite:
                raise UserError(f"{name} already exists; choose another name or add --force to overwrite it",
                                ExitCode.USAGE)
            if not os.access(path, os.W_OK):
                raise UserError(f"{name} is read-only; make it writable or choose another name", ExitCode.USAGE)
        target = path.resolve() if link else path.absolute()
        folder = target.parent
        if not folder.is_dir():
            raise UserError(f"{name}: the folder {inert_path(folder)} does not exist; create it first",
                            ExitCode.USAGE)
        try:  # the real test of writability: the file system, not permission bits, decides
            with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{target.name}.", suffix=".tmp"):
                pass
        except OSError as error:
            raise UserError(f"{name}: cannot write in {inert_path(folder)} ({error.strerror or error})",
                            ExitCode.USAGE) from None
        return Output(option, shown, OutputKind.regular, target)

    def write(self, contents: dict[Output, object]) -> None:
        """Write every output: files first (all complete before any is renamed into place), then
        standard output. A write that fails removes every temporary file and raises exit 2."""
        staged: list[tuple[Output, str]] = []
        try:
            for output, content in contents.items():
                if output.kind is OutputKind.regular:
                    staged.append((output, _stage(output, _as_bytes(content))))
            for output, content in contents.items():
                if output.kind is OutputKind.device:
                    _write_device(output, _as_bytes(content))
            for output, temporary in staged:
                assert output.target is not None
                with _signals_held():
                    os.replace(temporary, output.target)
                    _PENDING_TEMPORARIES.discard(temporary)
        except OSError as error:
            for _, temporary in staged:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                _PENDING_TEMPORARIES.discard(temporary)
            failed = getattr(error, "servgap_output", None)
            where = f"{failed.option} {inert_path(failed.shown)}" if failed else "an output"
            raise UserError(f"{where}: cannot write ({error.strerror or error}); nothing was written",
                            ExitCode.USAGE) from None
        for output, content in contents.items():
            if output.kind is OutputKind.stdout:
                _write_stdout(content)
        for output in contents:
            if output.kind is not OutputKind.stdout:
                sys.stderr.write(f"wrote {inert_path(output.shown)}\n")


def _as_bytes(content: object) -> bytes:
    if isinstance(content, bytes):
        return content
    if not isinstance(content, str):  # a Rich renderable, written to a file as plain text
        from servgap.render.terminal import plain_text

        content = plain_text(content)  # type: ignore[arg-type]
    return str(content).encode("utf-8", errors="backslashreplace")


def _stage(output: Output, data: bytes) -> str:
    assert output.target is not None
    folder = output.target.parent
    try:
        with _signals_held():
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{output.target.name}.", suffix=".tmp")
            _PENDING_TEMPORARIES.add(temporary)
    except OSError as error:
        error.servgap_output = output  # type: ignore[attr-defined]
        raise
    try:
        # mkstemp creates the file private (0600); give it the permissions a normal write would, and
        # keep an existing file's permissions.
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
        with contextlib.suppress(OSError):
            mode = stat.S_IMODE(output.target.stat().st_mode)
        os.chmod(temporary, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as error:
        error.servgap_output = output  # type: ignore[attr-defined]
        raise
    return temporary


def _write_device(output: Output, data: bytes) -> None:
    assert output.target is not None
    try:
        # O_NONBLOCK: a FIFO with no reader fails at once (ENXIO) instead of hanging; no O_TRUNC: a
        # descriptor path (/dev/fd/N) redirected to a file keeps what was written before.
        descriptor = os.open(output.target, os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
    except OSError as error:
        error.servgap_output = output  # type: ignore[attr-defined]
        raise


def _write_stdout(content: object) -> None:
    if not isinstance(content, str | bytes):  # a Rich renderable: colour only on a terminal
        from rich.console import Console

        Console(file=sys.stdout, highlight=False).print(content)
        return
    if isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(content)
        sys.stdout.flush()


def open_run(**inputs: Path | None) -> OutputPlan:
    """The output plan of a run with these named inputs (at most one of them standard input)."""
    from servgap.analysis.options import check_standard_input

    check_standard_input(**inputs)
    return OutputPlan(inputs.values())


def protect_dataset_files(plan: OutputPlan, *data: Path | None) -> None:
    """Declare each file of a folder or glob pattern given as data an input of the run, so that no
    output can replace one of them."""
    from servgap.data.collection import dataset_files

    for argument in data:
        for path in (dataset_files(argument) if argument is not None else None) or []:
            plan.add_input(path)


def load_run_config(plan: OutputPlan, path: Path) -> ConfigLoad:
    """Load the run's config (refusing it with its findings) and declare the files it reads besides
    itself — a factor-set file — as inputs too, so that no output of the run can replace them."""
    from servgap.analysis.pipeline import load_valid

    loaded = load_valid(path)
    factors = loaded.config.management.factors if loaded.config is not None else None
    if isinstance(factors, str) and factors.endswith((".yaml", ".yml")):
        plan.add_input(path.parent / factors)
    return loaded
