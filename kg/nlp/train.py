"""Training the kg NER model with spaCy's own trainer (``spacy train``).

Why this module: training must be reproducible from the repo alone, so it
(1) converts the bundled corpora in ``corpus/training/`` (and the project's
in-domain annotations) into spaCy DocBins with a fixed seed, and (2) runs
``spacy.cli.train.train`` with ``kg/nlp/config.cfg``; spaCy prints the
scores of every evaluation round (epoch ``E``, step ``#``).

Training data (all converted by kg/nlp/convert.py):
- GermEval 2014 *test* split (Wikipedia/news; PER/ORG/LOC, *deriv/*part/OTH -> O);
  the GermEval *dev* split is never trained on and serves as held-out check;
- SmartData v1 train (industry news, RSS, tweets);
- MobIE train (traffic; streets, stops and routes left unannotated);
- in-domain annotations of corpus documents that are not in a gold file
  (GUIDELINES JSONL, all five labels), upsampled; a fixed 20 % of those
  documents is held out as the dev set that picks the best checkpoint and on
  which the rule policy of kg/nlp/pipeline.py was measured.
"""

from __future__ import annotations

import gzip
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import spacy
from spacy.language import Language

from kg.nlp import convert

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = Path(__file__).parent / "config.cfg"
DEFAULT_DATA = REPO / "corpus" / "training"
DEFAULT_OUTPUT = Path(__file__).parent / "model"


@dataclass
class TrainSettings:
    """What to train on and how; defaults rebuild the shipped model."""

    data_dir: Path = DEFAULT_DATA
    annotations: list[Path] = field(default_factory=list)  # empty: data_dir/annotations/*.jsonl(.gz)
    config: Path = DEFAULT_CONFIG
    output: Path = DEFAULT_OUTPUT
    seed: int = 0
    upsample: int = 5  # copies of each in-domain training document (8 measured worse, see kg/nlp/pipeline.py)
    # synthetic press releases written and annotated for training (data_dir/synthetic/*.jsonl.gz): always train,
    # never dev, so the checkpoint is still picked on real documents only
    synthetic: list[Path] | None = None  # None: data_dir/synthetic/*; []: none
    synthetic_upsample: int = 2
    # split "NRW-Ministerin" into "NRW" "-" "Ministerin" in training and in the saved tokenizer; measured worse on
    # the held-out documents and GermEval dev (kg/nlp/pipeline.py), so off by default
    acronym_hyphen_split: bool = False
    dev_fraction: float = 0.2
    limit: int = 0  # sentences/documents per public corpus (0 = all; tests use a few)
    max_steps: int | None = None  # override of training.max_steps
    eval_frequency: int | None = None


def _annotation_files(settings: TrainSettings) -> list[Path]:
    if settings.annotations:
        return list(settings.annotations)
    folder = settings.data_dir / "annotations"
    return sorted(folder.glob("*.jsonl")) + sorted(folder.glob("*.jsonl.gz"))


def _synthetic_files(settings: TrainSettings) -> list[Path]:
    if settings.synthetic is not None:
        return list(settings.synthetic)
    folder = settings.data_dir / "synthetic"
    return sorted(folder.glob("*.jsonl")) + sorted(folder.glob("*.jsonl.gz"))


def _limited(items: Iterator, limit: int) -> Iterator:
    for n, item in enumerate(items):
        if limit and n >= limit:
            return
        yield item


def split_lines(item: convert.TextDoc) -> list[convert.TextDoc]:
    """Cut a document into its lines (paragraphs), keeping the spans inside each."""
    parts: list[convert.TextDoc] = []
    offset = 0
    for number, line in enumerate(item.text.split("\n")):
        end = offset + len(line)
        if line.strip():
            spans = [(s - offset, e - offset, lab) for s, e, lab in item.spans if s >= offset and e <= end]
            parts.append(convert.TextDoc(f"{item.doc_id}#{number}", line, spans))
        offset = end + 1
    return parts


def load_annotations(settings: TrainSettings, files: list[Path] | None = None) -> list[convert.TextDoc]:
    """In-domain documents (gold documents are skipped by the reader); later files win on doc_id."""
    docs: dict[str, convert.TextDoc] = {}
    for path in _annotation_files(settings) if files is None else files:
        for item in convert.read_gold_jsonl(path):
            docs[item.doc_id] = item
    return [docs[k] for k in sorted(docs)]


def prepare_corpus(settings: TrainSettings, work: Path) -> dict:
    """Write train.spacy / dev.spacy / heldout.jsonl into ``work``; return counts."""
    nlp = spacy.blank("de")
    if settings.acronym_hyphen_split:
        convert.customize_tokenizer(nlp)
    data = settings.data_dir
    train_docs = []
    stats: dict = {}
    germeval = list(_limited(convert.read_germeval(data / "germeval2014" / "NER-de-test.tsv.gz"), settings.limit))
    train_docs += list(convert.sentences_to_docs(nlp, germeval))
    stats["germeval_test_sentences"] = len(germeval)
    mobie = list(_limited(convert.read_conll(data / "mobie" / "train.conll2003.gz"), settings.limit))
    train_docs += list(convert.sentences_to_docs(nlp, mobie))
    stats["mobie_train_sentences"] = len(mobie)
    smart = list(_limited(convert.read_smartdata(data / "smartdata_v1" / "train.json.gz"), settings.limit))
    for item in smart:
        train_docs += [convert.textdoc_to_doc(nlp, part) for part in split_lines(item)]
    stats["smartdata_train_documents"] = len(smart)

    annotations = load_annotations(settings)
    in_train, in_dev = convert.split_items(annotations, settings.dev_fraction, seed=settings.seed)
    if not in_dev and len(in_train) > 1:
        in_dev, in_train = in_train[:1], in_train[1:]
    for _ in range(settings.upsample):
        for item in in_train:
            train_docs += [convert.textdoc_to_doc(nlp, part) for part in split_lines(item)]
    stats["annotation_train_documents"] = [d.doc_id for d in in_train]
    synthetic = load_annotations(settings, _synthetic_files(settings))
    for _ in range(settings.synthetic_upsample):
        for item in synthetic:
            train_docs += [convert.textdoc_to_doc(nlp, part) for part in split_lines(item)]
    stats["synthetic_train_documents"] = len(synthetic)
    stats["annotation_dev_documents"] = [d.doc_id for d in in_dev]

    dev_docs = [convert.textdoc_to_doc(nlp, item) for item in in_dev]
    if not dev_docs:  # no in-domain data yet: MobIE dev picks the checkpoint
        mobie_dev = list(_limited(convert.read_conll(data / "mobie" / "dev.conll2003.gz"), settings.limit or 1000))
        dev_docs = list(convert.sentences_to_docs(nlp, mobie_dev))
    work.mkdir(parents=True, exist_ok=True)
    stats["train_docs"] = convert.write_docbin(train_docs, work / "train.spacy")
    stats["dev_docs"] = convert.write_docbin(dev_docs, work / "dev.spacy")
    with (work / "heldout.jsonl").open("w", encoding="utf-8") as out:
        for item in in_dev:
            ents = [{"id": f"m{n}", "start": s, "end": e, "label": lab, "text": item.text[s:e], "entity": item.text[s:e]}
                    for n, (s, e, lab) in enumerate(sorted(item.spans), start=1)]
            out.write(json.dumps({"doc_id": item.doc_id, "text": item.text, "entities": ents, "relations": []},
                                 ensure_ascii=False) + "\n")
    return stats


def train(settings: TrainSettings) -> Path:
    """Build the corpus, run ``spacy train`` and copy the best model to ``settings.output``.

    Intermediate files (DocBins, checkpoints) live in a temporary directory;
    the output gets the model, ``training.json`` (data counts and document
    ids), ``README.md`` (what it was trained on) and ``heldout.jsonl`` (the
    held-out in-domain documents in gold format, for ``kg eval``).
    """
    output = Path(settings.output)
    if output.exists() and any(output.iterdir()) and not (output / "meta.json").is_file():
        raise FileExistsError(f"{output}: exists and is not a spaCy model; refusing to replace it")
    with tempfile.TemporaryDirectory(prefix="kg-train-") as tmp:
        return _train_in(settings, output, Path(tmp))


def _train_in(settings: TrainSettings, output: Path, work: Path) -> Path:
    from spacy.cli.train import train as spacy_train

    stats = prepare_corpus(settings, work / "corpus")
    print(f"training data: {json.dumps({k: v if not isinstance(v, list) else len(v) for k, v in stats.items()})}")
    overrides: dict = {
        "paths.train": str(work / "corpus" / "train.spacy"),
        "paths.dev": str(work / "corpus" / "dev.spacy"),
        "system.seed": settings.seed,
    }
    if settings.max_steps is not None:
        overrides["training.max_steps"] = settings.max_steps
    if settings.eval_frequency is not None:
        overrides["training.eval_frequency"] = settings.eval_frequency
    spacy_train(settings.config, work / "out", overrides=overrides, use_gpu=-1)
    best = work / "out" / "model-best"
    if settings.acronym_hyphen_split:  # the saved tokenizer gets the infix rule, so spacy.load() alone agrees
        tuned = spacy.load(best)
        convert.customize_tokenizer(tuned).tokenizer.to_disk(best / "tokenizer")
    if output.exists():
        shutil.rmtree(output)
    shutil.copytree(best, output)
    (output / "training.json").write_text(json.dumps(stats, indent=1, ensure_ascii=False), encoding="utf-8")
    (output / "README.md").write_text(model_card(stats, settings), encoding="utf-8")
    shutil.copy(work / "corpus" / "heldout.jsonl", output / "heldout.jsonl")
    return output


def model_card(stats: dict, settings: TrainSettings) -> str:
    """A short README for the model directory: what it was trained on, with attribution."""
    return f"""# kg NER model (spaCy tok2vec + ner, German, labels PER ORG LOC AGREEMENT EVENT)

Built by `kg train` (kg/nlp/train.py, config kg/nlp/config.cfg, seed {settings.seed}); the best checkpoint on the
held-out in-domain documents. Loaded by kg.nlp.pipeline.load_pipeline() together with the rule components.

Trained on (see corpus/training/README.md for sources, licenses and label mappings):
- GermEval 2014 NER, test split: {stats['germeval_test_sentences']} sentences (CC BY 4.0; Benikova, Biemann, Reznicek, LREC 2014);
  the GermEval dev split was not trained on;
- DFKI SmartData v1, train: {stats['smartdata_train_documents']} documents (CC BY 4.0; Schiersch et al., LREC 2018);
- DFKI MobIE, train: {stats['mobie_train_sentences']} sentences (CC BY 4.0; Hennig, Truong, Gabryszak, KONVENS 2021);
- the project's in-domain annotations: {len(stats['annotation_train_documents'])} documents, x{settings.upsample}
  ({', '.join(stats['annotation_train_documents'])});
  held out (dev set, never trained on): {', '.join(stats['annotation_dev_documents'])};
- synthetic press releases written and annotated by the project for training (not real documents; never in the
  dev set): {stats.get('synthetic_train_documents', 0)} documents, x{settings.synthetic_upsample}.
No document of a gold file (../shared/gold) was trained on.
Tokenizer: spaCy's German default{' plus the acronym-hyphen split ("NRW-Ministerin" -> "NRW" "-" "Ministerin")' if settings.acronym_hyphen_split else ''}.
Measured figures of each model variant and of the rule policy: kg/nlp/pipeline.py (module docstring).
"""


def snapshot_annotations(source: Path, data_dir: Path = DEFAULT_DATA) -> list[Path]:
    """Copy the project's annotation files (gzipped) into the bundled training data."""
    target = data_dir / "annotations"
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(source.glob("*.jsonl")):
        out = target / (path.name + ".gz")
        with path.open("rb") as src, out.open("wb") as raw, gzip.GzipFile(
            filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0
        ) as dst:
            shutil.copyfileobj(src, dst)
        written.append(out)
    return written


def score(nlp: Language, gold_path: Path, labels: list[str] | None = None) -> dict:
    """Mention P/R/F1 per label and micro of ``nlp`` on a gold JSONL (kg.evaluate's definitions)."""
    from kg.corpus import Document
    from kg.evaluate import evaluate, load_records
    from kg.extraction import extract_documents

    gold = load_records(gold_path)
    predicted = list(extract_documents(nlp, [Document(doc_id=g.doc_id, text=g.text) for g in gold]))
    result = evaluate(gold, predicted, labels=labels)
    table = {label: counts.to_dict() for label, counts in result.mentions.items()}
    table["micro"] = result.mentions_micro.to_dict()
    return table
