"""Option callbacks shared by the commands."""

from __future__ import annotations

from datetime import date

import click


def iso_date(ctx, param, value: str | None) -> date | None:
    """A YYYY-MM-DD option value as a date; anything else is a usage error naming the value."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None
