"""Scoring extractions against gold annotations, as GUIDELINES.md "Scoring" says.

Both sides are lists of :class:`kg.records.Extraction` (gold-format JSONL).
Documents are matched by ``doc_id``; the gold file defines the evaluation set:
a gold document without a prediction counts as predicted empty (all its gold
items are misses), a predicted document that is not in the gold file is
ignored and listed in ``extra_docs``. A predicted document whose text differs
from the gold text is an error (offsets would not mean the same thing).

Definitions (tp/fp/fn are counts of set elements; every set is per document,
then the counts are summed over documents):

* Counts: precision P = tp/(tp+fp), recall R = tp/(tp+fn) (None when the
  denominator is 0), F1 = 2·tp/(2·tp+fp+fn) (= harmonic mean of P and R;
  None only when tp = fp = fn = 0). "micro" sums tp/fp/fn over all labels
  or types before computing P/R/F1.
* Mentions: the set of (start, end, label) per document; a prediction is
  correct only with exactly the gold span and label. Per label and micro.
* Entities: the set of (normalised canonical name, label) per document.
  Name normalisation (:func:`normalise_name`): Unicode NFC, leading titles
  removed (Prof., Dr., Dr.-Ing., Dipl.-Ing., h.c., Herr, Frau, Minister,
  Ministerin, Mr., Mrs., Ms., in any sequence: "Prof. Dr. Andreas Pinkwart"
  -> "andreas pinkwart"; never the whole name), whitespace collapsed, case
  folded; for PER the words are also sorted, so word order is ignored
  ("ZHU Wenlong" = "Wenlong Zhu"). Per label and micro.
* Relations: the set of (head key, type, tail key) per document, where a key
  is the normalised canonical name (with the PER rule when that mention is a
  PER) of the mention that head/tail names; for the symmetric types
  (COOPERATES, MET) head and tail form an unordered pair; ``role`` and
  evidence offsets are not scored. Per type and micro.
* Cross-document identity, B-cubed (Bagga & Baldwin 1998) over the set G of
  all gold mentions of all gold documents. The gold cluster of a mention m
  is the set of gold mentions (any document) with m's (label, normalised
  canonical name). The system cluster of m is the set of gold mentions whose
  system key equals m's; the system key of a gold mention is the normalised
  canonical name (PER rule by the predicted label) of the predicted mention
  with exactly the same (start, end) in the same document, whatever its
  label; a gold mention without such a prediction is a singleton (its own
  unique key). Then P = mean over m in G of |gold(m) ∩ sys(m)| / |sys(m)|,
  R = mean of |gold(m) ∩ sys(m)| / |gold(m)|, F1 = 2PR/(P+R).

``evaluate(..., labels=[...])`` (``kg eval --labels``) first drops mentions
of other labels from both sides, with the relations that touch them: for
gold sets that annotate only some labels (PER/ORG/LOC of a NER corpus).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Hashable, Iterable

from kg.records import LABELS, RELATION_TYPES, SYMMETRIC_RELATIONS, Extraction, Mention

_TITLE_TOKEN = re.compile(
    r"^(?:prof|dr|dipl|ing|h\.\s?c|herr|frau|minister|ministerin|mr|mrs|ms)\.?(?:-[a-zäöü]+\.?)*,?$",
    re.IGNORECASE,
)


class EvalInputError(ValueError):
    """A gold or prediction file that cannot be scored; the message names file and line."""


# --------------------------------------------------------------------------- normalisation


def normalise_name(name: str, label: str | None = None) -> str:
    """The comparison key of a canonical name (see the module docstring)."""
    tokens = unicodedata.normalize("NFC", name).split()
    while len(tokens) > 1 and _TITLE_TOKEN.match(tokens[0]):
        tokens.pop(0)
    tokens = [t.casefold() for t in tokens]
    if label == "PER":
        tokens.sort()
    return " ".join(tokens)


# --------------------------------------------------------------------------- counts


@dataclass
class Counts:
    """True positives, false positives, false negatives and what follows from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set[Hashable], pred: set[Hashable]) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def __iadd__(self, other: "Counts") -> "Counts":
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None

    @property
    def support(self) -> int:
        """Number of gold items."""
        return self.tp + self.fn

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "support": self.support,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def _micro(table: dict[str, Counts]) -> Counts:
    total = Counts()
    for counts in table.values():
        total += counts
    return total


@dataclass
class BCubed:
    """B-cubed precision/recall/F1 over the gold mentions."""

    precision: float | None = None
    recall: float | None = None
    mentions: int = 0  # gold mentions scored
    matched: int = 0  # of which a prediction has exactly the same span

    @property
    def f1(self) -> float | None:
        if self.precision is None or self.recall is None:
            return None
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "mentions": self.mentions,
            "matched_spans": self.matched,
        }


@dataclass
class EvalResult:
    """Everything ``kg eval`` reports; ``to_dict()`` is the ``--json`` output."""

    documents: int = 0
    labels: list[str] = field(default_factory=lambda: list(LABELS))  # entity labels scored
    mentions: dict[str, Counts] = field(default_factory=dict)
    entities: dict[str, Counts] = field(default_factory=dict)
    relations: dict[str, Counts] = field(default_factory=dict)
    bcubed: BCubed = field(default_factory=BCubed)
    missing_docs: list[str] = field(default_factory=list)  # gold documents without prediction
    extra_docs: list[str] = field(default_factory=list)  # predicted documents not in gold

    @property
    def mentions_micro(self) -> Counts:
        return _micro(self.mentions)

    @property
    def entities_micro(self) -> Counts:
        return _micro(self.entities)

    @property
    def relations_micro(self) -> Counts:
        return _micro(self.relations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "labels": list(self.labels),
            "mentions": {
                "per_label": {k: v.to_dict() for k, v in self.mentions.items()},
                "micro": self.mentions_micro.to_dict(),
            },
            "entities": {
                "per_label": {k: v.to_dict() for k, v in self.entities.items()},
                "micro": self.entities_micro.to_dict(),
            },
            "relations": {
                "per_type": {k: v.to_dict() for k, v in self.relations.items()},
                "micro": self.relations_micro.to_dict(),
            },
            "bcubed": self.bcubed.to_dict(),
            "missing_docs": list(self.missing_docs),
            "extra_docs": list(self.extra_docs),
        }


# --------------------------------------------------------------------------- scoring


def _mention_key(mention: Mention) -> str:
    return normalise_name(mention.entity, mention.label)


def _type_order(rtype: str) -> tuple[int, str]:
    """Guideline order first, unknown types after, alphabetically."""
    return (RELATION_TYPES.index(rtype) if rtype in RELATION_TYPES else len(RELATION_TYPES), rtype)


def _relation_set(record: Extraction) -> dict[str, set[tuple[str, ...]]]:
    """Relations of one document as comparable triples, grouped by type."""
    by_id = {m.id: m for m in record.entities}
    result: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for relation in record.relations:
        head, tail = by_id.get(relation.head), by_id.get(relation.tail)
        if head is None or tail is None:
            missing = relation.head if head is None else relation.tail
            raise EvalInputError(f"document {record.doc_id!r}: relation {relation.type} names no mention {missing!r}")
        h, t = _mention_key(head), _mention_key(tail)
        if relation.type in SYMMETRIC_RELATIONS:
            h, t = sorted((h, t))
        result[relation.type].add((h, relation.type, t))
    return result


def bcubed(gold_keys: list[Hashable], system_keys: list[Hashable]) -> tuple[float | None, float | None]:
    """B-cubed (precision, recall) of two clusterings of the same items.

    ``gold_keys[i]``/``system_keys[i]`` are the cluster ids of item i.
    """
    if len(gold_keys) != len(system_keys):
        raise ValueError("both clusterings must cover the same items")
    if not gold_keys:
        return None, None
    gold_size = Counter(gold_keys)
    system_size = Counter(system_keys)
    both = Counter(zip(gold_keys, system_keys))
    precision = sum(both[(g, s)] / system_size[s] for g, s in zip(gold_keys, system_keys)) / len(gold_keys)
    recall = sum(both[(g, s)] / gold_size[g] for g, s in zip(gold_keys, system_keys)) / len(gold_keys)
    return precision, recall


def restrict_labels(record: Extraction, labels: Iterable[str]) -> Extraction:
    """The record with only mentions of the given labels (and relations between those)."""
    keep = set(labels)
    entities = [m for m in record.entities if m.label in keep]
    ids = {m.id for m in entities}
    relations = [r for r in record.relations if r.head in ids and r.tail in ids]
    return Extraction(doc_id=record.doc_id, text=record.text, entities=entities, relations=relations, meta=record.meta)


def evaluate(
    gold: Iterable[Extraction], predicted: Iterable[Extraction], labels: Iterable[str] | None = None
) -> EvalResult:
    """Score predicted records against gold records (see the module docstring).

    ``labels`` restricts scoring to those entity labels on both sides (for a
    gold set that annotates only some of them, e.g. PER/ORG/LOC of a NER
    corpus, where predicted AGREEMENTs are not errors).
    """
    gold_docs = list(gold)
    if labels is not None:
        labels = list(labels)
        gold_docs = [restrict_labels(g, labels) for g in gold_docs]
        predicted = [restrict_labels(p, labels) for p in predicted]
    pred_by_id: dict[str, Extraction] = {}
    for record in predicted:
        if record.doc_id in pred_by_id:
            raise EvalInputError(f"predictions: doc_id {record.doc_id!r} occurs twice")
        pred_by_id[record.doc_id] = record
    gold_ids = [g.doc_id for g in gold_docs]
    if len(set(gold_ids)) != len(gold_ids):
        twice = sorted(k for k, n in Counter(gold_ids).items() if n > 1)
        raise EvalInputError(f"gold: doc_id occurs twice: {', '.join(twice)}")

    scored_labels = [label for label in LABELS if labels is None or label in labels]
    result = EvalResult(documents=len(gold_docs), labels=scored_labels)
    result.mentions = {label: Counts() for label in scored_labels}
    result.entities = {label: Counts() for label in scored_labels}
    result.relations = {rtype: Counts() for rtype in RELATION_TYPES}
    result.extra_docs = sorted(set(pred_by_id) - set(gold_ids))

    gold_cluster: list[Hashable] = []
    system_cluster: list[Hashable] = []
    matched = 0
    for g in gold_docs:
        p = pred_by_id.get(g.doc_id)
        if p is None:
            result.missing_docs.append(g.doc_id)
            p = Extraction(doc_id=g.doc_id, text=g.text)
        elif p.text != g.text:
            at = next((i for i, (a, b) in enumerate(zip(g.text, p.text)) if a != b), min(len(g.text), len(p.text)))
            raise EvalInputError(
                f"document {g.doc_id!r}: predicted text differs from the gold text at offset {at} "
                f"(lengths {len(p.text)} vs {len(g.text)}); offsets cannot be compared"
            )

        other_labels = ({m.label for m in g.entities} | {m.label for m in p.entities}) - set(LABELS)
        for label in scored_labels + sorted(other_labels):
            gold_m = {(m.start, m.end) for m in g.entities if m.label == label}
            pred_m = {(m.start, m.end) for m in p.entities if m.label == label}
            gold_e = {_mention_key(m) for m in g.entities if m.label == label}
            pred_e = {_mention_key(m) for m in p.entities if m.label == label}
            result.mentions.setdefault(label, Counts()).add(gold_m, pred_m)
            result.entities.setdefault(label, Counts()).add(gold_e, pred_e)

        gold_rel, pred_rel = _relation_set(g), _relation_set(p)
        for rtype in sorted(set(gold_rel) | set(pred_rel), key=_type_order):
            result.relations.setdefault(rtype, Counts()).add(gold_rel.get(rtype, set()), pred_rel.get(rtype, set()))

        by_span: dict[tuple[int, int], Mention] = {}
        for m in p.entities:
            by_span.setdefault((m.start, m.end), m)  # first prediction of a span wins
        for m in g.entities:
            gold_cluster.append(("gold", m.label, _mention_key(m)))
            hit = by_span.get((m.start, m.end))
            if hit is None:
                system_cluster.append(("singleton", g.doc_id, m.start, m.end, m.id))
            else:
                matched += 1
                system_cluster.append(("system", _mention_key(hit)))

    precision, recall = bcubed(gold_cluster, system_cluster)
    result.bcubed = BCubed(precision=precision, recall=recall, mentions=len(gold_cluster), matched=matched)
    return result


# --------------------------------------------------------------------------- files


def load_records(path: Path) -> list[Extraction]:
    """Read a gold-format JSONL file, checking what scoring relies on.

    Raises EvalInputError naming file and line for anything malformed:
    unreadable or non-UTF-8 file, a line that is not a JSON object, missing
    fields, offsets outside the text or not matching the mention text,
    duplicate mention ids, a doc_id given twice.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EvalInputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise EvalInputError(f"{path}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    records: list[Extraction] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise EvalInputError(f"{where}: not JSON ({exc})") from None
        if not isinstance(data, dict):
            raise EvalInputError(f"{where}: not a JSON object")
        missing = [k for k in ("doc_id", "text") if k not in data]
        if missing:
            raise EvalInputError(f"{where}: missing field(s) {', '.join(missing)}")
        if not isinstance(data["text"], str):
            raise EvalInputError(f"{where}: 'text' is not a string")
        if not isinstance(data.get("entities", []), list) or not isinstance(data.get("relations", []), list):
            raise EvalInputError(f"{where}: 'entities' and 'relations' must be lists")
        try:
            record = Extraction.from_json(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise EvalInputError(f"{where}: malformed mention or relation ({exc!r})") from None
        if record.doc_id in seen:
            raise EvalInputError(f"{where}: doc_id {record.doc_id!r} already on line {seen[record.doc_id]}")
        seen[record.doc_id] = number
        ids: set[str] = set()
        for m in record.entities:
            if m.id in ids:
                raise EvalInputError(f"{where}: duplicate mention id {m.id!r}")
            ids.add(m.id)
            if not 0 <= m.start < m.end <= len(record.text):
                raise EvalInputError(f"{where}: mention {m.id} has bad offsets {m.start}..{m.end}")
            if record.text[m.start : m.end] != m.text:
                raise EvalInputError(
                    f"{where}: mention {m.id}: text[{m.start}:{m.end}] is {record.text[m.start:m.end]!r}, not {m.text!r}"
                )
        for r in record.relations:
            for end in (r.head, r.tail):
                if end not in ids:
                    raise EvalInputError(f"{where}: relation {r.type} names no mention {end!r}")
        records.append(record)
    if not records:
        raise EvalInputError(f"{path}: no records")
    return records


# --------------------------------------------------------------------------- report


def _fmt(value: float | None) -> str:
    return "    -" if value is None else f"{value:5.3f}"


def _table(title: str, table: dict[str, Counts], micro: Counts) -> list[str]:
    lines = [f"{title:<14} {'P':>5} {'R':>5} {'F1':>5} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for name, c in table.items():
        if c.tp + c.fp + c.fn == 0:
            continue  # neither gold nor predicted: nothing to say
        lines.append(f"  {name:<12} {_fmt(c.precision)} {_fmt(c.recall)} {_fmt(c.f1)} {c.tp:5d} {c.fp:5d} {c.fn:5d}")
    c = micro
    lines.append(f"  {'micro':<12} {_fmt(c.precision)} {_fmt(c.recall)} {_fmt(c.f1)} {c.tp:5d} {c.fp:5d} {c.fn:5d}")
    return lines


def format_result(result: EvalResult) -> str:
    """A readable plain-text table of an EvalResult."""
    lines = [f"documents: {result.documents}"]
    if list(result.labels) != list(LABELS):
        lines[0] += f"   (scoring only labels {', '.join(result.labels)})"
    if result.missing_docs:
        lines.append(f"WARNING: no prediction for {len(result.missing_docs)} gold document(s): " + ", ".join(result.missing_docs))
    if result.extra_docs:
        lines.append(f"note: {len(result.extra_docs)} predicted document(s) not in gold, ignored: " + ", ".join(result.extra_docs))
    lines.append("")
    lines += _table("mentions", result.mentions, result.mentions_micro)
    lines.append("")
    lines += _table("entities", result.entities, result.entities_micro)
    lines.append("")
    lines += _table("relations", result.relations, result.relations_micro)
    lines.append("")
    b = result.bcubed
    lines.append(f"{'identity':<14} {'P':>5} {'R':>5} {'F1':>5}")
    lines.append(
        f"  {'B-cubed':<12} {_fmt(b.precision)} {_fmt(b.recall)} {_fmt(b.f1)}"
        f"   ({b.mentions} gold mentions, {b.matched} with an exactly matching predicted span)"
    )
    return "\n".join(lines)
