"""The Extraction record: the one contract between extraction, evaluation and RDF.

Its JSON form is exactly the gold format of the annotation guidelines
(``doc_id``, ``text``, ``entities``, ``relations``), so what ``kg extract``
writes is what ``kg eval`` scores and what the RDF mapping reads. Fields that
the guidelines do not know (sentence evidence of a relation, document
metadata) are optional extras: a scorer ignores them, the graph keeps them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Iterator, TextIO

LABELS: tuple[str, ...] = ("PER", "ORG", "LOC", "AGREEMENT", "EVENT")
RELATION_TYPES: tuple[str, ...] = (
    "ROLE",
    "AFFILIATED",
    "PART_OF",
    "LOCATED_IN",
    "PARTY_TO",
    "COOPERATES",
    "PARTICIPATED",
    "MET",
)
SYMMETRIC_RELATIONS: frozenset[str] = frozenset({"COOPERATES", "MET"})


@dataclass
class Mention:
    """One entity mention: a character span of the document text."""

    id: str
    start: int
    end: int
    label: str
    text: str
    entity: str  # canonical name; equal names mean the same real-world thing

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Relation:
    """A relation the text states between two mentions.

    ``sentence_start``/``sentence_end`` locate the evidence sentence in the
    document text; they are extras beyond the gold format.
    """

    type: str
    head: str
    tail: str
    role: str | None = None
    sentence_start: int | None = None
    sentence_end: int | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type, "head": self.head, "tail": self.tail, "role": self.role}
        if self.sentence_start is not None and self.sentence_end is not None:
            data["sentence_start"] = self.sentence_start
            data["sentence_end"] = self.sentence_end
        return data


@dataclass
class Extraction:
    """Everything extracted from one document, in the gold-file shape."""

    doc_id: str
    text: str
    entities: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # url, title, date, content_hash

    def mention(self, mention_id: str) -> Mention:
        for m in self.entities:
            if m.id == mention_id:
                return m
        raise KeyError(f"{self.doc_id}: no mention {mention_id!r}")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "doc_id": self.doc_id,
            "text": self.text,
            "entities": [m.to_json() for m in self.entities],
            "relations": [r.to_json() for r in self.relations],
        }
        if self.meta:
            data["meta"] = self.meta
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Extraction":
        entities = [
            Mention(
                id=str(e["id"]),
                start=int(e["start"]),
                end=int(e["end"]),
                label=str(e["label"]),
                text=str(e["text"]),
                entity=str(e.get("entity") or e["text"]),
            )
            for e in data.get("entities", [])
        ]
        relations = [
            Relation(
                type=str(r["type"]),
                head=str(r["head"]),
                tail=str(r["tail"]),
                role=r.get("role"),
                sentence_start=r.get("sentence_start"),
                sentence_end=r.get("sentence_end"),
            )
            for r in data.get("relations", [])
        ]
        return cls(
            doc_id=str(data["doc_id"]),
            text=str(data["text"]),
            entities=entities,
            relations=relations,
            meta=dict(data.get("meta") or {}),
        )


def read_jsonl(stream: TextIO) -> Iterator[Extraction]:
    """Read Extraction records, one JSON object per non-blank line."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield Extraction.from_json(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            name = getattr(stream, "name", "<stream>")
            raise ValueError(f"{name}:{number}: not an extraction record ({exc})") from exc


def write_jsonl(records: Iterable[Extraction], stream: TextIO) -> int:
    """Write records as JSONL; returns how many were written."""
    count = 0
    for record in records:
        stream.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
        count += 1
    return count
