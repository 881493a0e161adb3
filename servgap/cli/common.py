"""What every command shares: turning user errors into clean messages and exit codes."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from servgap.cli.outputs import Terminated, remove_pending_temporaries
from servgap.errors import ExitCode, UserError

P = ParamSpec("P")
R = TypeVar("R")


def err(message: str) -> None:
    """Write a message to stderr (never stdout, which carries only the payload), every line inert:
    text from files (cell values, headers, file names) cannot drive the terminal."""
    from servgap.render.inert import inert

    sys.stderr.write(inert(message) + "\n")
    sys.stderr.flush()


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Run a command, turning a :class:`UserError` into its message and exit code, Ctrl-C and SIGTERM
    into exits 130 and 143, a closed output pipe into a quiet exit, and a bug into exit 3. Any
    temporary output file is removed on every path out."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except UserError as error:
            remove_pending_temporaries()
            err(f"error: {error.message}")
            for line in error.details:
                err(f"  {line}")
            raise typer.Exit(int(error.exit_code)) from None
        except (typer.Exit, typer.Abort):
            remove_pending_temporaries()
            raise
        except Terminated:
            remove_pending_temporaries()
            err("stopped (SIGTERM); nothing was written")
            raise typer.Exit(143) from None
        except KeyboardInterrupt:
            remove_pending_temporaries()
            err("interrupted; nothing was written")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # The reader of our output went away (`servgap rules | head -1`): stop quietly, as Unix
            # tools do, and keep Python from complaining while it flushes stdout at exit.
            remove_pending_temporaries()
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except MemoryError:
            remove_pending_temporaries()
            err("error: not enough memory for this file; servgap needs about as much memory as the columns "
                "the config uses take as numbers")
            raise typer.Exit(int(ExitCode.USAGE)) from None
        except Exception as error:
            remove_pending_temporaries()
            err(f"internal error: {type(error).__name__}: {error}")
            err("This is a bug in servgap, not in your files. Please report it with the command you ran.")
            if os.environ.get("SERVGAP_DEBUG"):
                raise
            raise typer.Exit(int(ExitCode.INTERNAL)) from None

    return wrapper


def report_language(language: str | None, declared: list[str]) -> str:
    """The report language: ``language`` (default: the instrument's first) if servgap has its words or
    the instrument declares it, else a usage error listing the choices (exit 2)."""
    from servgap.render.labels import LABELS

    chosen = language or declared[0]
    if chosen not in LABELS and chosen not in declared:
        choices = ", ".join(sorted(set(LABELS) | set(declared)))
        raise UserError(f"--lang {chosen}: choose one of {choices}", ExitCode.USAGE)
    return chosen
