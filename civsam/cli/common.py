"""What the commands share: printing typed text safely, the user error, how a command is declared, and writing
a file that never follows a link."""

import datetime as dt
import os
import secrets
import sys
from pathlib import Path

import click

from civsam.typed_text import for_terminal

HELP = "visa den här hjälpen"


def say(text: str, file=None) -> None:
    """Print a line whose typed text (names, file names, comments) may hold control characters: each is shown
    as its escape, so ESC cannot recolour or rewrite the terminal."""
    print(for_terminal(text), file=file or sys.stdout)


class UserError(Exception):
    """Ends the command with exit code 2 and this Swedish message on stderr."""


def database_error(error: Exception) -> str:
    return (f"databasen svarar inte som väntat ({type(error).__name__}). Kontrollera CIVSAM_DATABASE_URL och att "
            "databasen går att nå.")


def command(name: str, description: str, example: str, details: str = "", **settings):
    """A command of `python -m civsam`: its help in Swedish, the description (listed by `--help`), any details
    and an example."""
    def declare(function):
        declared = click.help_option("-h", "--help", help=HELP)(function)
        return click.command(name, help=f"{description}\n\n{details}".strip(), short_help=description,
                             epilog=f"Exempel: {example}", **settings)(declared)
    return declare


def iso_date(context, parameter, text: str | None) -> dt.date | None:
    """An option's ISO date (click's callback), within the years civsam reads."""
    from civsam import periods

    if text is None:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text} är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2025-01-01") from None
    if not periods.in_range(day):
        raise click.BadParameter(f"{text} ligger utanför åren {periods.FIRST_YEAR}–{periods.LAST_YEAR}")
    return day


json_option = click.option("--json", "as_json", is_flag=True, help="skriv resultatet som JSON")


def write_file(path: Path, content: bytes, *, replace: bool) -> None:
    """Write a new file at `path`, never through a symbolic link. With `replace`, whatever `path` names (a file,
    a link) is replaced by the new file, renamed into place whole; without, a path that exists is refused with
    FileExistsError."""
    if not replace:
        _create(path, content)
        return
    written = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    _create(written, content)
    try:
        os.replace(written, path)
    except OSError:
        written.unlink()
        raise


def _create(path: Path, content: bytes) -> None:
    """A new file holding `content`; O_EXCL refuses any path that exists, a link too (even one to nowhere)."""
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666), "wb") as file:
        try:
            file.write(content)
        except OSError:
            path.unlink()
            raise
