"""The `servgap` command: one Typer app, one module per command."""

from __future__ import annotations

import contextlib
import io
import sys

import typer

from servgap.cli.analyze import analyze, checklist, demo
from servgap.cli.check import check
from servgap.cli.compare import compare
from servgap.cli.form import form
from servgap.cli.library import init, rules, schema, templates
from servgap.cli.outputs import Terminated, install_signal_handlers, remove_pending_temporaries
from servgap.cli.simulate import simulate
from servgap.render.inert import inert
from servgap.version import __version__

app = typer.Typer(
    name="servgap",
    help="Service-quality gap analysis with SERVQUAL. Gap = P − E: negative means a shortfall.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"servgap {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Service-quality gap analysis with SERVQUAL."""


app.command("analyze")(analyze)
app.command("demo")(demo)
app.command("checklist")(checklist)
app.command("compare")(compare)
app.command("form")(form)
app.command("check")(check)
app.command("simulate")(simulate)
app.command("rules")(rules)
app.command("schema")(schema)
app.command("templates")(templates)
app.command("init")(init)


def main() -> None:
    """Console-script entry point."""
    install_signal_handlers()
    for stream in (sys.stdout, sys.stderr):
        # A terminal or pipe whose encoding cannot show a character gets an escape, never a crash.
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        result = typer.main.get_command(app).main(prog_name="servgap", standalone_mode=False)
    except typer.Abort:
        remove_pending_temporaries()
        raise SystemExit(130) from None
    except KeyboardInterrupt:  # before a command started (while Python imported or Click parsed)
        remove_pending_temporaries()
        raise SystemExit(143 if isinstance(sys.exc_info()[1], Terminated) else 130) from None
    except Exception as error:
        # A usage error from Click (bad option value, unknown option), which echoes what was typed
        # verbatim: shown inert like every other message. (Typer ships its own copy of Click, so the
        # class is recognised by what it can do, not by its import path.)
        show, exit_code = getattr(error, "show", None), getattr(error, "exit_code", None)
        if not callable(show) or not isinstance(exit_code, int):
            raise
        shown = io.StringIO()
        show(file=shown)
        sys.stderr.write(inert(shown.getvalue()))
        raise SystemExit(exit_code) from None
    raise SystemExit(result if isinstance(result, int) else 0)
