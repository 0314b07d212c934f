"""Command ``kg train``: rebuild the shipped NER model from the bundled training data."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("train")
@click.option("--config", "config", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="spaCy training config (default: kg/nlp/config.cfg).")
@click.option("--output", "output", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Where the trained model goes (default: kg/nlp/model, the shipped model).")
@click.option("--data-dir", "data_dir", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None,
              help="Training corpora (default: corpus/training, the bundled copies).")
@click.option("--annotations", "annotations", type=click.Path(path_type=Path, exists=True), multiple=True,
              help="In-domain GUIDELINES JSONL file(s) (default: DATA_DIR/annotations/*.jsonl.gz); repeatable.")
@click.option("--seed", default=0, show_default=True, help="Random seed (data split and spaCy).")
@click.option("--max-steps", "max_steps", type=int, default=None, help="Override training.max_steps of the config.")
@click.option("--upsample", type=int, default=None, help="Copies of each in-domain training document (default: 5).")
@click.option("--synthetic", "synthetic", type=click.Path(path_type=Path, exists=True), multiple=True,
              help="Synthetic training JSONL file(s), train only (default: DATA_DIR/synthetic/*.jsonl.gz); repeatable.")
@click.option("--no-synthetic", "no_synthetic", is_flag=True, help="Train without the synthetic documents.")
@click.option("--synthetic-upsample", "synthetic_upsample", type=int, default=None,
              help="Copies of each synthetic document (default: 2).")
@click.option("--acronym-hyphen-split/--no-acronym-hyphen-split", default=False, show_default=True,
              help='Tokenize "NRW-Ministerin" as "NRW" "-" "Ministerin" (training data and saved tokenizer).')
def train_command(config: Path | None, output: Path | None, data_dir: Path | None, annotations: tuple[Path, ...],
                  seed: int, max_steps: int | None, upsample: int | None, synthetic: tuple[Path, ...],
                  no_synthetic: bool, synthetic_upsample: int | None, acronym_hyphen_split: bool) -> None:
    """Train tok2vec + ner with spaCy on the bundled corpora; prints the scores of each evaluation round.

    Gold documents are never trained on (the annotation reader skips them).
    """
    from kg.nlp import train as training
    from kg.nlp.convert import ConvertError

    settings = training.TrainSettings(seed=seed, max_steps=max_steps, acronym_hyphen_split=acronym_hyphen_split)
    if upsample is not None:
        settings.upsample = upsample
    if config is not None:
        settings.config = config
    if output is not None:
        settings.output = output
    if data_dir is not None:
        settings.data_dir = data_dir
    if synthetic_upsample is not None:
        settings.synthetic_upsample = synthetic_upsample
    if no_synthetic:
        settings.synthetic = []
    elif synthetic:
        settings.synthetic = [p for a in synthetic for p in (sorted(a.glob("*.jsonl")) if a.is_dir() else [a])]
    settings.annotations = [p for a in annotations for p in (sorted(a.glob("*.jsonl")) if a.is_dir() else [a])]
    try:
        path = training.train(settings)
    except (ConvertError, FileNotFoundError, FileExistsError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"model written to {path}")


COMMANDS: list[click.Command] = [train_command]
