"""`tenderwatch notices`: list stored notices, set one aside (quarantine), bring it back, or remove it."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from storage.notices import NoticeNotFound, check_ref, find_notice
from storage.quarantine import list_notices, quarantine, release, remove
from tenderwatch.terminal import cell


def _ref(ctx, param, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_ref(value)
    except NoticeNotFound as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("notices")
@click.option("--quarantine", "to_quarantine", metavar="SOURCE:ID", callback=_ref,
              help="Set this notice aside: never tagged, counted nor exported until released.")
@click.option("--release", "to_release", metavar="SOURCE:ID", callback=_ref, help="Bring a quarantined notice back.")
@click.option("--remove", "to_remove", metavar="SOURCE:ID", callback=_ref,
              help="Delete this notice and everything attached to it (considerations, pictogram, override).")
@click.option("--reason", default="", help="Why (kept with a quarantine).")
@click.option("--source", help="List only this source (wildcard *, e.g. 'atexo:*').")
@click.option("--quarantined", is_flag=True, help="List only the quarantined notices.")
@click.option("--largest", is_flag=True, help="List the largest texts first (to find what to set aside).")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="Notices listed.")
@click.pass_obj
def notices(app, to_quarantine, to_release, to_remove, reason, source, quarantined, largest, limit) -> int:
    """List stored notices, or quarantine, release or remove one (SOURCE:ID).

    \b
    Examples:
      tenderwatch notices --largest --limit 10
      tenderwatch notices --quarantine import:export-3f2a9c0d1e --reason "200 MB export, not a notice"
      tenderwatch notices --quarantined
      tenderwatch notices --release import:export-3f2a9c0d1e
      tenderwatch notices --remove import:export-3f2a9c0d1e
    """
    actions = [(name, ref) for name, ref in (("quarantine", to_quarantine), ("release", to_release),
                                             ("remove", to_remove)) if ref]
    if len(actions) > 1:
        raise click.UsageError("give one of --quarantine, --release, --remove")
    if actions and (source or quarantined or largest):
        raise click.UsageError("--source, --quarantined and --largest list notices: not with an action")
    if actions:
        action, ref = actions[0]
        if action == "quarantine" and not reason.strip():
            raise click.UsageError("--reason is required: say why, for the next operator")
        with app.store().session() as session:
            try:
                row = find_notice(session, ref)
            except NoticeNotFound as exc:
                raise click.UsageError(str(exc)) from None
            name = f"{row.source}:{row.source_id}"
            if action == "quarantine":
                done = quarantine(session, row, reason.strip())
                click.echo(f"{name}: quarantined" if done else f"{name}: already quarantined")
            elif action == "release":
                done = release(session, row)
                click.echo(f"{name}: released (tagged by the next import, crawl or `tenderwatch classify`)" if done
                           else f"{name}: was not quarantined")
            else:
                remove(session, row)
                click.echo(f"{name}: removed")
        return 0
    with app.store().session() as session:
        lines = list_notices(session, source=source, quarantined=quarantined, largest=largest, limit=limit)
    table = Table(title="Avis")
    for name, justify in (("Avis", "left"), ("Titre", "left"), ("Publié", "left"), ("Caractères", "right"),
                          ("Quarantaine", "left")):
        table.add_column(name, justify=justify, overflow="fold")
    for line in lines:
        aside = f"{line.quarantined_at:%Y-%m-%d} {line.reason or ''}" if line.quarantined_at else ""
        table.add_row(cell(line.ref), cell(line.title[:60]), line.published or "", f"{line.characters:,}".replace(",", " "),
                      cell(aside))
    Console(width=160).print(table)
    return 0


COMMANDS = [notices]
