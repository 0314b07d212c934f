"""Corpus: the Document record and the readers that make it from files.

(The readers for .txt/.html/.jsonl and their error reporting are filled in by
the corpus stage; the Document record below is the contract.)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Document:
    """One press release: its id, text and header metadata.

    ``doc_id`` is stable (file stem or JSONL ``id``); ``content_hash`` is the
    SHA-256 of the text and metadata, so a changed document is noticed.
    """

    doc_id: str
    text: str
    url: str | None = None
    title: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD) or None
    language: str | None = None
    source: Path | None = field(default=None, compare=False)

    @property
    def content_hash(self) -> str:
        h = hashlib.sha256()
        for part in (self.doc_id, self.url or "", self.title or "", self.date or "", self.text):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()

    def meta(self) -> dict[str, str]:
        """Metadata as stored in Extraction.meta (only the fields present)."""
        data = {"url": self.url, "title": self.title, "date": self.date, "content_hash": self.content_hash}
        return {k: v for k, v in data.items() if v}
