"""Synthetic graphs with the contract's node and edge attributes (kg.graph.load_graph's shape).

For the map benchmark and for trying maps without a built store: a few hubs
(organisations, places) with people and agreements around them, like the
press-release graph but of any size.
"""

from __future__ import annotations

import random

import networkx as nx

_KINDS = {
    ("person", "organisation"): "ROLE",
    ("organisation", "organisation"): "COOPERATES",
    ("organisation", "place"): "LOCATED_IN",
    ("agreement", "organisation"): "PARTY_TO",
    ("event", "person"): "PARTICIPATED",
    ("person", "person"): "KNOWS",
}


def synthetic_graph(nodes: int, *, seed: int = 1, edges_per_node: float = 2.0) -> nx.MultiGraph:
    """A connected MultiGraph of ``nodes`` entities with preferential attachment (hubs), seeded."""
    rng = random.Random(seed)
    types = ["person"] * 45 + ["organisation"] * 30 + ["place"] * 12 + ["agreement"] * 8 + ["event"] * 5
    graph = nx.MultiGraph()
    targets: list[str] = []
    ids: list[str] = []
    for index in range(nodes):
        node_type = rng.choice(types)
        node = f"https://kg.example.org/id/{node_type}/n{index}"
        country = rng.choice(["DE", "DE", "CN", None]) if node_type in ("organisation", "place") else None
        graph.add_node(
            node,
            label=f"{node_type.title()} {index}",
            type=node_type,
            aliases=[f"N{index}"],
            roles=[f"Geschäftsführer @ Organisation {rng.randrange(max(1, index))}"] if node_type == "person" else [],
            country=country,
            geonames=str(2800000 + index) if node_type == "place" else None,
        )
        ids.append(node)
        links = 1 if index < 3 else max(1, int(rng.expovariate(1 / edges_per_node)))
        for _ in range(min(links, index)):
            other = rng.choice(targets) if targets and rng.random() < 0.7 else ids[rng.randrange(index)]
            if other == node:
                continue
            pair = tuple(sorted((graph.nodes[node]["type"], graph.nodes[other]["type"])))
            kind = _KINDS.get(pair, "CO_MENTION")
            year = rng.choice([2015, 2018, 2020, 2023])
            graph.add_edge(
                node,
                other,
                kind=kind,
                why=["same organisation"] if kind == "KNOWS" else [],
                weight=rng.choice([1, 1, 1, 2, 3]),
                first_date=f"{year}-03-01",
                last_date=f"{year + 1}-06-30",
                evidence=[
                    {
                        "doc_id": f"de_{rng.randrange(200):03d}",
                        "doc_iri": "https://kg.example.org/id/doc/x",
                        "url": "https://example.org/press/1",
                        "title": "Pressemitteilung",
                        "date": f"{year}-03-01",
                        "sentence": f"{graph.nodes[node]['label']} und {graph.nodes[other]['label']} arbeiten zusammen.",
                    }
                ],
            )
            targets += [node, other]
    return graph
