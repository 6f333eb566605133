"""Command-line option parsing shared by every `polevents` command."""

from __future__ import annotations

from datetime import date

import click


def date_option(_ctx: click.Context | None, _param: click.Parameter | None, value: str | None) -> date | None:
    """A click callback for YYYY-MM-DD options, with a message a person can act on."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD (e.g. 2012-06-06)") from None
