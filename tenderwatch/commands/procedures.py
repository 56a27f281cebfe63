"""`tenderwatch procedures`: how the stored notices are linked into procedures; `--relink` redoes them all."""

from __future__ import annotations

import click

from models.safe import printable
from storage.procedures import relink, summary


@click.command("procedures")
@click.option("--relink", "relink_", is_flag=True, help="Recompute every procedure from the stored keys first.")
@click.pass_obj
def procedures(app, relink_) -> int:
    """The notices linked into procedures (README: the rule), with the links by kind of key and by sources.

    \b
    Examples:
      tenderwatch procedures
      tenderwatch procedures --relink
    """
    with app.store().session() as session:
        if relink_:
            click.echo(f"relinked: {relink(session)} notice(s) changed procedure")
        s = summary(session)
    click.echo(f"notices: {s.notices}; procedures: {s.procedures} "
               f"({s.linked_procedures} of two notices or more, holding {s.linked_notices} notices)")
    click.echo("links (pairs of notices sharing a key), by kind of key: "
               + (", ".join(f"{k} {v}" for k, v in sorted(s.links_by_kind.items())) or "none"))
    click.echo("shared keys, by kind: " + (", ".join(f"{k} {v}" for k, v in sorted(s.keys_by_kind.items())) or "none"))
    click.echo("links by sources: " + (", ".join(printable(f"{k} {v}") for k, v in sorted(s.links_by_sources.items()))
                                       or "none"))
    return 0


COMMANDS = [procedures]
