"""How the graph looks: colours, shapes and sizes, as vis-network node and edge records.

Only data leaves this module (plain dicts that become JSON); the page's script
builds tooltips from it with DOM text nodes, so no string from a document is
ever parsed as HTML. Links are kept only when they are http(s) URLs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlsplit

import networkx as nx

#: type -> (fill colour, vis shape, legend label). Shapes with the label below
#: them (dot, square, ...) so that size can show centrality.
NODE_STYLE: dict[str, tuple[str, str, str]] = {
    "person": ("#4e79a7", "dot", "Person"),
    "organisation": ("#59a14f", "square", "Organisation"),
    "place": ("#76b7b2", "triangle", "Place"),
    "agreement": ("#b07aa1", "diamond", "Agreement"),
    "event": ("#edc948", "star", "Event"),
}
UNKNOWN_STYLE = ("#bab0ac", "dot", "Other")

#: Which side of the German-Chinese relation a country code belongs to.
SIDE_OF_COUNTRY = {"DE": "DE", "CN": "CN", "HK": "CN", "MO": "CN"}
SIDE_STYLE: dict[str, tuple[str, str]] = {
    "DE": ("#000000", "German side (country DE): black border"),
    "CN": ("#d62728", "Chinese side (country CN): red border"),
}

#: relation kind -> (colour, short label); first = most specific, used when a
#: pair of nodes is linked by several kinds.
EDGE_STYLE: dict[str, tuple[str, str]] = {
    "ROLE": ("#1f4e79", "role"),
    "AFFILIATED": ("#5b9bd5", "affiliated"),
    "PART_OF": ("#2e7d32", "part of"),
    "PARTY_TO": ("#7b3f99", "party to"),
    "PARTICIPATED": ("#b8860b", "participated"),
    "COOPERATES": ("#e67e22", "cooperates"),
    "MET": ("#c0392b", "met"),
    "LOCATED_IN": ("#7f7f7f", "located in"),
    "KNOWS": ("#d16ba5", "knows"),
    "CO_MENTION": ("#c7c7c7", "mentioned together"),
}
UNKNOWN_EDGE = ("#999999", "related")

#: Categorical colours for communities (Tableau 10 without grey and without the
#: red of the Chinese-side border); nodes outside every community are grey.
COMMUNITY_COLOURS = ("#4e79a7", "#f28e2b", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
                     "#ff9da7", "#9c755f", "#86bcb6", "#d37295", "#a0cbe8", "#8cd17d", "#f1ce63")
NO_COMMUNITY = "#d9d9d9"
MAX_COMMUNITIES_IN_LEGEND = 10

MAX_LABEL = 40
MAX_EVIDENCE = 12  # sentences per edge kept in the page (the rest are counted)


def safe_url(url: object) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (no javascript:, data:, ...)."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme in ("http", "https") and parts.netloc else None


def side(country: object) -> str | None:
    """'DE', 'CN' or None for a node's ISO country code."""
    return SIDE_OF_COUNTRY.get(str(country).upper()) if country else None


def short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _strings(values: object) -> list[str]:
    if not values:
        return []
    if isinstance(values, str):
        return [values]
    return [str(v) for v in values if v is not None and str(v) != ""]


def node_record(node_id: str, data: dict, degree: int, *, focus: bool = False, community: int | None = None,
                colour_by_community: bool = False) -> dict:
    """vis-network node for one graph node (label, shape, colour, size, border for the side).

    With ``colour_by_community`` the fill shows the community (numbered from 1)
    and the shape alone shows the type.
    """
    node_type = str(data.get("type") or "")
    fill, shape, _ = NODE_STYLE.get(node_type, UNKNOWN_STYLE)
    if colour_by_community:
        fill = COMMUNITY_COLOURS[(community - 1) % len(COMMUNITY_COLOURS)] if community else NO_COMMUNITY
    name = str(data.get("label") or node_id)
    node_side = side(data.get("country"))
    border, width = (SIDE_STYLE[node_side][0], 3) if node_side else ("#4d4d4d", 1)
    return {
        "id": node_id,
        "label": short(name),
        "shape": shape,
        "value": degree,
        "borderWidth": width + (2 if focus else 0),
        "color": {
            "background": fill,
            "border": border,
            "highlight": {"background": fill, "border": "#ff7f0e"},
            "hover": {"background": fill, "border": "#ff7f0e"},
        },
        "kg": {
            "name": name,
            "type": node_type or "unknown",
            "aliases": [a for a in _strings(data.get("aliases")) if a != name],
            "roles": _strings(data.get("roles")),
            "country": str(data["country"]) if data.get("country") else None,
            "side": node_side,
            "geonames": str(data["geonames"]) if data.get("geonames") else None,
            "degree": degree,
            "focus": focus,
            "community": community,
        },
    }


def _evidence(items: list[dict]) -> tuple[list[dict], int]:
    seen: set[tuple] = set()
    result = []
    for item in items or []:
        key = (item.get("doc_id"), item.get("sentence"))
        if key in seen:
            continue
        seen.add(key)
        result.append(
            {
                "doc": str(item.get("doc_id") or ""),
                "title": str(item.get("title") or item.get("doc_id") or ""),
                "url": safe_url(item.get("url")),
                "date": str(item["date"])[:10] if item.get("date") else None,
                "sentence": str(item.get("sentence") or ""),
            }
        )
    result.sort(key=lambda e: (e["date"] or "", e["doc"]))
    return result[:MAX_EVIDENCE], max(0, len(result) - MAX_EVIDENCE)


def _rank_kind(kind: str) -> int:
    kinds = list(EDGE_STYLE)
    return kinds.index(kind) if kind in kinds else len(kinds)


def edge_records(graph: nx.MultiGraph) -> list[dict]:
    """One vis-network edge per linked pair of nodes, merging the MultiGraph's parallel edges.

    Parallel straight edges would be drawn on top of each other; one edge per
    pair with every kind in its label and tooltip reads better and draws faster.
    """
    pairs: dict[tuple[str, str], list[dict]] = {}
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        pairs.setdefault(tuple(sorted((u, v))), []).append(data)
    records = []
    for index, ((u, v), datas) in enumerate(sorted(pairs.items())):
        kinds = sorted({str(d.get("kind") or "RELATED") for d in datas}, key=_rank_kind)
        colour, _ = EDGE_STYLE.get(kinds[0], UNKNOWN_EDGE)
        weight = max(int(d.get("weight") or 1) for d in datas)
        evidence, more = _evidence([e for d in datas for e in (d.get("evidence") or [])])
        firsts = [str(d["first_date"])[:10] for d in datas if d.get("first_date")]
        lasts = [str(d["last_date"])[:10] for d in datas if d.get("last_date")]
        named = [EDGE_STYLE.get(k, UNKNOWN_EDGE)[1] for k in kinds if k != "CO_MENTION"]
        records.append(
            {
                "id": f"e{index}",
                "from": u,
                "to": v,
                "label": " · ".join(named),
                "color": {"color": colour, "highlight": "#ff7f0e", "hover": "#ff7f0e"},
                "width": round(1 + min(4.0, math.log2(weight)), 2),
                "dashes": kinds == ["CO_MENTION"],
                "kg": {
                    "kinds": kinds,
                    "weight": weight,
                    "why": sorted({w for d in datas for w in _strings(d.get("why"))}),
                    "first": min(firsts) if firsts else None,
                    "last": max(lasts) if lasts else None,
                    "evidence": evidence,
                    "more": more,
                },
            }
        )
    return records


@dataclass(frozen=True)
class LegendItem:
    """One legend row: a swatch (shape + colours) and its text."""

    text: str
    colour: str
    shape: str = "dot"
    border: str = "#4d4d4d"
    dashed: bool = False
    kind: str = "node"  # "node" | "edge"


def legend(nodes: list[dict], edges: list[dict], community_names: dict[int, str] | None = None) -> list[LegendItem]:
    """Legend rows for the node types (or communities), sides and relation kinds present on the map."""
    types = {n["kg"]["type"] for n in nodes}
    neutral = community_names is not None
    items = [
        LegendItem(text=label, colour="#ffffff" if neutral else fill, shape=shape)
        for node_type, (fill, shape, label) in NODE_STYLE.items()
        if node_type in types
    ]
    if community_names is not None:
        shown = sorted({n["kg"]["community"] for n in nodes if n["kg"]["community"]})
        for number in shown[:MAX_COMMUNITIES_IN_LEGEND]:
            colour = COMMUNITY_COLOURS[(number - 1) % len(COMMUNITY_COLOURS)]
            items.append(LegendItem(text=f"Community {number}: {community_names.get(number, '')}", colour=colour))
        if len(shown) > MAX_COMMUNITIES_IN_LEGEND:
            items.append(LegendItem(text=f"… {len(shown) - MAX_COMMUNITIES_IN_LEGEND} more communities",
                                    colour="#ffffff"))
    if types - set(NODE_STYLE):
        items.append(LegendItem(text=UNKNOWN_STYLE[2], colour=UNKNOWN_STYLE[0], shape=UNKNOWN_STYLE[1]))
    sides = {n["kg"]["side"] for n in nodes}
    items += [
        LegendItem(text=text, colour="#ffffff", shape="square", border=border)
        for code, (border, text) in SIDE_STYLE.items()
        if code in sides
    ]
    kinds = {k for e in edges for k in e["kg"]["kinds"]}
    items += [
        LegendItem(text=label, colour=colour, kind="edge", dashed=kind == "CO_MENTION")
        for kind, (colour, label) in EDGE_STYLE.items()
        if kind in kinds
    ]
    return items


def vis_options(node_count: int) -> dict:
    """vis-network options: a seeded layout that stabilises quickly, then physics is switched off by the page."""
    big = node_count > 400
    # Layout cost grows with nodes x iterations (bench/bench_map.py: about 0.02 ms per node and
    # iteration in headless Chromium on 2 cores), so big maps get fewer iterations; below about
    # 80 the random start still shows (a square outline). forceAtlas2Based settled faster than
    # barnesHut in the same benchmark.
    iterations = max(80, min(300, 100_000 // max(1, node_count)))
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": node_count <= 150},
        "nodes": {
            "font": {
                "size": 14,
                "face": "Helvetica, Arial, sans-serif",
                "color": "#1a1a1a",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "scaling": {
                "min": 10,
                "max": 36,
                "label": {"enabled": True, "min": 12, "max": 24, "drawThreshold": 6, "maxVisible": 28},
            },
        },
        "edges": {
            "smooth": False,
            "font": {"size": 10, "color": "#444444", "strokeWidth": 3, "strokeColor": "#ffffff", "align": "middle"},
            "selectionWidth": 2,
            "hoverWidth": 1,
        },
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "centralGravity": 0.008,
                "springLength": 110,
                "springConstant": 0.06,
                "damping": 0.5,
                "avoidOverlap": 0.2,
            },
            "minVelocity": 1.5,
            "stabilization": {
                "enabled": True,
                "iterations": iterations,
                "updateInterval": 25,
                "fit": True,
            },
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
            "keyboard": False,
        },
    }


def node_records_for(graph: nx.Graph, focus_id: str | None = None,
                     community_of: dict[str, int] | None = None) -> list[dict]:
    """vis-network nodes for every node of the graph, sized by number of distinct neighbours."""
    return [
        node_record(node, data, len(set(graph.neighbors(node)) - {node}), focus=node == focus_id,
                    community=(community_of or {}).get(node), colour_by_community=community_of is not None)
        for node, data in graph.nodes(data=True)
    ]


def community_index(communities: list, graph: nx.Graph) -> tuple[dict[str, int], dict[int, str]]:
    """Node -> community number (from 1, in the given order) and a short name per community.

    ``communities`` is a list of member collections: node ids, or dicts with an
    ``iri`` (kg.graph.communities()' "members"), or such dicts with "members".
    The name lists the community's two best-connected members on the map.
    """
    community_of: dict[str, int] = {}
    for number, members in enumerate(communities, start=1):
        if isinstance(members, dict):
            members = members.get("members", [])
        for member in members:
            node = member.get("iri") if isinstance(member, dict) else member
            community_of.setdefault(str(node), number)
    names: dict[int, str] = {}
    for number in set(community_of.values()):
        inside = [n for n, c in community_of.items() if c == number and n in graph]
        inside.sort(key=lambda n: (-graph.degree(n), str(graph.nodes[n].get("label") or n)))
        names[number] = ", ".join(short(str(graph.nodes[n].get("label") or n), 24) for n in inside[:2])
    return community_of, names
