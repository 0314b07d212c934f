"""Interactive maps of the knowledge graph (vis-network pages, offline and safe).

``select`` chooses what to draw from the networkx projection (kg.graph),
``style`` turns it into vis-network records, ``render`` writes the page and
``browser`` opens it headless (screenshots, tests, benchmark).

    >>> from kg.viz import MapOptions, make_map
    >>> selection = make_map(graph, "map.html", MapOptions(focus="China Competence Center"))
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.viz.render import render_html, write_html
from kg.viz.select import DEFAULT_MAX_NODES, FocusNotFound, MapOptions, Selection, find_node, select

__all__ = [
    "DEFAULT_MAX_NODES",
    "FocusNotFound",
    "MapOptions",
    "Selection",
    "find_node",
    "make_map",
    "render_html",
    "select",
    "write_html",
]


def make_map(
    graph: nx.MultiGraph,
    path: Path | str,
    options: MapOptions | None = None,
    *,
    title: str | None = None,
    png: Path | str | None = None,
    communities: list | None = None,
) -> Selection:
    """Select the part of ``graph`` given by ``options``, write it as an HTML map (and PNG); return the selection.

    ``communities`` (kg.graph.communities(G) or lists of node ids) colours the
    nodes by community instead of by type.
    """
    options = options or MapOptions()
    selection = select(graph, options)
    if title is None:
        title = "Knowledge graph map"
        if selection.focus_id is not None:
            name = selection.graph.nodes[selection.focus_id].get("label") or selection.focus_id
            title = f"Network of {name} (depth {options.depth})"
    write_html(selection, Path(path), title=title, subtitle=_subtitle(selection, options), communities=communities)
    if png is not None:
        from kg.viz.browser import screenshot

        screenshot(Path(path), Path(png))
    return selection


def _subtitle(selection: Selection, options: MapOptions) -> str:
    parts = [f"{selection.graph.number_of_nodes():,} entities"]
    if options.types:
        parts.append("types: " + ", ".join(options.types))
    if options.since or options.until:
        parts.append(f"documents {options.since or '…'} to {options.until or '…'}")
    if options.min_weight > 1:
        parts.append(f"links in at least {options.min_weight} documents")
    if selection.left_out:
        parts.append(f"{sum(selection.left_out.values()):,} less central entities left out")
    return "; ".join(parts)
