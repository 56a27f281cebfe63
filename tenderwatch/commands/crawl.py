"""`tenderwatch crawl SPIDER`: harvest one source into the store; `--list` shows spiders and platforms."""

from __future__ import annotations

import click

from crawler.spiders.base import SpiderArgumentError
from storage import runs


def _key_values(values: tuple[str, ...], option: str = "-a") -> dict:
    out = {}
    for value in values:
        if "=" not in value:
            raise click.BadParameter(f"{value!r} is not {'NAME' if option == '-s' else 'KEY'}=VALUE", param_hint=option)
        key, _, val = value.partition("=")
        out[key.strip()] = val.strip()
    return out


@click.command("crawl")
@click.argument("spider", required=False)
@click.option("--since", help="Only notices published from this date (YYYY-MM-DD). Default: the last successful run.")
@click.option("--until", help="Only notices published up to this date (YYYY-MM-DD).")
@click.option("-a", "arguments", multiple=True, metavar="KEY=VALUE", help="Spider argument (repeatable), e.g. -a platform=demat-ampa.")
@click.option("-s", "settings", multiple=True, metavar="NAME=VALUE", help="Scrapy setting (repeatable).")
@click.option("--list", "list_", is_flag=True, help="List the spiders and the Atexo platforms of the registry.")
@click.option("--scrapyd", metavar="URL", help="Schedule the crawl on this Scrapyd node (sharing the PostgreSQL "
              "store) instead of running it here.")
@click.option("--scrapyd-project", default="tenderwatch", show_default=True, metavar="NAME",
              help="The project deployed on the Scrapyd node (scrapy.cfg [deploy]).")
@click.pass_obj
def crawl(app, spider, since, until, arguments, settings, list_, scrapyd, scrapyd_project) -> int:
    """Crawl SPIDER (boamp, ted, atexo, decp) into the store, then tag what is new or changed.

    \b
    Examples:
      tenderwatch crawl atexo -a platform=demat-ampa
      tenderwatch crawl boamp --since 2026-11-01
      tenderwatch crawl ted -a base_url=http://127.0.0.1:8000
      tenderwatch crawl boamp --scrapyd http://crawler-1:6800
    """
    from tenderwatch.crawling import check_arguments, run_crawl, spider_names

    if list_:
        from crawler.platforms import load_platforms

        click.echo("spiders: " + ", ".join(spider_names()))
        click.echo("atexo platforms (-a platform=KEY):")
        for key, platform in sorted(load_platforms().items()):
            click.echo(f"  {key:28} {platform.region or '-':28} {platform.base_url}")
        return 0
    if not spider:
        raise click.UsageError("missing SPIDER (or --list)")
    args = _key_values(arguments)
    overrides = _key_values(settings, "-s")
    if since:
        args["since"] = since
    if until:
        args["until"] = until
    try:
        check_arguments(spider, args)
    except SpiderArgumentError as exc:
        raise click.UsageError(str(exc)) from None
    store = app.store()  # brings the schema up to date before Scrapy starts
    if scrapyd:
        return _schedule_on(scrapyd, scrapyd_project, spider, args, overrides, app.db_url)
    result = run_crawl(app.db_url, spider, args, overrides)
    run = runs.latest_run(store)
    if run is not None:
        click.echo(f"run {run.id} {run.spider}: {run.status}; counts {run.counts}; errors {run.errors or 'none'}")
    return 0 if result.finish_reason == "finished" and (run is None or run.status == runs.SUCCEEDED) else 1


def _schedule_on(url: str, project: str, spider: str, args: dict, settings: dict, db_url: str) -> int:
    """POST schedule.json to the Scrapyd node at `url`: the crawl writes into the store at `db_url`."""
    from sqlalchemy.engine import make_url

    from tenderwatch.ops.scrapyd import ScrapydError, ScrapydNode

    if make_url(db_url).get_backend_name() == "sqlite":
        click.echo("tenderwatch: warning: the store is a SQLite file; a Scrapyd node elsewhere cannot reach it "
                   "(use a shared PostgreSQL URL)", err=True)
    node = ScrapydNode(url)
    try:
        job_id = node.schedule(project, spider, args, {**settings, "TENDERWATCH_DATABASE_URL": db_url})
    except ScrapydError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"scheduled {spider} on {node.url}: job {job_id}")
    return 0


COMMANDS = [crawl]
