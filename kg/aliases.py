"""Curated identity decisions: the user-editable alias file (ontology/aliases.yaml).

Human decisions are kept apart from extracted data (the nomenklatura idea)
and applied by kg.identity on every build: ``same`` groups force names into
one entity with a chosen canonical name, ``not_same`` pairs forbid the
resolver to merge two names however similar they look. The file is plain
YAML so that users extend it without code::

    same:
      - label: ORG
        name: Deutscher Industrie- und Handelskammertag
        aliases: [DIHK, Deutsche Industrie- und Handelskammertag]
    not_same:
      - label: PER
        names: [Anna Schmidt, Berta Schmidt]
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kg.records import LABELS

#: The shipped file; KG_ALIASES (a path) replaces it, for users' own decisions.
DEFAULT_ALIASES = Path(__file__).resolve().parents[1] / "ontology" / "aliases.yaml"


@dataclass
class AliasTable:
    """Forced merges and forbidden merges, by (label, name)."""

    same: dict[tuple[str, str], str] = field(default_factory=dict)  # (label, alias) -> canonical
    not_same: set[frozenset[tuple[str, str]]] = field(default_factory=set)

    def canonical(self, label: str, name: str, key: str) -> str | None:
        """The curated canonical name for ``name`` (compared by ``key``), if any."""
        return self.same.get((label, key))


def default_alias_path() -> Path:
    env = os.environ.get("KG_ALIASES")
    return Path(env) if env else DEFAULT_ALIASES


def load_aliases(path: Path | None = None, *, key=None) -> AliasTable:
    """Read an alias file; a missing default file gives an empty table, a bad file
    raises ValueError with a one-line message naming the file."""
    from kg.nlp.names import name_key

    key = key or name_key
    path = path or default_alias_path()
    if not path.exists():
        if path == DEFAULT_ALIASES:
            return AliasTable()
        raise ValueError(f"{path}: alias file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping with 'same' and/or 'not_same'")
    table = AliasTable()
    for number, entry in enumerate(data.get("same") or [], start=1):
        if not isinstance(entry, dict) or "name" not in entry or entry.get("label") not in LABELS:
            raise ValueError(f"{path}: same entry {number} needs 'label' (one of {', '.join(LABELS)}) and 'name'")
        label, name = entry["label"], str(entry["name"])
        for alias in [name, *(entry.get("aliases") or [])]:
            table.same[(label, key(label, str(alias)))] = name
    for number, entry in enumerate(data.get("not_same") or [], start=1):
        names = entry.get("names") if isinstance(entry, dict) else None
        if entry.get("label") not in LABELS or not isinstance(names, list) or len(names) < 2:
            raise ValueError(f"{path}: not_same entry {number} needs 'label' and a list of two or more 'names'")
        keys = [(entry["label"], key(entry["label"], str(n))) for n in names]
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                table.not_same.add(frozenset((a, b)))
    return table
