"""`kg map`: draw the graph (or a part of it) as one interactive, offline HTML file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from kg.commands.common import store_option
from kg.viz.select import DEFAULT_MAX_NODES, NODE_TYPES


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2019-05-31") from None


@click.command("map")
@store_option
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=Path("map.html"),
              show_default=True, help="HTML file to write (self-contained, works offline).")
@click.option("--focus", metavar="NAME", help="Draw only the neighbourhood of this entity (name or alias).")
@click.option("--depth", type=click.IntRange(0, 6), default=2, show_default=True,
              help="With --focus: how many steps away from the entity to go.")
@click.option("--type", "types", multiple=True, type=click.Choice(NODE_TYPES),
              help="Keep only entities of this type (repeat for several).")
@click.option("--since", callback=_date, metavar="DATE", help="Keep relations found in documents from DATE on.")
@click.option("--until", callback=_date, metavar="DATE", help="Keep relations found in documents up to DATE.")
@click.option("--min-weight", type=click.IntRange(1), default=1, show_default=True,
              help="Keep relations found in at least K documents.")
@click.option("--max-nodes", type=click.IntRange(1), default=DEFAULT_MAX_NODES, show_default=True,
              help="Keep at most N entities, the most connected ones (the rest is reported).")
@click.option("--no-comentions", is_flag=True, help="Leave out links that only say two entities were mentioned together.")
@click.option("--png", type=click.Path(path_type=Path, dir_okay=False),
              help="Also save a screenshot (headless Chromium) for papers and reports.")
@click.option("--communities", "by_community", is_flag=True,
              help="Colour entities by community (Louvain, kg.graph.communities); shape still shows the type.")
@click.option("--title", help="Heading of the page (default: describes the map).")
def map_command(
    store_path: Path,
    output: Path,
    focus: str | None,
    depth: int,
    types: tuple[str, ...],
    since: date | None,
    until: date | None,
    min_weight: int,
    max_nodes: int,
    no_comentions: bool,
    png: Path | None,
    by_community: bool,
    title: str | None,
) -> None:
    """Render the knowledge graph as an interactive network map (one HTML file).

    Colour and shape show the entity type, a black or red border the German or
    Chinese side, size the number of connections; hover or click for names,
    roles and the evidence sentences with links to their press releases.
    """
    from kg.viz import FocusNotFound, MapOptions, make_map

    if not store_path.is_dir():
        raise click.ClickException(f"{store_path}: no graph store here; run `kg build` first or pass --store")
    from kg import graph as analytics
    from kg.rdf.store import StoreError

    try:
        graph = analytics.load_graph(store_path, include_comentions=not no_comentions)
        if graph.number_of_nodes() == 0:
            raise click.ClickException(f"{store_path}: the graph store holds no entities; run `kg build` first")
        if focus:
            focus = analytics.resolve(graph, focus)  # same name matching and suggestions as `kg ego`
    except (analytics.GraphError, StoreError) as error:
        raise click.ClickException(str(error)) from None
    options = MapOptions(focus=focus, depth=depth, types=types, since=since, until=until,
                         min_weight=min_weight, max_nodes=max_nodes)
    groups = analytics.communities(graph, include_comentions=not no_comentions) if by_community else None
    try:
        selection = make_map(graph, output, options, title=title, png=png, communities=groups)
    except FocusNotFound as error:
        raise click.ClickException(str(error)) from None
    except RuntimeError as error:  # browser missing or page error while taking the screenshot
        raise click.ClickException(str(error)) from None
    if selection.graph.number_of_nodes() == 0:
        click.echo("Warning: nothing left to draw after the filters.", err=True)
    click.echo(selection.summary(), err=True)
    click.echo(f"Wrote {output}" + (f" and {png}" if png else ""), err=True)


COMMANDS: list[click.Command] = [map_command]
