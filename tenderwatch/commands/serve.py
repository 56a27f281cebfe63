"""`tenderwatch serve`: the web face (JSON API, French pages, the operators' review queue) on the store."""

from __future__ import annotations

import click

from tenderwatch.web.settings import ENV_OPERATOR_TOKEN, SettingsError, WebSettings


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free).")
@click.option("--root-path", default="", help="The path prefix a reverse proxy serves the application under.")
@click.option("--proxy-headers/--no-proxy-headers", default=False, show_default=True,
              help="Trust X-Forwarded-For / -Proto from --forwarded-allow-ips (behind a reverse proxy).")
@click.option("--forwarded-allow-ips", default="127.0.0.1", show_default=True,
              help="Proxies whose X-Forwarded-* headers are trusted.")
@click.pass_obj
def serve(app, host, port, root_path, proxy_headers, forwarded_allow_ips) -> int:
    """Serve the JSON API (/api, documented at /api/docs), the dashboard, the notice pages and the review queue.

    \b
    Operators sign in with a token from $TENDERWATCH_OPERATOR_TOKEN ("TOKEN", or "alice:TOKEN1,bob:TOKEN2").
    Examples:
      tenderwatch serve
      TENDERWATCH_OPERATOR_TOKEN=alice:$(openssl rand -hex 16) tenderwatch serve --port 8080
      tenderwatch serve --proxy-headers --root-path /tenderwatch
    """
    import uvicorn

    from tenderwatch.web import create_app

    try:
        settings = WebSettings.from_env()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None
    store = app.store()
    if not settings.operators:
        click.echo(f"no {ENV_OPERATOR_TOKEN}: the review queue and POST /api/overrides refuse every write", err=True)
    click.echo(f"store: {store.display_url()}")
    click.echo(f"serving on http://{host}:{port}{root_path}/ (API docs at {root_path}/api/docs)")
    uvicorn.run(create_app(store, settings), host=host, port=port, root_path=root_path, proxy_headers=proxy_headers,
                forwarded_allow_ips=forwarded_allow_ips, log_level="info")
    return 0


COMMANDS = [serve]
