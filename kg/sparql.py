"""SPARQL for researchers: the named query library, parameter binding, result formats.

Why parameters are bound and never pasted: a name such as ``Foo "Bar" } DROP``
must stay a name. Values become rdflib terms and go to the store as
``bindings`` (Oxigraph substitutions, the store's initBindings). Oxigraph only
substitutes variables that a SELECT projects, so every library query projects
its parameter variables; the formatter hides those columns again.

Named queries live in ``kg/queries/*.rq``; each starts with a comment header::

    # title: Persons and their roles at an organisation
    # description: one or more lines of explanation
    # param: org (string) - name or alias of the organisation, any case
    # param: type (string, optional) - ...

Parameter types: string, iri, date, integer. An optional parameter left out
stays unbound (queries test it with ``COALESCE(test, true)``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Node

QUERY_DIR = Path(__file__).parent / "queries"
PARAM_TYPES = ("string", "iri", "date", "integer")
FORMATS = ("table", "csv", "tsv", "json")

#: Prefixes used to shorten IRIs in terminal tables (and declared in the .rq files).
PREFIXES: dict[str, str] = {
    "kgr": "https://kg.example.org/id/",
    "kg": "https://kg.example.org/ns#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}

_POSITION = re.compile(r"error at (\d+):(\d+):?\s*(.*)", re.S)


class QueryError(Exception):
    """A query cannot be run as asked; the message is one clear line (or a few) for the user."""


@dataclass(frozen=True)
class Param:
    """A declared parameter of a named query."""

    name: str
    type: str = "string"
    description: str = ""
    required: bool = True


@dataclass(frozen=True)
class NamedQuery:
    """One query of the library: its header and its SPARQL text."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)


# --- the library -------------------------------------------------------------

_PARAM_LINE = re.compile(r"^(\w+)\s*\(\s*(\w+)\s*(?:,\s*(optional|required))?\s*\)\s*(?:[-:\u2013\u2014]\s*)?(.*)$")


def parse_named_query(text: str, name: str, path: Path | None = None) -> NamedQuery:
    """Read the comment header of a .rq file (``# key: value`` lines up to the first non-comment line)."""
    title, description, params = "", [], []
    key = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        body = stripped.lstrip("#").strip()
        match = re.match(r"^(title|description|param)\s*:\s*(.*)$", body)
        if match:
            key, value = match.group(1), match.group(2).strip()
            if key == "title":
                title = value
            elif key == "description":
                description.append(value)
            else:
                pm = _PARAM_LINE.match(value)
                if not pm or pm.group(2) not in PARAM_TYPES:
                    where = path or name
                    raise QueryError(f"{where}: bad param line {value!r} (expected 'name (type[, optional]) - text')")
                params.append(Param(pm.group(1), pm.group(2), pm.group(4).strip(), pm.group(3) != "optional"))
        elif key == "description" and body:
            description.append(body)
    return NamedQuery(name, title or name, " ".join(description), tuple(params), text, path)


def library(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """All named queries, by name (the file stem)."""
    out = {}
    for path in sorted(Path(directory).glob("*.rq")):
        out[path.stem] = parse_named_query(path.read_text(encoding="utf-8"), path.stem, path)
    return out


def named_query(name: str, directory: Path = QUERY_DIR) -> NamedQuery:
    """The named query ``name``, or a QueryError listing the known names."""
    queries = library(directory)
    if name not in queries:
        import difflib

        close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.4)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise QueryError(f"no named query {name!r}.{hint} Known: {', '.join(queries)}")
    return queries[name]


# --- parameters ---------------------------------------------------------------


def to_term(value: str, type_: str, name: str = "value") -> Node:
    """A parameter value as an rdflib term of the declared type."""
    if type_ == "string":
        return Literal(value)
    if type_ == "iri":
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
            raise QueryError(f"parameter {name}: {value!r} is not an IRI")
        return URIRef(value)
    if type_ == "date":
        try:
            return Literal(dt.date.fromisoformat(value).isoformat(), datatype=XSD.date)
        except ValueError:
            raise QueryError(f"parameter {name}: {value!r} is not a date (YYYY-MM-DD)") from None
    if type_ == "integer":
        try:
            return Literal(int(value), datatype=XSD.integer)
        except ValueError:
            raise QueryError(f"parameter {name}: {value!r} is not an integer") from None
    raise QueryError(f"parameter {name}: unknown type {type_!r} (one of {', '.join(PARAM_TYPES)})")


def parse_param_options(pairs: Iterable[str]) -> dict[str, str]:
    """``["org=BSW", "x=a=b"]`` -> ``{"org": "BSW", "x": "a=b"}`` (split at the first '=')."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().lstrip("?$")
        if not sep or not key:
            raise QueryError(f"--param {pair!r}: expected key=value")
        out[key] = value
    return out


def bind_params(query: NamedQuery | None, raw: Mapping[str, str]) -> dict[str, Node]:
    """Typed bindings for a named query's declared params (or plain strings for an ad-hoc query)."""
    if query is None:
        return {key: Literal(value) for key, value in raw.items()}
    declared = {p.name: p for p in query.params}
    unknown = [key for key in raw if key not in declared]
    if unknown:
        known = ", ".join(f"{p.name} ({p.type})" for p in query.params) or "none"
        raise QueryError(f"query {query.name!r} has no parameter {unknown[0]!r}; its parameters: {known}")
    missing = [p.name for p in query.params if p.required and p.name not in raw]
    if missing:
        raise QueryError(f"query {query.name!r} needs --param {missing[0]}=... ({declared[missing[0]].description})")
    return {key: to_term(value, declared[key].type, key) for key, value in raw.items()}


# --- running -------------------------------------------------------------------


def describe_error(message: str, sparql: str, line_offset: int = 0) -> str:
    """A store error as a user message; syntax errors get 'line L, column C' and a caret under the spot."""
    text = re.sub(r"^SPARQL (syntax error|query failed):\s*", "", str(message).strip())
    match = _POSITION.search(text)
    if not match:
        return f"SPARQL error: {text}"
    line, column, detail = int(match.group(1)) - line_offset, int(match.group(2)), match.group(3).strip()
    out = f"SPARQL syntax error at line {line}, column {column}: {detail}"
    lines = sparql.splitlines()
    if 1 <= line <= len(lines):
        source = lines[line - 1]
        out += f"\n  {source}\n  {' ' * max(0, column - 1)}^"
    return out


def with_prefixes(sparql: str) -> tuple[str, int]:
    """The query with the project's usual prefixes declared (those it does not declare itself),
    all on one added first line; returns the text and the number of lines added (0 or 1)."""
    missing = [p for p in PREFIXES if not re.search(rf"(?im)^\s*PREFIX\s+{re.escape(p)}\s*:", sparql)]
    if not missing:
        return sparql, 0
    return " ".join(f"PREFIX {p}: <{PREFIXES[p]}>" for p in missing) + "\n" + sparql, 1


def run_query(store_path: Path, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
    """Run SPARQL on the store (union default graph); errors become QueryError with a clear message.

    The prefixes of PREFIXES (kg:, kgr:, rdfs:, schema:, ...) need not be declared.
    """
    from kg.rdf.store import StoreError, StoreQueryError, open_store

    text, added = with_prefixes(sparql)
    try:
        with open_store(Path(store_path), read_only=True) as store:
            return store.query(text, dict(bindings or {}))
    except StoreQueryError as exc:
        raise QueryError(describe_error(str(exc), sparql, line_offset=added)) from None
    except StoreError as exc:
        raise QueryError(str(exc)) from None


# --- formatting ----------------------------------------------------------------


def short(term: Node | None, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """A term for a terminal table: IRIs as prefix:local, literals as their text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        value = str(term)
        for prefix, base in prefixes.items():
            if value.startswith(base):
                return f"{prefix}:{value[len(base):]}"
        return value
    return plain(term)


def plain(term: Node | None) -> str:
    """A term as plain text for CSV/TSV/JSON: IRIs in full, literals as their lexical form."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def result_rows(result: Result, hide: Sequence[str] = ()) -> tuple[list[str], list[list[Node | None]]]:
    """Header and rows of a SELECT result, dropping the ``hide`` columns (bound parameters)."""
    names = [str(v) for v in (result.vars or [])]
    keep = [i for i, n in enumerate(names) if n not in set(hide)] or list(range(len(names)))
    variables = [result.vars[i] for i in keep]
    rows = []
    for binding in result.bindings:
        rows.append([binding.get(v) for v in variables])
    return [names[i] for i in keep], rows


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None) -> str:
    """An aligned text table that fits the terminal: wide columns are cut with an ellipsis."""
    if not headers:
        return ""
    width = width or shutil.get_terminal_size((160, 24)).columns
    cells = [[str(c).replace("\n", " ") for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    budget = max(width - 2 * (len(headers) - 1), 10 * len(headers))
    while sum(widths) > budget:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= 12:
            break
        widths[widest] -= 1

    def cut(text: str, w: int) -> str:
        return text if len(text) <= w else text[: max(w - 1, 0)] + "\u2026"

    lines = ["  ".join(cut(h, w).ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(cut(c, w).ljust(w) for c, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


def format_rows(headers: Sequence[str], rows: Sequence[Sequence[object]], fmt: str) -> str:
    """Plain values (str/int/float/None) as table, csv, tsv or json (a list of objects)."""
    text_rows = [["" if v is None else str(v) for v in row] for row in rows]
    if fmt == "table":
        return render_table(headers, text_rows) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})"
    if fmt == "json":
        return json.dumps([dict(zip(headers, row)) for row in rows], ensure_ascii=False, indent=2)
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        if fmt == "csv":
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(headers)
            writer.writerows(text_rows)
        else:
            clean = lambda s: s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")  # noqa: E731
            buffer.write("\t".join(headers) + "\n")
            for row in text_rows:
                buffer.write("\t".join(clean(c) for c in row) + "\n")
        return buffer.getvalue().rstrip("\n")
    raise QueryError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def format_result(result: Result, fmt: str = "table", hide: Sequence[str] = ()) -> str:
    """A query result as text: SELECT rows, ASK yes/no, CONSTRUCT/DESCRIBE as an RDF graph.

    Graphs print as Turtle for ``table``, N-Triples for ``csv``/``tsv`` (one triple a line) and JSON-LD for ``json``.
    """
    if result.type == "ASK":
        answer = bool(result.askAnswer)
        if fmt == "json":
            return json.dumps({"boolean": answer})
        if fmt in ("csv", "tsv"):
            return f"boolean\n{str(answer).lower()}"
        return "yes" if answer else "no"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph
        for prefix, base in PREFIXES.items():
            graph.bind(prefix, base, override=True)
        rdf_format = {"table": "turtle", "json": "json-ld", "csv": "nt", "tsv": "nt"}[fmt]
        return graph.serialize(format=rdf_format).rstrip("\n")
    headers, rows = result_rows(result, hide)
    convert = short if fmt == "table" else plain
    return format_rows(headers, [[convert(v) for v in row] for row in rows], fmt)
