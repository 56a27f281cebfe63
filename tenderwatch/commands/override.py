"""`tenderwatch override SOURCE:ID`: an operator's decision on a pictogram, which no re-run changes."""

from __future__ import annotations

import getpass

import click

from storage.notices import NoticeNotFound, find_notice
from storage.overrides import OverrideError, clear_override, set_override
from models import config

YES_NO = click.Choice(["yes", "no"])


@click.command("override")
@click.argument("notice")
@click.option("--social", type=YES_NO, help="Show (yes) or hide (no) the social pictogram.")
@click.option("--environmental", type=YES_NO, help="Show (yes) or hide (no) the environmental pictogram.")
@click.option(
    "--lever",
    "levers",
    multiple=True,
    metavar="DIMENSION:LEVER",
    help="Lever shown, e.g. social:reservation (repeatable).",
)
@click.option("--reason", default="", help="Why (kept with the decision).")
@click.option("--author", default=None, help="Who decides (default: the current user).")
@click.option(
    "--clear", is_flag=True, help="Remove the decision: the pictogram follows the considerations again."
)
@click.pass_obj
def override(app, notice, social, environmental, levers, reason, author, clear) -> int:
    """Record an operator's decision on NOTICE (SOURCE:ID) that no re-run changes.

    \b
    Examples:
      tenderwatch override boamp:26-80978 --social yes --lever social:reservation --reason "ESAT, lot 2"
      tenderwatch override boamp:26-80978 --clear
    """
    store = app.store()
    threshold = config.detection_threshold()
    try:
        with store.session() as session:
            row = find_notice(session, notice)
            if clear:
                removed = clear_override(session, row, threshold, author or getpass.getuser(), reason)
                click.echo(f"{notice}: decision removed" if removed else f"{notice}: there was no decision")
                return 0
            set_override(
                session,
                row,
                None if social is None else social == "yes",
                None if environmental is None else environmental == "yes",
                list(levers),
                reason,
                author or getpass.getuser(),
                threshold,
            )
    except (OverrideError, NoticeNotFound) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{notice}: decision recorded")
    return 0


COMMANDS = [override]
