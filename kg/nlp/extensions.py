"""Custom attributes that our spaCy components fill and extraction reads.

- ``Span._.canonical``: the canonical name of an entity mention within its
  document (set by the identity component; None means "use the text").
- ``Doc._.relations``: the relations the relation component found, as
  :class:`RelationSpan` records pointing at entity spans of ``doc.ents``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span


@dataclass(frozen=True)
class RelationSpan:
    """A relation between two entity spans, with its evidence sentence."""

    type: str
    head: Span
    tail: Span
    role: str | None
    sentence: Span


def register_extensions() -> None:
    """Register the attributes once; safe to call repeatedly."""
    if not Span.has_extension("canonical"):
        Span.set_extension("canonical", default=None)
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", default=None)


register_extensions()
