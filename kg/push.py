"""Push the graph into an external SPARQL 1.1 store (Fuseki, GraphDB, Virtuoso, an Oxigraph server).

For teams whose graph outgrows one machine. Each named graph of the local
store (one per document, plus the entities graph) is sent as a whole, so the
remote store keeps the same named graphs and a second push replaces rather
than duplicates:

- with ``--graph-store URL`` (SPARQL 1.1 Graph Store HTTP Protocol): one
  ``PUT URL?graph=G`` per graph with an N-Triples body — the fastest way;
- otherwise through the update endpoint (SPARQL 1.1 Update): ``DROP SILENT
  GRAPH`` then ``INSERT DATA`` in batches. The data in those requests is
  Oxigraph's own N-Triples serialisation of the terms (every quote and
  backslash escaped by the serialiser), never text pasted by hand.

Only the standard library's HTTP client is used; no extra dependency.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path


class PushError(Exception):
    """The remote endpoint refused or could not be reached; message for the user."""


@dataclass
class PushReport:
    graphs: int = 0
    triples: int = 0
    requests: int = 0


def _request(url: str, data: bytes, content_type: str, method: str = "POST", auth: str | None = None,
             timeout: float = 120) -> None:
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": content_type})
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode("utf-8")).decode("ascii"))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        raise PushError(f"{url}: HTTP {exc.code} {exc.reason}: {detail[0] if detail else ''}".rstrip(": ")) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PushError(f"{url}: cannot reach the endpoint ({reason})") from None


def _graph_url(graph_store: str, graph: str) -> str:
    sep = "&" if "?" in graph_store else "?"
    return f"{graph_store}{sep}{urllib.parse.urlencode({'graph': graph})}"


def push(store_path: Path, endpoint: str | None, graph_store: str | None = None, *, batch: int = 5000,
         auth: str | None = None, progress: bool = True) -> PushReport:
    """Send every named graph of the store to the remote store; returns counts."""
    import pyoxigraph as ox
    from tqdm import tqdm

    from kg.rdf.store import open_store

    if not endpoint and not graph_store:
        raise PushError("give --endpoint (SPARQL Update) and/or --graph-store (Graph Store Protocol)")
    report = PushReport()
    with open_store(Path(store_path), read_only=True) as store:
        raw = store.oxigraph
        graphs = sorted(g.value for g in raw.named_graphs())
        for name in tqdm(graphs, desc="pushing", unit="graph", disable=not progress):
            graph = ox.NamedNode(name)
            lines = [str(q.triple) + " ." for q in raw.quads_for_pattern(None, None, None, graph)]
            if graph_store:
                _request(_graph_url(graph_store, name), "\n".join(lines).encode("utf-8") + b"\n",
                         "application/n-triples", method="PUT", auth=auth)
                report.requests += 1
            else:
                assert endpoint is not None
                for start in range(0, max(len(lines), 1), batch):
                    chunk = "\n".join(lines[start:start + batch])
                    update = f"DROP SILENT GRAPH {graph} ;\n" if start == 0 else ""
                    if chunk:
                        update += f"INSERT DATA {{ GRAPH {graph} {{\n{chunk}\n}} }}"
                    _request(endpoint, update.encode("utf-8"), "application/sparql-update", auth=auth)
                    report.requests += 1
            report.graphs += 1
            report.triples += len(lines)
    return report
