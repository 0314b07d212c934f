"""Commands that ask the graph questions: query (SPARQL), who-knows, path, ego, central, communities.

Each command parses options, calls kg.sparql or kg.graph and prints a table
(or csv/json/tsv for scripts); every expected failure is a one-line
click error, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Sequence

import click

from kg.commands.common import store_option

FORMAT_CHOICE = click.Choice(["table", "csv", "tsv", "json"])


def _fail_cleanly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the expected errors of kg.sparql / kg.graph / the store into click errors."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from kg.graph import GraphError
        from kg.rdf.store import StoreError
        from kg.sparql import QueryError

        try:
            return fn(*args, **kwargs)
        except (QueryError, GraphError, StoreError) as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


# --- kg query -------------------------------------------------------------------


@click.command("query")
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(path_type=Path, dir_okay=False), help="Read the query from a .rq file.")
@click.option("-n", "--name", "query_name", help="Run a named query of the library (see --list).")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind a parameter (repeatable); values are bound, never pasted into the query.")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="table", show_default=True, help="Output format (graphs: Turtle / N-Triples / JSON-LD).")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries with their parameters and exit.")
@store_option
@_fail_cleanly
def query_command(
    sparql: str | None,
    query_file: Path | None,
    query_name: str | None,
    params: Sequence[str],
    fmt: str,
    list_queries: bool,
    store_path: Path,
) -> None:
    """Run SPARQL (SELECT, ASK, CONSTRUCT, DESCRIBE) on the store.

    The default graph is the union of all named graphs. Examples:

    \b
      kg query 'SELECT ?p WHERE { ?p a kg:Person } LIMIT 5'   (prefixes must be declared)
      kg query -f my.rq --format csv
      kg query --name roles-of --param org="BSW"
      kg query --list
    """
    from kg import sparql as sp

    if list_queries:
        _print_library(sp.library(), fmt)
        return
    given = [x for x in (sparql, query_file, query_name) if x]
    if len(given) != 1:
        raise click.UsageError("give exactly one of: a SPARQL string, -f FILE.rq, --name NAME (or --list)")
    named = None
    if query_name:
        named = sp.named_query(query_name)
        text = named.text
    elif query_file:
        try:
            text = query_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"{query_file}: cannot read query file ({exc})") from None
    else:
        text = sparql or ""
    raw = sp.parse_param_options(params)
    bindings = sp.bind_params(named, raw)
    result = sp.run_query(store_path, text, bindings)
    hide = [p.name for p in named.params] if named else []
    click.echo(sp.format_result(result, fmt, hide=hide))


def _print_library(queries: dict, fmt: str) -> None:
    from kg.sparql import format_rows

    if fmt == "json":
        data = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "params": [{"name": p.name, "type": p.type, "required": p.required, "description": p.description} for p in q.params],
            }
            for q in queries.values()
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if fmt in ("csv", "tsv"):
        rows = [[q.name, q.title, "; ".join(_param_text(p) for p in q.params)] for q in queries.values()]
        click.echo(format_rows(["name", "title", "params"], rows, fmt))
        return
    for q in queries.values():
        click.echo(click.style(q.name, bold=True) + f"  {q.title}")
        if q.description:
            click.echo(f"    {q.description}")
        for p in q.params:
            click.echo(f"    --param {_param_text(p)}: {p.description}")
        click.echo("")


def _param_text(p: Any) -> str:
    return f"{p.name}=<{p.type}>" + ("" if p.required else " (optional)")



# --- graph commands ----------------------------------------------------------------

GRAPH_FORMAT = click.Choice(["table", "csv", "tsv", "json"])
comentions_option = click.option(
    "--no-comentions", is_flag=True, help="Leave out CO_MENTION edges (named in the same document), the weakest kind."
)
format_option = click.option("--format", "fmt", type=GRAPH_FORMAT, default="table", show_default=True, help="Output format.")


def _load(store_path: Path, no_comentions: bool) -> Any:
    import sys

    from kg.graph import load_graph

    return load_graph(store_path, include_comentions=not no_comentions, progress=sys.stderr.isatty())


def _emit(headers: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, data: Any) -> None:
    from kg.sparql import format_rows

    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(format_rows(headers, rows, fmt))


def _cite(ev: dict[str, Any]) -> str:
    where = ", ".join(x for x in (ev.get("doc_id"), ev.get("date")) if x)
    sentence = ev.get("sentence")
    text = " ".join(sentence.split()) if sentence else f"(named in: {ev.get('title') or ev.get('doc_id')})"
    return f"{text} [{where}]" if where else text


@click.command("who-knows")
@click.argument("name")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="Show the N strongest connections.")
@click.option("--evidence", "n_evidence", type=click.IntRange(min=0), default=2, show_default=True, help="Evidence sentences per person (table).")
@comentions_option
@format_option
@store_option
@_fail_cleanly
def who_knows_command(name: str, top: int, n_evidence: int, no_comentions: bool, fmt: str, store_path: Path) -> None:
    """Persons connected to NAME, strongest first, each with why and evidence.

    NAME is a canonical name, an alias or a unique prefix (any case). Reasons: met; same agreement;
    same event; same organisation; and, weakest, named in the same document (leave out with --no-comentions).
    """
    from kg.graph import resolve, who_knows

    G = _load(store_path, no_comentions)
    rows = who_knows(G, name, top=top, include_comentions=not no_comentions, max_evidence=None if fmt == "json" else max(n_evidence, 1))
    if fmt == "table":
        center = G.nodes[resolve(G, name)]
        click.echo(f"Who knows {center['label']} ({center['type']}): {len(rows)} person(s)")
        if not rows:
            return
        table = [[i, r["label"], f"{r['score']:.1f}", "; ".join(r["why"]), r["documents"],
                  _span(r["first_date"], r["last_date"])] for i, r in enumerate(rows, 1)]
        from kg.sparql import render_table

        click.echo(render_table(["#", "person", "score", "why", "docs", "dates"], [[str(c) for c in row] for row in table]))
        if n_evidence:
            click.echo("\nEvidence:")
            for i, r in enumerate(rows, 1):
                click.echo(f"{i}. {r['label']}")
                for ev in r["evidence"][:n_evidence]:
                    click.echo(f"     - {_cite(ev)}")
        return
    headers = ["person", "iri", "score", "why", "documents", "first_date", "last_date", "doc_id", "sentence"]
    flat = []
    for r in rows:
        first = r["evidence"][0] if r["evidence"] else {}
        flat.append([r["label"], r["iri"], r["score"], "; ".join(r["why"]), r["documents"], r["first_date"],
                     r["last_date"], first.get("doc_id"), first.get("sentence")])
    _emit(headers, flat, fmt, rows)


def _span(first: str | None, last: str | None) -> str:
    if not first:
        return ""
    return first if first == last else f"{first} .. {last}"


@click.command("path")
@click.argument("source")
@click.argument("target")
@click.option("--max-hops", type=click.IntRange(min=1, max=8), default=4, show_default=True, help="Longest path to consider.")
@click.option("--alternatives", "k", type=click.IntRange(min=1), default=5, show_default=True, help="How many paths to show.")
@comentions_option
@format_option
@store_option
@_fail_cleanly
def path_command(source: str, target: str, max_hops: int, k: int, no_comentions: bool, fmt: str, store_path: Path) -> None:
    """How SOURCE is connected to TARGET: shortest path and alternatives, each hop with evidence."""
    from kg.graph import paths

    G = _load(store_path, no_comentions)
    result = paths(G, source, target, max_hops=max_hops, k=k, include_comentions=not no_comentions,
                   max_evidence=None if fmt == "json" else 2)
    if fmt == "table":
        a, b = result["source"]["label"], result["target"]["label"]
        if not result["paths"]:
            click.echo(f"No path between {a} and {b} within {max_hops} hops.")
            return
        for i, p in enumerate(result["paths"], 1):
            title = "shortest" if i == 1 else "alternative"
            click.echo(f"Path {i} ({title}, {p['hops']} hop{'s' if p['hops'] != 1 else ''}): "
                       + " -- ".join(n["label"] for n in p["nodes"]))
            for step in p["steps"]:
                click.echo(f"  {step['from']['label']} -- {step['to']['label']}")
                for edge in step["edges"]:
                    click.echo(f"    [{edge['kind']}] {'; '.join(edge['reasons'])} ({edge['weight']} doc(s))")
                    for ev in edge["evidence"][:2]:
                        click.echo(f"        - {_cite(ev)}")
            click.echo("")
        return
    headers = ["path", "hop", "from", "to", "kind", "reasons", "weight", "doc_id", "date", "sentence"]
    flat = []
    for i, p in enumerate(result["paths"], 1):
        for h, step in enumerate(p["steps"], 1):
            for edge in step["edges"]:
                ev = edge["evidence"][0] if edge["evidence"] else {}
                flat.append([i, h, step["from"]["label"], step["to"]["label"], edge["kind"], "; ".join(edge["reasons"]),
                             edge["weight"], ev.get("doc_id"), ev.get("date"), ev.get("sentence")])
    _emit(headers, flat, fmt, result)


@click.command("ego")
@click.argument("name")
@click.option("--depth", type=click.IntRange(min=1, max=4), default=1, show_default=True, help="Radius in hops.")
@comentions_option
@format_option
@store_option
@_fail_cleanly
def ego_command(name: str, depth: int, no_comentions: bool, fmt: str, store_path: Path) -> None:
    """The neighbourhood of NAME: entities within --depth hops and the edges between them."""
    from kg.graph import ego
    from kg.sparql import render_table

    G = _load(store_path, no_comentions)
    data = ego(G, name, depth, include_comentions=not no_comentions)
    if fmt == "table":
        c = data["center"]
        click.echo(f"Neighbourhood of {c['label']} ({c['type']}), depth {depth}: {len(data['nodes'])} entities, {len(data['edges'])} edges\n")
        click.echo(render_table(["distance", "entity", "type", "degree"],
                                [[str(n["distance"]), n["label"], n["type"], str(n["degree"])] for n in data["nodes"]]))
        click.echo("")
        click.echo(render_table(["from", "to", "kind", "why", "docs", "dates"],
                                [[e["from"], e["to"], e["kind"], "; ".join(e["why"]), str(e["weight"]),
                                  _span(e["first_date"], e["last_date"])] for e in data["edges"]]))
        return
    headers = ["from", "to", "kind", "why", "weight", "first_date", "last_date", "from_iri", "to_iri"]
    rows = [[e["from"], e["to"], e["kind"], "; ".join(e["why"]), e["weight"], e["first_date"], e["last_date"],
             e["from_iri"], e["to_iri"]] for e in data["edges"]]
    _emit(headers, rows, fmt, data)


@click.command("central")
@click.option("--type", "type_", type=click.Choice(["person", "org", "place", "agreement", "event"]), help="Only entities of this type.")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--by", type=click.Choice(["degree", "betweenness", "eigenvector"]), default="degree", show_default=True, help="Rank by this measure.")
@comentions_option
@format_option
@store_option
@_fail_cleanly
def central_command(type_: str | None, top: int, by: str, no_comentions: bool, fmt: str, store_path: Path) -> None:
    """The most central entities: degree, betweenness and eigenvector centrality."""
    from kg.graph import centrality

    G = _load(store_path, no_comentions)
    rows = centrality(G, type_, top, by=by, include_comentions=not no_comentions)
    headers = ["#", "entity", "type", "degree", "betweenness", "eigenvector"]
    flat = [[i, r["label"], r["type"], r["degree"], f"{r['betweenness']:.4f}", f"{r['eigenvector']:.4f}"] for i, r in enumerate(rows, 1)]
    if fmt != "table":
        headers = ["rank", "entity", "type", "degree", "betweenness", "eigenvector", "iri"]
        flat = [[i, r["label"], r["type"], r["degree"], r["betweenness"], r["eigenvector"], r["iri"]] for i, r in enumerate(rows, 1)]
    _emit(headers, flat, fmt, rows)


@click.command("communities")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True, help="Top entities shown per community.")
@click.option("--min-size", type=click.IntRange(min=1), default=2, show_default=True)
@click.option("--seed", type=int, default=42, show_default=True, help="Louvain seed (fixed: same graph, same communities).")
@click.option("--resolution", type=float, default=1.0, show_default=True, help="Louvain resolution (> 1: smaller communities).")
@comentions_option
@format_option
@store_option
@_fail_cleanly
def communities_command(top: int, min_size: int, seed: int, resolution: float, no_comentions: bool, fmt: str, store_path: Path) -> None:
    """Communities of the graph (Louvain), with their members and top entities."""
    from kg.graph import communities

    G = _load(store_path, no_comentions)
    found = communities(G, include_comentions=not no_comentions, seed=seed, resolution=resolution, top=top, min_size=min_size)
    if fmt == "table":
        click.echo(f"{len(found)} communities (Louvain, seed {seed})\n")
        for c in found:
            types = ", ".join(f"{n} {t}" for t, n in c["types"].items())
            click.echo(click.style(f"Community {c['id']}", bold=True) + f": {c['size']} entities ({types})")
            click.echo("  top: " + "; ".join(f"{m['label']} ({m['type']})" for m in c["top"]))
            others = [m["label"] for m in c["members"][len(c["top"]):]]
            if others:
                shown = ", ".join(others[:30]) + (f", ... (+{len(others) - 30})" if len(others) > 30 else "")
                click.echo(f"  also: {shown}")
            click.echo("")
        return
    rows = [[c["id"], m["label"], m["type"], m["iri"]] for c in found for m in c["members"]]
    _emit(["community", "entity", "type", "iri"], rows, fmt, found)


COMMANDS: list[click.Command] = [
    query_command,
    who_knows_command,
    path_command,
    ego_command,
    central_command,
    communities_command,
]
