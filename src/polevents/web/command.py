"""`polevents serve`: the JSON API and the dashboard on this machine (registered in cli.py)."""

from __future__ import annotations

import ipaddress

import click

from polevents.store.commands import DB_OPTION


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable only from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default serves this machine only; 0.0.0.0 serves the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]),
              default="info", show_default=True)
def serve(db_path: str, host: str, port: int, log_level: str) -> None:
    """Serve the database as a JSON API and a dashboard, read-only, at http://HOST:PORT/.

    The API's schema is at /openapi.json. DuckDB lets one process write a database file
    or several read it: stop the server before ingesting into the same file.

    \b
    Examples:
      polevents serve --db world.duckdb
      polevents serve --db world.duckdb --port 8080
    """
    import uvicorn

    from polevents.store.db import StoreError
    from polevents.web.app import LOOPBACK_HOSTS, create_app

    loopback = is_loopback(host)
    try:
        app = create_app(db_path, allowed_hosts=[*LOOPBACK_HOSTS, host.strip("[]")] if loopback else None)
    except StoreError as error:
        raise click.ClickException(str(error)) from None
    if not loopback:
        click.echo(f"polevents: serving on {host}: anyone who can reach this machine can read the database",
                   err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"polevents: dashboard at http://{shown}:{port}/ (API schema at /openapi.json); Ctrl-C stops",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)
