"""Build: corpus files -> extractions -> identity -> RDF -> the on-disk store.

The build is incremental and idempotent:

- a document whose (doc_id, content hash, pipeline version) is in the
  extraction cache is not run through spaCy again;
- identity (kg.identity.resolve_corpus) runs over the extractions of ALL
  documents of the store, sorted by doc_id, so canonical names and IRIs do
  not depend on which files were named in this run or in what order;
- a document graph is written only when its fingerprint (hash of its sorted
  triples) differs from the stored one, each in one transaction; the derived
  entities graph is rewritten as a whole at the end.

Because every step is a pure function of the cached extractions, a build
killed at any point and restarted ends with exactly the triples of one
uninterrupted build.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import spacy
from tqdm import tqdm

import kg
from kg.corpus import Document, ReadProblem, iter_documents
from kg.identity import resolve_corpus
from kg.rdf.mapping import complete_table, document_triples, entities_triples, ordered_relations, relation_fits
from kg.rdf.namespace import KG
from kg.rdf.store import ExtractionCache, GraphStore, StoredDocument, open_store
from kg.records import Extraction

#: Seconds to wait after each document transaction (0 = none). Only for
#: demonstrating and testing that an interrupted build recovers.
WRITE_DELAY_ENV = "KG_BUILD_WRITE_DELAY"


class BuildError(Exception):
    """The build cannot go on as asked; the message says what to do instead."""


@dataclass
class BuildReport:
    """What a build did, document by document."""

    added: list[str] = field(default_factory=list)  # new doc_ids
    replaced: list[str] = field(default_factory=list)  # content changed: old facts replaced
    updated: list[str] = field(default_factory=list)  # same content, graph changed (identity moved)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[ReadProblem] = field(default_factory=list)  # inputs that gave no document
    removed: list[str] = field(default_factory=list)  # stored documents dropped by --prune
    extracted: int = 0  # documents run through the pipeline in this build
    cached: int = 0  # documents whose extraction came from the cache
    documents: int = 0  # documents in the store after the build
    entities: int = 0
    statements: int = 0
    relations_dropped: int = 0  # relations whose type does not fit their mentions' labels
    triple_count: int = 0

    def skipped_summary(self) -> str:
        """'N documents skipped: 2 empty document, 1 binary file' (empty when nothing was skipped)."""
        if not self.skipped:
            return ""
        reasons = Counter(_reason(p.problem) for p in self.skipped)
        parts = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
        noun = "document" if len(self.skipped) == 1 else "documents"
        return f"{len(self.skipped)} {noun} skipped: {parts}"

    def summary(self) -> str:
        return (
            f"{self.documents} documents in store ({len(self.added)} added, {len(self.replaced)} replaced, "
            f"{len(self.updated)} updated, {len(self.unchanged)} unchanged, {len(self.removed)} removed; "
            f"{self.extracted} extracted, "
            f"{self.cached} from cache), {self.entities} entities, {self.statements} statements, "
            f"{self.triple_count} triples"
        )


def _reason(problem: str) -> str:
    """Short class of a problem message: the text before any detail in brackets or after a colon."""
    for sep in (": ", " ("):
        problem = problem.split(sep, 1)[0]
    return re.sub(r"^\d+\s+", "", problem.strip()) or "unreadable"


# --- pipeline version -------------------------------------------------------


def _hash_tree(h: "hashlib._Hash", root: Path) -> None:
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())


@functools.lru_cache(maxsize=1)
def default_pipeline_version() -> str:
    """Version of the default pipeline without loading it: a hash of the
    extraction code, the rules and the shipped model (kg/nlp/**) and spaCy's version.

    Computed once per process: the code a process runs does not change under it."""
    package = Path(kg.__file__).parent
    h = hashlib.sha256(f"kg {kg.__version__} spacy {spacy.__version__}".encode())
    _hash_tree(h, package / "nlp")
    for name in ("extraction.py", "records.py"):
        h.update((package / name).read_bytes())
    return "default-" + h.hexdigest()[:16]


def custom_pipeline_version(nlp: spacy.Language) -> str:
    """Version of a pipeline handed in by the caller: its config and its components' code."""
    h = hashlib.sha256(nlp.config.to_str().encode())
    for name, component in nlp.pipeline:
        h.update(name.encode())
        try:
            source = inspect.getsourcefile(type(component))
            if source:
                h.update(Path(source).read_bytes())
        except (TypeError, OSError):
            h.update(type(component).__qualname__.encode())
    return "custom-" + h.hexdigest()[:16]


# --- build --------------------------------------------------------------------


def build(
    paths: Iterable[Path],
    store_path: Path,
    *,
    nlp: spacy.Language | None = None,
    progress: bool = True,
    reextract: bool = False,
    prune: bool = False,
) -> BuildReport:
    """Extract the documents under ``paths`` and bring the store at ``store_path`` up to date.

    Documents already in the store but not under ``paths`` stay (and take part
    in identity resolution), unless ``prune`` removes them.
    """
    report = BuildReport()
    documents: list[Document] = []
    for item in iter_documents(Path(p) for p in paths):
        if isinstance(item, ReadProblem):
            report.skipped.append(item)
        else:
            documents.append(item)

    version = custom_pipeline_version(nlp) if nlp is not None else default_pipeline_version()
    with open_store(Path(store_path)) as store:
        cache = ExtractionCache(Path(store_path))
        try:
            stored = store.documents()
            records, todo = _collect(documents, stored, cache, version, reextract, prune, report)
            if todo:
                if nlp is None:
                    from kg.nlp.pipeline import load_pipeline

                    nlp = load_pipeline()
                for record in _extract(nlp, todo, progress):
                    cache.put(record, record.meta["content_hash"], version)
                    records[record.doc_id] = record
                    report.extracted += 1
            _write(store, records, stored, progress, report)
        finally:
            cache.close()
    return report


def _collect(
    documents: list[Document],
    stored: dict[str, StoredDocument],
    cache: ExtractionCache,
    version: str,
    reextract: bool,
    prune: bool,
    report: BuildReport,
) -> tuple[dict[str, Extraction], list[Document]]:
    """Cached extractions of the named documents and of the ones already in the
    store; and the documents that still need the pipeline."""
    records: dict[str, Extraction] = {}
    todo: list[Document] = []
    named = {d.doc_id for d in documents}
    for doc in documents:
        record = None if reextract else cache.get(doc.doc_id, doc.content_hash, version)
        if record is None:
            todo.append(doc)
        else:
            records[doc.doc_id] = record
            report.cached += 1
    unknown: list[str] = []
    for doc_id in sorted(set(stored) - named):
        if prune:
            report.removed.append(doc_id)
            continue
        content_hash = stored[doc_id].content_hash
        record = None if reextract else cache.get(doc_id, content_hash, version)
        if record is not None:
            records[doc_id] = record
            report.cached += 1
            continue
        old = cache.any_version(doc_id, content_hash)
        doc = _document_of(old) if old is not None else None
        if doc is None or doc.content_hash != content_hash:
            unknown.append(doc_id)  # its text is not in the cache: cannot be re-extracted
            continue
        todo.append(doc)
    if unknown:
        shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        raise BuildError(
            f"the store holds {len(unknown)} documents whose text is not in its extraction cache ({shown}): "
            "name their files in PATHS too, or pass --prune to remove them from the store"
        )
    return records, todo


def _document_of(record: Extraction) -> Document:
    meta = record.meta or {}
    return Document(record.doc_id, record.text, url=meta.get("url"), title=meta.get("title"), date=meta.get("date"))


def _extract(nlp: spacy.Language, documents: list[Document], progress: bool) -> Iterable[Extraction]:
    from kg.extraction import extract_documents

    bar = tqdm(total=len(documents), desc="extracting", unit="doc", disable=not progress, file=sys.stderr)
    with bar:
        for record in extract_documents(nlp, documents):
            bar.update(1)
            yield record


def _write(
    store: GraphStore,
    records: dict[str, Extraction],
    stored: dict[str, StoredDocument],
    progress: bool,
    report: BuildReport,
) -> None:
    ordered = [records[k] for k in sorted(records)]
    resolved, table = resolve_corpus(ordered)
    table = complete_table(resolved, table)
    delay = float(os.environ.get(WRITE_DELAY_ENV) or 0)
    bar = tqdm(total=len(resolved), desc="writing", unit="doc", disable=not progress, file=sys.stderr)
    with bar:
        for record in resolved:
            triples = document_triples(record, table)
            fp = next(str(o) for _, p, o in triples if p == KG.fingerprint)
            old = stored.get(record.doc_id)
            if old is not None and old.fingerprint == fp:
                report.unchanged.append(record.doc_id)
            else:
                store.replace_document_graph(record.doc_id, triples)
                if old is None:
                    report.added.append(record.doc_id)
                elif old.content_hash != record.meta.get("content_hash"):
                    report.replaced.append(record.doc_id)
                else:
                    report.updated.append(record.doc_id)
                if delay:
                    time.sleep(delay)
            bar.update(1)
    for record in resolved:
        kept = len(ordered_relations(record))
        report.statements += kept
        report.relations_dropped += sum(1 for r in record.relations if not relation_fits(record, r))
    for doc_id in report.removed:
        store.remove_document(doc_id)
    store.replace_entities_graph(entities_triples(resolved, table))
    report.documents = len(resolved)
    report.entities = len({info.iri for info in table.values()})
    report.triple_count = store.triple_count()
