"""Write a map as one self-contained HTML file.

The page inlines the vis-network build that pyvis ships (pyvis' own template
loads Bootstrap and tom-select from CDNs, and its add_edge is quadratic), our
stylesheet and script, and the graph as JSON in a non-executed script tag.
A Content-Security-Policy with a per-file nonce blocks every network request
and every script but ours, as a second line of defence behind escaping.
"""

from __future__ import annotations

import json
import secrets
from importlib import resources
from pathlib import Path

import jinja2

from kg.viz.select import Selection
from kg.viz.style import community_index, edge_records, legend, node_records_for, vis_options

VIS_VERSION = "vis-9.1.2"


def _pyvis_asset(name: str) -> str:
    return resources.files("pyvis").joinpath("templates", "lib", VIS_VERSION, name).read_text(encoding="utf-8")


def _own_asset(name: str) -> str:
    return resources.files("kg.viz").joinpath("template", name).read_text(encoding="utf-8")


def script_json(value: object) -> str:
    """JSON that is safe inside a <script> element: no '<', '>', '&', U+2028 or U+2029 left raw.

    With these escaped, a label such as '</script><script>alert(1)' stays a
    string in the JSON and cannot close the element it sits in.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: _own_asset(name)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def render_html(selection: Selection, *, title: str = "Knowledge graph map", subtitle: str = "",
                communities: list | None = None) -> str:
    """The complete HTML page for a selection (see kg.viz.select).

    ``communities`` (e.g. kg.graph.communities(G)) colours nodes by community
    instead of by type; the shape still shows the type.
    """
    community_of, community_names = (None, None)
    if communities is not None:
        community_of, community_names = community_index(communities, selection.graph)
    nodes = node_records_for(selection.graph, selection.focus_id, community_of)
    edges = edge_records(selection.graph)
    nonce = secrets.token_urlsafe(16)
    page = _environment().get_template("map.html").render(
        title=title,
        subtitle=subtitle,
        legend=legend(nodes, edges, community_names),
        vis_css=_pyvis_asset("vis-network.css"),
        vis_js=_pyvis_asset("vis-network.min.js"),
        map_css=_own_asset("map.css"),
        map_js=_own_asset("map.js"),
        data_json=script_json({"nodes": nodes, "edges": edges, "options": vis_options(len(nodes))}),
        nonce=nonce,
    )
    return page


def write_html(selection: Selection, path: Path, **settings: object) -> Path:
    """Write the page to ``path`` (UTF-8) and return the path; settings as for render_html."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(selection, **settings), encoding="utf-8")
    return path
