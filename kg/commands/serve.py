"""Commands that share the graph: serve (a SPARQL endpoint) and push (to an external store)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.commands.common import store_option


@click.command("serve")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (localhost by default; 0.0.0.0 exposes the endpoint).")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update and Graph Store writes (read-only without it).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, help="Per-query time limit in seconds (HTTP 503 beyond it).")
@click.option("--max-results", type=click.IntRange(min=0), default=10_000, show_default=True, help="Largest result accepted, in solutions or triples (HTTP 422 beyond it; 0 = no limit).")
@click.option("-v", "--verbose", is_flag=True, help="Log every request to stderr.")
def serve_command(store_path: Path, host: str, port: int, allow_update: bool, timeout: float, max_results: int, verbose: bool) -> None:
    """Serve the store as a SPARQL 1.1 Protocol endpoint (http://HOST:PORT/query).

    GET and POST queries with content negotiation (SPARQL JSON/XML/CSV/TSV results; Turtle,
    N-Triples, JSON-LD graphs). The default graph is the union of all named graphs.
    Runs until Ctrl-C.
    """
    from kg.server import ServerError, ServeSettings, serve

    settings = ServeSettings(Path(store_path), host, port, allow_update, timeout, max_results)

    def ready(server: object) -> None:
        setattr(server, "verbose", verbose)
        mode = "read-write" if allow_update else "read-only"
        click.echo(f"SPARQL endpoint ({mode}) on http://{host}:{port}/query  (store {store_path}; "
                   f"timeout {timeout:g} s, max {max_results or 'unlimited'} results). Ctrl-C stops.", err=True)
        sys.stderr.flush()

    try:
        serve(settings, ready=ready)
    except ServerError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("push")
@store_option
@click.option("--endpoint", help="SPARQL 1.1 Update endpoint of the remote store (e.g. http://host:3030/ds/update).")
@click.option("--graph-store", help="SPARQL 1.1 Graph Store Protocol URL (e.g. http://host:7878/store); used instead of Update when given.")
@click.option("--batch", type=click.IntRange(min=1), default=5000, show_default=True, help="Triples per INSERT DATA request (Update only).")
@click.option("--user", envvar="KG_PUSH_USER", help="user:password for HTTP basic auth (env KG_PUSH_USER).")
def push_command(store_path: Path, endpoint: str | None, graph_store: str | None, batch: int, user: str | None) -> None:
    """Load the graph into an external SPARQL store, keeping its named graphs (a re-push replaces them)."""
    from kg.push import PushError, push
    from kg.rdf.store import StoreError

    try:
        report = push(Path(store_path), endpoint, graph_store, batch=batch, auth=user, progress=sys.stderr.isatty())
    except (PushError, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    target = graph_store or endpoint
    click.echo(f"pushed {report.graphs} named graphs ({report.triples} triples, {report.requests} requests) to {target}")


COMMANDS: list[click.Command] = [serve_command, push_command]
