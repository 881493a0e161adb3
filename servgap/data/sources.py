"""Where the bytes of an input come from: a regular file, standard input (``-``), a FIFO or a device.

A pipe can be read once only, and a device such as ``/dev/zero`` never ends. Every input that is not
a regular file is therefore read here exactly once, in chunks, up to a size cap, and the readers work
on the bytes kept in memory; a regular file is read by path (so that a large export is not held
twice). :class:`SourceTooLarge` and :class:`SourceUnreadable` carry the messages the reader turns
into refusals.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

#: The name that means standard input.
STDIN = "-"
#: The most bytes read from a pipe, standard input or a device (a regular file's size is known).
MAX_STREAM_BYTES = 1 << 30
#: The largest regular data file servgap reads (CSV or XLSX).
MAX_FILE_BYTES = 16 << 30
_CHUNK = 1 << 20


class SourceUnreadable(Exception):
    """The input cannot be read at all (missing, a folder, a socket, permission denied)."""


class SourceTooLarge(Exception):
    """The input is larger than servgap reads (or never ends)."""


@dataclass(frozen=True)
class Source:
    """An input: its name for messages, and its bytes when it is not a regular file."""

    path: Path
    regular: bool
    data: bytes | None = None

    @property
    def name(self) -> str:
        """The input as messages name it."""
        return "standard input" if str(self.path) == STDIN else str(self.path)

    def head(self, size: int) -> bytes:
        """The first ``size`` bytes (without consuming anything: streams are already in memory)."""
        if self.data is not None:
            return self.data[:size]
        with self.path.open("rb") as stream:
            return stream.read(size)

    def read_all(self) -> bytes:
        """Every byte of the input (a regular file is read now; a stream was read when opened)."""
        if self.data is not None:
            return self.data
        return self.path.read_bytes()


def open_source(path: Path, limit: int = MAX_STREAM_BYTES, file_limit: int = MAX_FILE_BYTES,
                stop_early: bytes | None = None) -> Source:
    """Resolve ``path`` into a :class:`Source`, reading pipes, standard input and devices once.

    Parameters
    ----------
    limit:
        The most bytes taken from a stream before it is refused as too large (or endless).
    file_limit:
        The largest regular file accepted.
    stop_early:
        When the first chunk of a stream starts with ``stop_early`` repeated (e.g. NUL bytes from
        ``/dev/zero``), stop reading at once: the caller refuses such content anyway.
    """
    if str(path) == STDIN:
        return Source(path, False, _read_stream(sys.stdin.buffer, limit, stop_early))
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SourceUnreadable("no such file; check the path") from None
    except (OSError, ValueError) as error:
        raise SourceUnreadable(f"cannot read the file: {getattr(error, 'strerror', None) or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise SourceUnreadable("is a folder, not a data file")
    if stat.S_ISREG(info.st_mode):
        if info.st_size > file_limit:
            raise SourceTooLarge(f"the file is {info.st_size / (1 << 30):.1f} GiB; servgap reads files up to "
                                 f"{file_limit >> 30} GiB (split it, or convert it to Parquet)")
        if not os.access(path, os.R_OK):
            raise SourceUnreadable("cannot read the file: permission denied")
        return Source(path, True)
    if not (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
        raise SourceUnreadable("is not a file servgap can read (a socket or a block device)")
    try:
        with path.open("rb") as stream:
            return Source(path, False, _read_stream(stream, limit, stop_early))
    except OSError as error:
        raise SourceUnreadable(f"cannot read the file: {error.strerror or error}") from None


def _read_stream(stream: object, limit: int, stop_early: bytes | None) -> bytes:
    chunks: list[bytes] = []
    total = 0
    read = stream.read  # type: ignore[attr-defined]
    while True:
        chunk = read(_CHUNK)
        if not chunk:
            break
        if not chunks and stop_early and chunk.startswith(stop_early * 64):
            return bytes(chunk)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise SourceTooLarge(f"more than {limit >> 20} MiB came from this stream without an end; servgap reads "
                                 f"at most {limit >> 20} MiB from a pipe or device (save the data to a file)")
    return b"".join(chunks)
