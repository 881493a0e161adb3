"""What every command shares: turning user errors into clean messages and exit codes."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import typer

from servgap.core.errors import ExitCode, UserError

if TYPE_CHECKING:
    from rich.console import RenderableType

P = ParamSpec("P")
R = TypeVar("R")


def err(message: str) -> None:
    """Write a line to stderr (never stdout, which carries only the payload)."""
    sys.stderr.write(message + "\n")


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Run a command, turning a :class:`UserError` into its message and exit code, and a bug into exit 3."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except UserError as error:
            err(f"error: {error.message}")
            for line in error.details:
                err(f"  {line}")
            raise typer.Exit(int(error.exit_code)) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            err(f"internal error: {type(error).__name__}: {error}")
            err("This is a bug in servgap, not in your files. Please report it with the command you ran.")
            if os.environ.get("SERVGAP_DEBUG"):
                raise
            raise typer.Exit(int(ExitCode.INTERNAL)) from None

    return wrapper


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder, then rename.

    A failed or interrupted run therefore never leaves a half-written or empty output file.
    """
    folder = path.resolve().parent
    if not folder.is_dir():
        raise UserError(f"{path}: the folder {folder.name or folder} does not exist; create it first",
                        ExitCode.USAGE)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp creates the file private (0600); give it the permissions a normal write would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def emit(payload: str, output: Path | None) -> None:
    """Send a rendered payload to ``output`` (atomically) or to stdout."""
    if output is None:
        sys.stdout.write(payload)
        sys.stdout.flush()
    else:
        write_atomically(output, payload)
        err(f"wrote {output}")


def emit_rich(renderable: RenderableType, output: Path | None) -> None:
    """Print a Rich renderable to the terminal, or write it as plain text to ``output`` (atomically)."""
    from rich.console import Console

    from servgap.render.terminal import plain_text

    if output is None:
        Console(file=sys.stdout, highlight=False).print(renderable)
    else:
        emit(plain_text(renderable), output)
