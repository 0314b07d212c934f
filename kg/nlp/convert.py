"""Dataset converters: public NER corpora and our annotations -> spaCy / gold JSONL.

Why one module: every training source has its own format and label set, and
all of them must end up in the same two shapes, spaCy ``DocBin`` for
``spacy train`` and the GUIDELINES gold JSONL for ``kg eval``. Label mapping
is explicit per corpus (see each dataset README); types without a match in
our scheme become ``O``, and types that are places in the traffic sense
(streets, stops, routes) are left *unannotated* (missing), so the model is
neither taught nor punished on them.

Readers yield :class:`Sentence` (tokens + IOB tags) or :class:`TextDoc`
(text + character spans); writers turn either into spaCy Docs.
"""

from __future__ import annotations

import gzip
import io
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

MISSING = ""  # IOB value for "not annotated"

GERMEVAL_MAP = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}  # *deriv, *part, OTH -> O
MOBIE_MAP = {
    "person": "PER", "organization": "ORG", "organization-company": "ORG",
    "location": "LOC", "location-city": "LOC",
    "location-street": None, "location-stop": None, "location-route": None,  # None = missing
}
SMARTDATA_MAP = MOBIE_MAP
GOLD_LABELS = ("PER", "ORG", "LOC", "AGREEMENT", "EVENT")
# Documents of the gold files: never training data (CONTRACTS.md).
GOLD_DOC_PREFIXES = ("000_", "001_", "002_", "003_", "004_")
GOLD_DOC_IDS = frozenset({"de_013", "de_015", "de_017", "de_046", "de_047", "de_051", "de_073", "de_074",
                          "de_075", "de_095", "de_098", "de_124"})


# Split a hyphen after an upper-case acronym ("NRW-Ministerpräsidentin" -> "NRW", "-", "Ministerpräsidentin"):
# GUIDELINES mark only the acronym as the mention; the in-domain annotations do the same (25 spans end at such a
# hyphen), so training data align with it. Lower-case or single-letter prefixes ("Baden-Württemberg", "E-Mail",
# "China-Experte") are not split.
ACRONYM_HYPHEN_INFIX = r"(?<=[A-ZÄÖÜ]{2})-(?=[A-ZÄÖÜa-zäöü])"


def customize_tokenizer(nlp: Language) -> Language:
    """Add the acronym-hyphen infix to ``nlp``'s tokenizer (idempotent); used for training and at run time."""
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes or [])
    current = getattr(nlp.tokenizer, "infix_finditer", None)
    if current is not None and ACRONYM_HYPHEN_INFIX in getattr(current.__self__, "pattern", ""):
        return nlp
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes + [ACRONYM_HYPHEN_INFIX]).finditer
    return nlp


class ConvertError(ValueError):
    """A training file that cannot be read; the message names the file."""


@dataclass
class Sentence:
    """Tokens with IOB2 tags in our label set ("" = not annotated)."""

    words: list[str]
    tags: list[str]
    source: str = ""


@dataclass
class TextDoc:
    """A text with character spans (start, end, label) in our label set."""

    doc_id: str
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)


def is_gold_document(doc_id: str) -> bool:
    """True for documents that belong to a gold file (evaluation only)."""
    return doc_id in GOLD_DOC_IDS or doc_id.startswith(GOLD_DOC_PREFIXES)


def _open_text(path: Path) -> io.TextIOBase:
    if not path.is_file():
        raise ConvertError(f"{path}: no such file")
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8")
    return path.open(encoding="utf-8")


def _map_tag(tag: str, mapping: dict[str, str | None]) -> str:
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, _, kind = tag.partition("-")
    if kind not in mapping:
        return "O"
    label = mapping[kind]
    if label is None:
        return MISSING
    return f"{prefix}-{label}"


def _repair_iob(tags: list[str]) -> list[str]:
    """I- after O/missing/another type becomes B- (mapping can break chains)."""
    fixed: list[str] = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and (prev in ("O", MISSING) or prev[2:] != tag[2:]):
            tag = "B-" + tag[2:]
        fixed.append(tag)
        prev = tag
    return fixed


def read_germeval(path: Path) -> Iterator[Sentence]:
    """GermEval 2014 TSV: index, token, outer tag, nested tag; ``#`` comment per sentence."""
    words: list[str] = []
    tags: list[str] = []
    source = ""
    with _open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if line.startswith("#\t") or line.startswith("# "):
                source = line.split("\t")[1] if "\t" in line else ""
                continue
            if not line.strip():
                if words:
                    yield Sentence(words, _repair_iob(tags), source)
                words, tags = [], []
                continue
            cols = line.split("\t")
            if len(cols) < 3:
                raise ConvertError(f"{path}:{number}: expected 4 tab-separated columns, got {len(cols)}")
            words.append(cols[1])
            tags.append(_map_tag(cols[2], GERMEVAL_MAP))
    if words:
        yield Sentence(words, _repair_iob(tags), source)


def read_conll(path: Path, mapping: dict[str, str | None] = MOBIE_MAP) -> Iterator[Sentence]:
    """MobIE CoNLL-2003 style: token, POS, chunk, NER tag; ``-DOCSTART-`` lines."""
    words: list[str] = []
    tags: list[str] = []
    with _open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                continue
            if not line.strip():
                if words:
                    yield Sentence(words, _repair_iob(tags), path.name)
                words, tags = [], []
                continue
            cols = line.split("\t") if "\t" in line else line.split(" ")
            if len(cols) < 2:
                raise ConvertError(f"{path}:{number}: expected token and tag columns")
            words.append(cols[0])
            tags.append(_map_tag(cols[-1], mapping))
    if words:
        yield Sentence(words, _repair_iob(tags), path.name)


def _avro(value):
    """Unwrap Avro JSON unions ({"string": x}, {"array": [...]}, {"map": {...}})."""
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        if key in ("string", "array", "map", "float", "int", "long", "double", "boolean"):
            return value[key]
    return value


def _utf16_to_codepoints(text: str) -> list[int]:
    """Map each UTF-16 code-unit offset to a Python str offset."""
    table: list[int] = []
    for index, char in enumerate(text):
        table.append(index)
        if ord(char) > 0xFFFF:
            table.append(index)  # second unit of a surrogate pair
    table.append(len(text))
    return table


def read_smartdata(path: Path, mapping: dict[str, str | None] = SMARTDATA_MAP) -> Iterator[TextDoc]:
    """SmartData v1: concatenated pretty-printed Avro-JSON documents, UTF-16 offsets.

    Mentions mapped to None (streets, stops, routes) are returned with label
    "" so that writers can mark them as not annotated.
    """
    with _open_text(path) as handle:
        data = handle.read()
    decoder = json.JSONDecoder()
    pos = 0
    length = len(data)
    while True:
        while pos < length and data[pos].isspace():
            pos += 1
        if pos >= length:
            break
        try:
            obj, pos = decoder.raw_decode(data, pos)
        except json.JSONDecodeError as error:
            raise ConvertError(f"{path}: bad JSON object at character {pos}: {error.msg}") from None
        text = _avro(obj.get("text"))
        if not isinstance(text, str):
            continue
        table = _utf16_to_codepoints(text)
        spans: list[tuple[int, int, str]] = []
        for mention in _avro(obj.get("conceptMentions")) or []:
            kind = mention.get("type")
            if kind not in mapping:
                continue
            start, end = mention["span"]["start"], mention["span"]["end"]
            if end >= len(table):
                continue
            label = mapping[kind]
            spans.append((table[start], table[end], label or MISSING))
        yield TextDoc(str(obj.get("id")), text, spans)


def read_gold_jsonl(path: Path, *, skip_gold_documents: bool = True) -> Iterator[TextDoc]:
    """GUIDELINES JSONL (our annotations); gold documents are skipped unless told otherwise."""
    with _open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ConvertError(f"{path}:{number}: not JSON ({error.msg})") from None
            doc_id = record.get("doc_id", f"{path.stem}-{number}")
            if skip_gold_documents and is_gold_document(doc_id):
                continue
            spans = [(e["start"], e["end"], e["label"]) for e in record.get("entities", []) if e["label"] in GOLD_LABELS]
            yield TextDoc(doc_id, record["text"], spans)


# --- writers ---------------------------------------------------------------

def sentence_to_doc(nlp: Language, sentence: Sentence) -> Doc:
    return Doc(nlp.vocab, words=sentence.words, ents=[t if t else None for t in sentence.tags])


def doc_with_exact_spans(nlp: Language, text: str, spans: Iterable[tuple[int, int, str]]) -> Doc:
    """A Doc whose tokens split at every span boundary, with the spans as entities.

    Unlike textdoc_to_doc (which contracts spans to the tokenizer's bounds, for
    training), this keeps given spans exactly, so components downstream of NER
    can be run and scored on gold entities. Spans that still do not align are left out.
    """
    spans = list(spans)
    bounds = sorted({0, len(text), *(start for start, _, _ in spans), *(end for _, end, _ in spans)})
    words: list[str] = []
    whitespace: list[bool] = []
    for a, b in zip(bounds, bounds[1:]):
        for token in nlp.tokenizer(text[a:b]):
            words.append(token.text)
            whitespace.append(bool(token.whitespace_))
    doc = Doc(nlp.vocab, words=words, spaces=whitespace)
    if doc.text != text:
        raise ValueError("tokenisation at span boundaries changed the text")
    entities = [doc.char_span(start, end, label=label) for start, end, label in spans]
    doc.ents = [span for span in entities if span is not None]
    return doc


def textdoc_to_doc(nlp: Language, item: TextDoc) -> Doc:
    """Tokenise with our tokenizer and align spans (contracting to token bounds)."""
    doc = nlp.make_doc(item.text)
    ents: list[Span] = []
    missing: list[Span] = []
    for start, end, label in sorted(item.spans):
        span = doc.char_span(start, end, label=label or "MISSING", alignment_mode="contract")
        if span is None or len(span) == 0:
            continue
        (missing if not label else ents).append(span)
    from spacy.util import filter_spans

    ents = filter_spans(ents)
    taken = {i for s in ents for i in range(s.start, s.end)}
    unknown_ids = sorted({i for s in missing for i in range(s.start, s.end)} - taken)
    unknown = [doc[i:i + 1] for i in unknown_ids]
    doc.set_ents(ents, missing=unknown, default="outside")
    return doc


def sentences_to_docs(nlp: Language, sentences: Iterable[Sentence], per_doc: int = 10) -> Iterator[Doc]:
    """Group sentences into docs of ``per_doc`` sentences (context for tok2vec, fewer docs)."""
    batch: list[Sentence] = []
    for sentence in sentences:
        batch.append(sentence)
        if len(batch) == per_doc:
            yield _join(nlp, batch)
            batch = []
    if batch:
        yield _join(nlp, batch)


def _join(nlp: Language, batch: list[Sentence]) -> Doc:
    docs = [sentence_to_doc(nlp, s) for s in batch]
    return Doc.from_docs(docs, ensure_whitespace=True)


def write_docbin(docs: Iterable[Doc], path: Path) -> int:
    """Write docs to a .spacy file; returns the number of docs."""
    store = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE", "SENT_START"], store_user_data=False)
    count = 0
    for doc in docs:
        store.add(doc)
        count += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    store.to_disk(path)
    return count


def sentences_to_gold_jsonl(sentences: Iterable[Sentence], path: Path, prefix: str, per_doc: int = 10) -> int:
    """Token corpora (GermEval/MobIE held-out splits) -> GUIDELINES JSONL for ``kg eval``.

    Tokens are joined with single spaces; ``per_doc`` sentences, one per
    line, make a document. Missing tags count as O here.
    """
    count = 0
    first_label: dict[str, str] = {}

    def canonical(name: str, label: str) -> str:
        """The surface text; a name already used with another label gets the label appended (one label per name)."""
        key = " ".join(name.casefold().split())
        seen = first_label.setdefault(key, label)
        return name if seen == label else f"{name} ({label})"

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        batch: list[Sentence] = []

        def flush() -> None:
            nonlocal count
            text_parts: list[str] = []
            entities: list[dict] = []
            offset = 0
            for sentence in batch:
                starts: list[int] = []
                pos = offset
                for word in sentence.words:
                    starts.append(pos)
                    pos += len(word) + 1
                sentence_text = " ".join(sentence.words)
                current: list | None = None
                for i, tag in enumerate(sentence.tags + ["O"]):
                    if current is not None and not tag.startswith("I-"):
                        entities.append(current)
                        current = None
                    if tag.startswith("B-"):
                        end = starts[i] + len(sentence.words[i])
                        current = [starts[i], end, tag[2:]]
                    elif tag.startswith("I-") and current is not None:
                        current[1] = starts[i] + len(sentence.words[i])
                text_parts.append(sentence_text)
                offset += len(sentence_text) + 1
            text = "\n".join(text_parts)
            mentions = [
                {"id": f"m{n}", "start": s, "end": e, "label": lab, "text": text[s:e], "entity": canonical(text[s:e], lab)}
                for n, (s, e, lab) in enumerate(entities, start=1)
            ]
            out.write(json.dumps({"doc_id": f"{prefix}-{count:05d}", "text": text, "entities": mentions, "relations": []},
                                 ensure_ascii=False) + "\n")
            count += 1

        for sentence in sentences:
            batch.append(sentence)
            if len(batch) == per_doc:
                flush()
                batch = []
        if batch:
            flush()
    return count


def split_items(items: list, dev_fraction: float, seed: int = 0) -> tuple[list, list]:
    """Deterministic train/dev split of a list (shuffled with a fixed seed)."""
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    n_dev = int(round(len(items) * dev_fraction))
    dev = {i for i in order[:n_dev]}
    return [items[i] for i in range(len(items)) if i not in dev], [items[i] for i in range(len(items)) if i in dev]


def main(argv: list[str] | None = None) -> int:
    """``python -m kg.nlp.convert {germeval|conll} IN OUT.jsonl``: a held-out split as gold JSONL for ``kg eval``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m kg.nlp.convert", description=main.__doc__)
    parser.add_argument("format", choices=["germeval", "conll"])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--per-doc", type=int, default=10, help="sentences per document")
    args = parser.parse_args(argv)
    reader = read_germeval if args.format == "germeval" else read_conll
    try:
        count = sentences_to_gold_jsonl(reader(args.source), args.target, prefix=args.source.name.split(".")[0],
                                        per_doc=args.per_doc)
    except ConvertError as error:
        parser.exit(1, f"error: {error}\n")
    print(f"{count} documents written to {args.target}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
