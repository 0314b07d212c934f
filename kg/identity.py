"""Identity: canonical names and stable IRIs for entities across documents.

The pipeline's kg_coref component already gave every mention its
document's canonical name. Here the names of all documents meet:

- names that differ only in case, spacing or inflection are one entity;
- an acronym defined in one document ("... Agency (CIIPA)") resolves bare
  uses of it in other documents;
- a person's family name alone resolves to the one full name with it;
- places with the same GeoNames id are one entity (and get id and country);
- the curated alias file (kg.aliases) forces or forbids merges.

The result is deterministic and independent of document order: clusters are
formed by union-find over name keys, and every choice (which spelling names
a cluster) ranks candidates by counts and then by the string itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.aliases import AliasTable, load_aliases
from kg.nlp.names import acronym_of, canonical_name, family_name, is_acronym, name_key, preferred_person_rank
from kg.nlp.places import lookup
from kg.rdf.namespace import KGR, LABEL_SEGMENT
from kg.records import Extraction


@dataclass
class EntityInfo:
    """What the graph knows about one resolved entity."""

    label: str
    name: str  # canonical name
    iri: URIRef
    aliases: set[str] = field(default_factory=set)  # surface forms seen
    geonames_id: str | None = None
    country_code: str | None = None  # ISO 3166 alpha-2, e.g. "DE", "CN"


def slug(name: str) -> str:
    """ASCII slug of a name: 'Bergische Struktur- und ...' -> 'bergische-struktur-und-...'."""
    text = name.replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text or "x"


def entity_iri(label: str, canonical: str) -> URIRef:
    """IRI of an entity: a pure function of its label and canonical name."""
    return KGR[f"{LABEL_SEGMENT[label]}/{slug(canonical)}"]


Node = tuple[str, str]  # (label, name key)


class _Clusters:
    """Union-find over name keys that refuses merges the alias file forbids."""

    def __init__(self, forbidden: set[frozenset[Node]]) -> None:
        self.parent: dict[Node, Node] = {}
        self.members: dict[Node, set[Node]] = {}
        self.forbidden = forbidden

    def add(self, node: Node) -> None:
        if node not in self.parent:
            self.parent[node] = node
            self.members[node] = {node}

    def find(self, node: Node) -> Node:
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a: Node, b: Node) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.forbidden and any(frozenset((x, y)) in self.forbidden for x in self.members[ra] for y in self.members[rb]):
            return False
        keep, drop = sorted((ra, rb))  # deterministic root
        self.parent[drop] = keep
        self.members[keep] |= self.members.pop(drop)
        return True


def resolve_corpus(
    extractions: list[Extraction], *, aliases: AliasTable | None = None
) -> tuple[list[Extraction], dict[tuple[str, str], EntityInfo]]:
    """Merge mentions across documents; return records with global canonical
    names in ``entity`` and the table of entities keyed by (label, name)."""
    table_aliases = aliases if aliases is not None else load_aliases()
    ordered = sorted(extractions, key=lambda r: r.doc_id)

    names: Counter[tuple[str, str]] = Counter()  # (label, spelling) -> mentions
    node_names: dict[Node, Counter[str]] = defaultdict(Counter)
    clusters = _Clusters(table_aliases.not_same)
    forced: dict[Node, str] = {}

    def node_of(label: str, name: str) -> Node:
        node = (label, name_key(label, name))
        clusters.add(node)
        return node

    # 1. nodes: one per (label, name key); curated aliases first
    mention_nodes: dict[tuple[str, str], Node] = {}
    for record in ordered:
        for m in record.entities:
            name = _normalised(m.label, m.entity)
            node = node_of(m.label, name)
            mention_nodes[(record.doc_id, m.id)] = node
            node_names[node][name] += 1
            names[(m.label, name)] += 1
            curated = table_aliases.canonical(m.label, name, node[1]) or table_aliases.canonical(
                m.label, m.text, name_key(m.label, m.text)
            )
            if curated is not None:
                target = node_of(m.label, curated)
                node_names[target][curated] += 0
                forced[target] = curated
                clusters.union(node, target)

    # 2. acronyms defined somewhere resolve bare uses everywhere
    expansions: dict[Node, Counter[Node]] = defaultdict(Counter)
    for record in ordered:
        for m in record.entities:
            if is_acronym(m.text) and not is_acronym(m.entity):
                expansions[(m.label, name_key(m.label, m.text))][mention_nodes[(record.doc_id, m.id)]] += 1
    for acronym_node, counter in sorted(expansions.items()):
        if acronym_node not in clusters.parent:
            continue
        ranked = counter.most_common()
        if len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]:
            clusters.union(acronym_node, ranked[0][0])

    # 2b. an acronym never defined: the one organisation name whose initials spell it
    initials: dict[str, set[Node]] = defaultdict(set)
    for node, counter in node_names.items():
        if node[0] in {"ORG", "EVENT", "AGREEMENT"}:
            spelling = counter.most_common(1)[0][0]
            if not is_acronym(spelling):
                for acronym in acronym_of(spelling):
                    initials[acronym].add(node)
    for node, counter in sorted(node_names.items()):
        spelling = counter.most_common(1)[0][0]
        if node[0] in {"ORG", "EVENT", "AGREEMENT"} and is_acronym(spelling):
            roots = {clusters.find(n) for n in initials.get(spelling.upper(), set()) if n[0] == node[0]}
            if len(roots) == 1 and clusters.find(node) == node and len(clusters.members[node]) == 1:
                clusters.union(node, next(iter(roots)))

    # 3. persons: a family name alone -> the one full name with that family name
    by_family: dict[str, set[Node]] = defaultdict(set)
    for node, counter in node_names.items():
        if node[0] == "PER":
            spelling = counter.most_common(1)[0][0]
            if len(spelling.split()) >= 2:
                by_family[family_name(spelling).lower()].add(clusters.find(node))
                if preferred_person_rank(spelling) == 1:
                    by_family[spelling.split()[0].lower()].add(clusters.find(node))
    for node, counter in sorted(node_names.items()):
        if node[0] == "PER" and len(node[1].split()) == 1:
            roots = by_family.get(node[1], set())
            if len(roots) == 1:
                clusters.union(node, next(iter(roots)))

    # 4. places: one GeoNames id, one entity
    by_geonames: dict[str, list[Node]] = defaultdict(list)
    for node, counter in sorted(node_names.items()):
        if node[0] == "LOC":
            region = lookup(counter.most_common(1)[0][0])
            if region is not None:
                by_geonames[region.geonames_id].append(node)
    for nodes in by_geonames.values():
        for other in nodes[1:]:
            clusters.union(nodes[0], other)

    # 5. one name per cluster
    spellings: dict[Node, Counter[str]] = defaultdict(Counter)
    for node, counter in node_names.items():
        spellings[clusters.find(node)].update(counter)
    chosen: dict[Node, str] = {}
    for root, counter in spellings.items():
        curated = sorted(forced[n] for n in clusters.members[root] if n in forced)
        chosen[root] = curated[0] if curated else _best_name(root[0], counter)

    # 6. rewrite records and build the entity table (organisations get the country of the
    #    places the text locates them in, when those agree)
    org_countries = _organisation_countries(ordered)
    table: dict[tuple[str, str], EntityInfo] = {}
    for record in ordered:
        for m in record.entities:
            root = clusters.find(mention_nodes[(record.doc_id, m.id)])
            canonical = chosen[root]
            previous = m.entity
            m.entity = canonical
            info = table.get((m.label, canonical))
            if info is None:
                info = table[(m.label, canonical)] = EntityInfo(m.label, canonical, entity_iri(m.label, canonical))
                if m.label == "LOC":
                    region = lookup(canonical)
                    if region is not None:
                        info.geonames_id = region.geonames_id
                        info.country_code = region.country_code or None
            if m.label == "ORG" and info.country_code is None:
                info.country_code = org_countries.get(previous) or org_countries.get(canonical)
            for alias in (m.text, previous):
                if alias and alias != canonical:
                    info.aliases.add(alias)
    return extractions, table


def _organisation_countries(records: list[Extraction]) -> dict[str, str]:
    """Within-document organisation name -> ISO country code, from the LOCATED_IN
    relations of all documents, kept only where every located place agrees."""
    seen: dict[str, set[str]] = defaultdict(set)
    for record in records:
        by_id = {m.id: m for m in record.entities}
        for relation in record.relations:
            head, tail = by_id.get(relation.head), by_id.get(relation.tail)
            if relation.type != "LOCATED_IN" or head is None or tail is None or head.label != "ORG":
                continue
            region = lookup(_normalised("LOC", tail.entity))
            if region is not None and region.country_code:
                seen[head.entity].add(region.country_code)
    return {name: next(iter(codes)) for name, codes in seen.items() if len(codes) == 1}


def _normalised(label: str, name: str) -> str:
    """Re-apply per-mention normalisation (idempotent), so records from elsewhere
    (a JSONL file, another pipeline) are treated like our own."""
    if label in {"PER", "LOC"}:
        return canonical_name(label, name)
    return re.sub(r"\s+", " ", name).strip()


#: Labels whose cluster is named by its fullest spelling ("Deutscher Industrie- und
#: Handelskammertag e. V." over the more frequent "Deutscher Industrie- und Handelskammertag").
FULLEST_LABELS = frozenset({"ORG", "EVENT", "AGREEMENT"})


def _best_name(label: str, counter: Counter[str]) -> str:
    """The spelling that names a cluster: a full name over an acronym, then (persons) the
    given-name-first order and the full name, (organisations, events, agreements) the
    most words and a capital first letter, then the most frequent, then the fewest
    capitals, the longest, the alphabetically first (deterministic)."""
    return sorted(
        counter,
        key=lambda n: (
            is_acronym(n) and label != "LOC",
            preferred_person_rank(n) if label == "PER" else 0,
            -len(n.split()) if label == "PER" else 0,  # a person's full name over the family name
            -len(re.split(r"[\s-]+", n)) if label in FULLEST_LABELS else 0,  # the fullest proper name (GUIDELINES)
            not n[:1].isupper() if label in FULLEST_LABELS else False,  # "Deutsch-Chinesische ..." over "deutsch-..."
            -counter[n],
            sum(ch.isupper() for ch in n),  # "automotiveland.nrw" over "automotiveland.NRW"
            -len(n),
            n,
        ),
    )[0]
