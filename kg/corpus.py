"""Corpus: the Document record and the readers that make it from files.

Readers turn files into :class:`Document` records and report every input
they cannot use as a :class:`ReadProblem` instead of raising, so one bad file
never stops a run and nothing is dropped without a message.

Supported inputs (directories are walked recursively, in sorted order):

* ``.txt`` — an optional header of ``key: value`` lines (``url``, ``title``,
  ``date``, ``language``; other keys are ignored) ended by a line that is
  exactly ``---``. The text is everything after that line's newline; without
  a header the whole file is the text. The rule is the one of the gold
  guidelines (and of ``validate_gold.py``), so gold offsets match what we
  read: the file is decoded as UTF-8 and newlines are read as Python's text
  mode reads them (``\\r\\n`` and ``\\r`` become ``\\n``); a leading BOM is
  dropped.
* ``.html`` / ``.htm`` — main text, title and date extracted with
  trafilatura; where trafilatura cannot be imported, a small lxml fallback
  takes the text of ``<article>``/``<main>``/``<body>`` without scripts,
  navigation, headers and footers.
* ``.jsonl`` — one JSON object per line with ``id`` and ``text``,
  optionally ``url``, ``title``, ``date``, ``language``. Records in the gold
  annotation format (``doc_id`` + ``entities``, e.g. corpus/annotations/)
  are not corpus input: such a file is reported once, with the count.

``doc_id`` is the file stem (or the JSONL ``id``). Dates are normalised to
ISO ``YYYY-MM-DD`` (ISO and German ``DD.MM.YYYY`` are accepted, a time after
the date is ignored); an empty date is ``None``; anything else is a problem.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping


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


@dataclass(frozen=True)
class ReadProblem:
    """An input that could not be turned into a Document, and why.

    ``str()`` gives the one-line message ``path[:line]: problem`` that the
    commands print, so every report names the file (and JSONL line).
    """

    path: Path
    problem: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.problem}"


TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

HEADER_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*:")

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:,?\s+.*)?$")


class _Problem(Exception):
    """Internal: a reason to skip one input (becomes a ReadProblem)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# --------------------------------------------------------------------------- helpers


def normalise_date(value: str | None) -> str | None:
    """ISO ``YYYY-MM-DD`` for an ISO or German (``DD.MM.YYYY``) date; None if empty.

    Raises ValueError for a value that is not a calendar date, so a header
    typo is reported instead of silently losing the date.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _GERMAN_DATE.match(text)
        if not match:
            raise ValueError(f"date {value.strip()!r} is not a date (expected YYYY-MM-DD or DD.MM.YYYY)")
        day, month, year = (int(g) for g in match.groups())
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError as exc:
        raise ValueError(f"date {value.strip()!r} is not a date ({exc})") from None


def split_header(raw: str) -> tuple[dict[str, str], str]:
    """Split a ``key: value`` header ended by ``---`` from the text.

    Same rule as the gold guidelines: the header is every line before the
    first line that is exactly ``---``, provided there is at least one and
    each of them looks like ``key:``; otherwise the whole input is text.
    """
    lines = raw.split("\n")
    for i, line in enumerate(lines):
        if line == "---":
            if i > 0 and all(HEADER_KEY.match(h) for h in lines[:i]):
                header: dict[str, str] = {}
                for h in lines[:i]:
                    key, _, value = h.partition(":")
                    header[key.strip().lower()] = value.strip()
                return header, "\n".join(lines[i + 1 :])
            break
        if not HEADER_KEY.match(line):
            break
    return {}, raw


def _decode(data: bytes) -> str:
    """UTF-8 text of a file's bytes, or a _Problem saying why not.

    No other encoding is guessed: a Latin-1 file silently decoded would carry
    wrong characters into the graph, so it is reported for conversion.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _Problem("UTF-16 encoded; convert the file to UTF-8")
    if b"\x00" in data:
        raise _Problem("binary file (contains NUL bytes), not a text document")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _Problem(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}, line {line}); "
            "is it Latin-1/Windows-1252? convert it to UTF-8"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    # newlines as Python's text mode reads them (the gold files were made so)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _clean(value: Any) -> str | None:
    """A metadata value as a stripped string, None when missing or blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _with_metadata(doc_id: str, text: str, fields: Mapping[str, Any], date: str | None, path: Path) -> Document:
    """A Document whose url, title and language come from a header or JSON object."""
    return Document(
        doc_id=doc_id,
        text=text,
        url=_clean(fields.get("url")),
        title=_clean(fields.get("title")),
        date=date,
        language=_clean(fields.get("language")),
        source=path,
    )


# --------------------------------------------------------------------------- readers per format


def read_text_file(path: Path, data: bytes) -> Document:
    """A ``.txt`` file with optional header (raises _Problem)."""
    raw = _decode(data)
    header, text = split_header(raw)
    if not text.strip():
        raise _Problem("empty document (no text after the header)" if header else "empty document")
    try:
        date = normalise_date(header.get("date"))
    except ValueError as exc:
        raise _Problem(f"bad header: {exc}") from None
    return _with_metadata(path.stem, text, header, date, path)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _decode_html(data: bytes) -> str:
    """HTML as text: UTF-8, or the charset the page itself declares."""
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _Problem("binary file (contains NUL bytes), not an HTML page")
    try:
        return _decode(data)
    except _Problem:
        declared = _META_CHARSET.search(data[:4096])
        if not declared:
            raise
        charset = declared.group(1).decode("ascii")
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError) as exc:
            raise _Problem(f"cannot decode as its declared charset {charset!r} ({exc})") from None


def _html_with_trafilatura(html: str) -> tuple[str | None, str | None, str | None, str | None] | None:
    """(text, title, date, language) via trafilatura; None if it cannot be imported."""
    try:
        import trafilatura  # imported here: slow to import, only needed for HTML
    except ImportError:
        return None
    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    if result is None:
        return ("", None, None, None)
    get = result.get if isinstance(result, dict) else (lambda k: getattr(result, k, None))
    return (get("text") or "", get("title"), get("date"), get("language"))


_HTML_LANG = re.compile(r"""<html[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)""", re.I)
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template")
_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "figcaption", "dd", "dt")


def _html_with_lxml(html: str) -> tuple[str, str | None, str | None, str | None]:
    """Fallback main-text extraction with lxml: text blocks of article/main/body."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except Exception as exc:  # lxml raises several types for garbage
        raise _Problem(f"cannot parse HTML ({exc})") from None
    title_el = root.find(".//title")
    title = title_el.text_content().strip() if title_el is not None else None
    date = None
    for xpath in (
        '//meta[@property="article:published_time"]/@content',
        '//meta[@name="date"]/@content',
        '//meta[@name="dcterms.date"]/@content',
        "//time/@datetime",
    ):
        values = root.xpath(xpath)
        if values:
            date = str(values[0])
            break
    language = root.get("lang")
    for bad in root.xpath("|".join(f"//{t}" for t in _DROP_TAGS)):
        bad.drop_tree()
    containers = root.xpath("//article") or root.xpath("//main") or root.xpath("//body") or [root]
    blocks: list[str] = []
    for container in containers:
        found = container.xpath("|".join(f".//{t}" for t in _BLOCK_TAGS))
        elements = [e for e in found if not any(a in found for a in e.iterancestors())] or [container]
        for element in elements:
            text = " ".join(element.text_content().split())
            if text:
                blocks.append(text)
    return ("\n".join(blocks), title, date, language)


def read_html_file(path: Path, data: bytes) -> Document:
    """An ``.html``/``.htm`` page: main text, title, date (raises _Problem)."""
    html = _decode_html(data)
    if not html.strip():
        raise _Problem("empty document")
    extracted = _html_with_trafilatura(html)
    if extracted is None:
        extracted = _html_with_lxml(html)
    text, title, date, language = extracted
    if not language:
        declared = _HTML_LANG.search(html[:4096])
        language = declared.group(1) if declared else None
    if not (text or "").strip():
        raise _Problem("no main text found in the HTML page")
    try:
        iso_date = normalise_date(date)
    except ValueError:
        iso_date = None  # a page's own date markup is best effort, not an input error
    return Document(
        doc_id=path.stem,
        text=text,
        title=_clean(title),
        date=iso_date,
        language=_clean(language),
        source=path,
    )


def iter_jsonl_file(path: Path, data: bytes) -> Iterator[Document | ReadProblem]:
    """Documents of a ``.jsonl`` file, one per line; bad lines become problems."""
    for result, _line in _jsonl_lines(path, data):
        yield result


def _jsonl_lines(path: Path, data: bytes) -> Iterator[tuple[Document | ReadProblem, int | None]]:
    """Like iter_jsonl_file, with the line number of each result."""
    try:
        raw = _decode(data)
    except _Problem as problem:
        yield ReadProblem(path, problem.message), None
        return
    if not raw.strip():
        yield ReadProblem(path, "empty document (empty file)"), None
        return
    annotation_lines: list[int] = []
    for number, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield ReadProblem(path, f"not JSON ({exc})", number), number
            continue
        if not isinstance(obj, dict):
            yield ReadProblem(path, f"not a JSON object but {type(obj).__name__}", number), number
            continue
        if "id" not in obj and "doc_id" in obj and "entities" in obj:
            annotation_lines.append(number)  # a gold/annotation record, reported once below
            continue
        doc_id = obj.get("id")
        if doc_id is None or (isinstance(doc_id, str) and not doc_id.strip()) or isinstance(doc_id, (dict, list, bool)):
            yield ReadProblem(path, "object lacks an 'id' (string)", number), number
            continue
        text = obj.get("text")
        if text is None:
            yield ReadProblem(path, f"object {doc_id!r} lacks 'text'", number), number
            continue
        if not isinstance(text, str):
            yield ReadProblem(path, f"object {doc_id!r}: 'text' is not a string", number), number
            continue
        if not text.strip():
            yield ReadProblem(path, f"object {doc_id!r}: empty document", number), number
            continue
        try:
            date = normalise_date(None if obj.get("date") is None else str(obj.get("date")))
        except ValueError as exc:
            yield ReadProblem(path, f"object {doc_id!r}: {exc}", number), number
            continue
        yield _with_metadata(str(doc_id).strip(), text, obj, date, path), number
    if annotation_lines:
        message = (
            f"{len(annotation_lines)} annotation record(s) in gold format (doc_id/entities) not read: "
            "annotations are training/evaluation data, not corpus input (a corpus JSONL object has 'id' and 'text')"
        )
        yield ReadProblem(path, message, annotation_lines[0]), annotation_lines[0]


def read_file(path: Path) -> Iterator[Document | ReadProblem]:
    """Documents (or problems) of one file, by its suffix."""
    for result, _line in _read_file_lines(path):
        yield result


def _read_file_lines(path: Path) -> Iterator[tuple[Document | ReadProblem, int | None]]:
    """Like read_file, with the JSONL line number of each result (None elsewhere)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        message = f"unsupported file type {suffix or '(no suffix)'!r} (expected .txt, .html, .htm or .jsonl)"
        yield ReadProblem(path, message), None
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield ReadProblem(path, f"cannot read: {exc.strerror or exc}"), None
        return
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl_lines(path, data)
        return
    if not data.strip():
        yield ReadProblem(path, "empty document (empty file)"), None
        return
    try:
        if suffix in HTML_SUFFIXES:
            yield read_html_file(path, data), None
        else:
            yield read_text_file(path, data), None
    except _Problem as problem:
        yield ReadProblem(path, problem.message, problem.line), problem.line


def _walk(directory: Path) -> tuple[list[Path], list[ReadProblem]]:
    """Non-hidden files under a directory, sorted by relative path; unreadable subdirectories as problems."""
    problems: list[ReadProblem] = []

    def report(error: OSError) -> None:
        problems.append(ReadProblem(Path(error.filename or directory), f"cannot read directory: {error.strerror or error}"))

    files: list[Path] = []
    for root, dirnames, filenames in os.walk(directory, onerror=report):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        files.extend(Path(root, name) for name in filenames if not name.startswith("."))
    files.sort(key=lambda p: p.relative_to(directory).parts)
    return files, problems


def _expand(paths: Iterable[Path]) -> Iterator[Path | ReadProblem]:
    """Files of the given paths: directories recursively, sorted; each file once.

    Inside a directory, hidden entries (names starting with ".", such as
    .gitkeep or .git/) are not inputs and are skipped; a hidden file named
    explicitly is read like any other.
    """
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files, unreadable = _walk(path)
            yield from unreadable
        elif path.is_file():
            files = [path]
        elif path.exists():
            yield ReadProblem(path, "not a regular file or directory")
            continue
        else:
            yield ReadProblem(path, "no such file or directory")
            continue
        for file in files:
            if not file.is_file():
                yield ReadProblem(file, "not a regular file (a broken link, socket or device?)")
                continue
            key = file.resolve()
            if key in seen:  # the same file named twice (e.g. a file and its directory): read once
                continue
            seen.add(key)
            yield file


# --------------------------------------------------------------------------- public API


def iter_documents(paths: Iterable[Path]) -> Iterator[Document | ReadProblem]:
    """Documents of files and directories (recursive, sorted), problems inline.

    Every input that does not give a document yields a ReadProblem; a
    document whose ``doc_id`` was already read from another input is a
    problem too (the first one wins), so ids stay unique in the graph.
    """
    first_source: dict[str, str] = {}
    for item in _expand(paths):
        if isinstance(item, ReadProblem):
            yield item
            continue
        for result, line in _read_file_lines(item):
            if isinstance(result, Document):
                earlier = first_source.get(result.doc_id)
                if earlier is not None:
                    yield ReadProblem(item, f"duplicate doc_id {result.doc_id!r} (already read from {earlier})", line)
                    continue
                first_source[result.doc_id] = f"{item}:{line}" if line is not None else str(item)
            yield result


def read_corpus(paths: Iterable[Path]) -> tuple[list[Document], list[ReadProblem]]:
    """All documents and all problems of the given paths."""
    documents: list[Document] = []
    problems: list[ReadProblem] = []
    for result in iter_documents(paths):
        (documents if isinstance(result, Document) else problems).append(result)
    return documents, problems
