"""Commands of the graph backbone: build, stats, export, validate.

Each command only parses options, calls kg.build / kg.export / kg.validate
and prints; store problems (missing, locked) become one-line errors.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kg.commands.common import store_option
from kg.rdf.store import StoreError, open_store

EXPORT_FORMATS = ("turtle", "nt", "jsonld", "graphml", "csv")


@click.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--reextract", is_flag=True, help="Run the pipeline again even for documents in the extraction cache.")
@click.option("--prune", is_flag=True, help="Remove documents from the store that are not under PATHS.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
def build_command(paths: tuple[Path, ...], store_path: Path, reextract: bool, prune: bool, quiet: bool) -> None:
    """Extract documents from PATHS (files or directories) and load them into the store.

    Incremental: unchanged documents are taken from the extraction cache and
    their graphs are left alone; a changed document's facts are replaced.
    Each document is written in one transaction, so an interrupted build can
    simply be run again.
    """
    from kg.build import BuildError, build

    try:
        report = build(list(paths), store_path, progress=not quiet, reextract=reextract, prune=prune)
    except (StoreError, BuildError) as exc:
        raise click.ClickException(str(exc)) from None
    for problem in report.skipped:
        click.echo(f"skipped {problem}", err=True)
    click.echo(report.summary())
    if report.relations_dropped:
        click.echo(f"{report.relations_dropped} relations not stored: their type does not fit the entity labels")
    if report.skipped:
        click.echo(report.skipped_summary(), err=True)


@click.command("stats")
@store_option
def stats_command(store_path: Path) -> None:
    """Print counts by class and by relation type, documents and triples."""
    from kg.rdf.store import store_stats

    try:
        with open_store(store_path, read_only=True) as store:
            stats = store_stats(store)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(stats.render())


@click.command("export")
@click.option("--format", "-f", "fmt", type=click.Choice(EXPORT_FORMATS), default="turtle", show_default=True,
              help="turtle/nt/jsonld: all triples; graphml/csv: the entity network (nodes with type and label).")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Output file (csv: a directory, or NAME.csv for NAME-nodes.csv and NAME-edges.csv). Default: stdout.")
@store_option
def export_command(fmt: str, output: Path | None, store_path: Path) -> None:
    """Write the graph in another format (GraphML for Gephi)."""
    from kg.export import ExportError, exporter_for

    try:
        with open_store(store_path, read_only=True) as store:
            written = exporter_for(fmt, store).export(output)
    except BrokenPipeError:  # e.g. `kg export | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    except (StoreError, ExportError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    for path in written:
        click.echo(f"wrote {path}", err=True)


@click.command("validate")
@store_option
@click.option("--quiet", "-q", is_flag=True, help="Only the verdict, not pySHACL's report.")
def validate_command(store_path: Path, quiet: bool) -> None:
    """Check the store against ontology/shapes.ttl (SHACL); exit code 1 when it does not conform."""
    from kg.validate import validate_store

    try:
        result = validate_store(store_path)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    if result.conforms:
        click.echo(f"conforms: {result.triples} triples checked against ontology/shapes.ttl")
        return
    if not quiet:
        click.echo(result.text)
    click.echo(f"does not conform: {result.triples} triples checked against ontology/shapes.ttl", err=True)
    raise SystemExit(1)


COMMANDS: list[click.Command] = [build_command, stats_command, export_command, validate_command]
