"""Commands ``kg extract`` (documents -> gold-format JSONL) and ``kg eval`` (scoring).

Both run the same path as ``kg build`` up to the records: read documents
(kg.corpus), run the spaCy pipeline (kg.nlp.pipeline + kg.extraction), and
resolve identity across the batch (kg.identity), so what is scored is what
the graph gets.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import click

from kg.corpus import Document, ReadProblem

if TYPE_CHECKING:
    from kg.records import Extraction

model_option = click.option(
    "--model",
    "model_path",
    type=click.Path(path_type=Path, exists=True),
    default=None,
    help="Trained spaCy model directory (default: the shipped model, or rules only).",
)


def run_pipeline(
    documents: Sequence[Document], model_path: Path | None = None, *, progress: bool = True
) -> list[Extraction]:
    """Extract records from documents and resolve identity across all of them.

    Identity is resolved over the whole batch because canonical names are a
    corpus-level decision (an acronym defined in one release names the same
    organisation in another); this is what ``kg build`` does too.
    """
    from tqdm import tqdm

    from kg.extraction import extract_documents
    from kg.identity import resolve_corpus
    from kg.nlp.pipeline import load_pipeline

    nlp = load_pipeline(model_path)
    records = list(
        tqdm(
            extract_documents(nlp, list(documents)),
            total=len(documents),
            desc="extracting",
            unit="doc",
            disable=not progress,
            file=sys.stderr,
        )
    )
    resolved, _entities = resolve_corpus(records)
    return resolved


def _problem_kind(problem: ReadProblem) -> str:
    """A short reason for the summary ('binary file', 'not JSON', ...)."""
    text = problem.problem
    for cut in (" (", ":", ";"):
        text = text.split(cut, 1)[0]
    if text.startswith("object "):  # "object 'k' lacks 'text'" -> "JSONL object lacks 'text'"
        text = "JSONL object " + text.split(" ", 2)[-1]
    return text.strip()


def _write_atomically(path: Path, records: list[Extraction]) -> int:
    """Write JSONL next to the target and rename, so a crash never leaves half a file."""
    from kg.records import write_jsonl

    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            count = write_jsonl(records, stream)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="JSONL file to write (gold format of GUIDELINES.md); '-' for standard output.",
)
@model_option
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
def extract_command(paths: tuple[Path, ...], output: Path, model_path: Path | None, progress: bool) -> None:
    """Extract entities and relations from PATH... (files or directories) into JSONL."""
    from kg.corpus import iter_documents
    from kg.records import write_jsonl

    if str(output) != "-" and not output.parent.resolve().is_dir():
        raise click.ClickException(f"{output}: cannot write (directory {output.parent} does not exist)")
    documents: list[Document] = []
    problems: list[ReadProblem] = []
    for item in iter_documents(paths):
        if isinstance(item, ReadProblem):
            problems.append(item)
            click.echo(f"skipped {item}", err=True)
        else:
            documents.append(item)
    if not documents:
        raise click.ClickException(f"no readable documents in {', '.join(map(str, paths))} ({len(problems)} problem(s) above)")

    records = run_pipeline(documents, model_path, progress=progress)
    if str(output) == "-":
        count = write_jsonl(records, click.get_text_stream("stdout"))
    else:
        try:
            count = _write_atomically(output, records)
        except OSError as exc:
            raise click.ClickException(f"{output}: cannot write ({exc.strerror or exc})") from None

    mentions = sum(len(r.entities) for r in records)
    relations = sum(len(r.relations) for r in records)
    where = "standard output" if str(output) == "-" else str(output)
    click.echo(f"wrote {count} document(s), {mentions} mention(s), {relations} relation(s) to {where}", err=True)
    if problems:
        reasons = Counter(_problem_kind(p) for p in problems)
        summary = ", ".join(f"{n} {reason}" for reason, n in reasons.most_common())
        click.echo(f"skipped {len(problems)} input(s): {summary}", err=True)


@click.command("eval")
@click.argument("gold", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--pred",
    "pred",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Prediction JSONL to score; without it the pipeline runs on the gold texts.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option(
    "--labels",
    "labels",
    default=None,
    metavar="PER,ORG,...",
    help="Score only these entity labels (both sides), e.g. PER,ORG,LOC for a NER corpus.",
)
@model_option
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
def eval_command(
    gold: Path, pred: Path | None, as_json: bool, labels: str | None, model_path: Path | None, progress: bool
) -> None:
    """Score the extractor (or --pred PRED.jsonl) against GOLD.jsonl (GUIDELINES.md scoring).

    Prints mention P/R/F1 per label and micro, the entity sets, relations per
    type, and B-cubed identity; the exact definitions are in kg.evaluate.
    """
    from kg.evaluate import EvalInputError, evaluate, format_result, load_records
    from kg.records import LABELS

    label_list: list[str] | None = None
    if labels is not None:
        label_list = [label.strip().upper() for label in labels.split(",") if label.strip()]
        unknown = [label for label in label_list if label not in LABELS]
        if unknown or not label_list:
            raise click.BadParameter(f"{labels!r}: labels are {', '.join(LABELS)}", param_hint="--labels")
    try:
        gold_records = load_records(gold)
        if pred is not None:
            predicted = load_records(pred)
        else:
            documents = [Document(doc_id=g.doc_id, text=g.text) for g in gold_records]
            predicted = run_pipeline(documents, model_path, progress=progress)
        result = evaluate(gold_records, predicted, labels=label_list)
    except EvalInputError as exc:
        raise click.ClickException(str(exc)) from None

    if as_json:
        data = result.to_dict()
        data["gold"] = str(gold)
        data["pred"] = str(pred) if pred is not None else None
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        source = f"predictions {pred}" if pred is not None else "pipeline " + (str(model_path) if model_path else "(default model)")
        click.echo(f"gold: {gold}   scored: {source}")
        click.echo(format_result(result))


COMMANDS: list[click.Command] = [extract_command, eval_command]
