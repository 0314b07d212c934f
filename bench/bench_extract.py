"""Extraction throughput: words/second of the kg pipeline on the bundled corpus.

Why: extraction runs over every document on every build, so its speed
bounds how large a corpus the project can handle. The corpus (seeds + press)
is repeated until it holds at least ``--min-words`` words (whitespace-split
words, default 200,000) and run through

- a blank German pipeline (tokenizer only): the floor no pipeline can beat;
- the NER part (trained model + rules, ``downstream=False``);
- the full default pipeline (``load_pipeline()``: + identity + relations),
  single process and with ``nlp.pipe(n_process=2)``;

and the ratio to the floor is printed. Model load time is measured in a
fresh interpreter (imports included, and load_pipeline() alone).

Usage: python bench/bench_extract.py [--min-words 200000] [--batch-size 16] [--no-multiprocess]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

LOAD_SNIPPET = """
import time
t0 = time.perf_counter()
from kg.nlp.pipeline import load_pipeline
t1 = time.perf_counter()
nlp = load_pipeline()
t2 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {','.join(nlp.pipe_names)}")
"""


def corpus_texts(min_words: int) -> tuple[list[str], int]:
    """The bundled corpus' document texts, repeated to at least ``min_words`` words."""
    from kg.corpus import read_corpus

    documents, _problems = read_corpus([REPO / "corpus" / "seeds", REPO / "corpus" / "press"])
    texts = [d.text for d in documents if d.text.strip()]
    if not texts:
        raise SystemExit("bench: no documents under corpus/seeds and corpus/press")
    words_once = sum(len(t.split()) for t in texts)
    repeats = -(-min_words // words_once)
    return texts * repeats, words_once * repeats


def throughput(nlp, texts: list[str], words: int, batch_size: int, n_process: int = 1) -> float:
    start = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        pass
    return words / (time.perf_counter() - start)


def load_times() -> tuple[float, float, str]:
    """(import seconds, load_pipeline seconds, pipe names) in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", LOAD_SNIPPET], capture_output=True, text=True, check=True, cwd=REPO)
    imports, load, names = out.stdout.split()
    return float(imports), float(load), names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-words", type=int, default=200_000)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--no-multiprocess", action="store_true", help="skip the n_process=2 run")
    args = parser.parse_args()

    import spacy

    from kg.nlp.pipeline import load_pipeline

    texts, words = corpus_texts(args.min_words)
    print(f"corpus: {len(texts)} documents, {words:,} words (bundled corpus repeated)")
    imports, load, names = load_times()
    print(f"load: imports {imports:.2f} s + load_pipeline() {load:.2f} s = {imports + load:.2f} s  [{names}]")

    floor = throughput(spacy.blank("de"), texts, words, args.batch_size)
    print(f"{'blank de tokenizer (floor)':40s} {floor:10,.0f} words/s")
    ner = load_pipeline(downstream=False)
    wps = throughput(ner, texts, words, args.batch_size)
    print(f"{'NER: ' + '+'.join(ner.pipe_names):40s} {wps:10,.0f} words/s  (floor/this = {floor / wps:.1f}x)")
    full = load_pipeline()
    wps1 = throughput(full, texts, words, args.batch_size)
    print(f"{'full pipeline, 1 process':40s} {wps1:10,.0f} words/s  (floor/this = {floor / wps1:.1f}x)")
    if not args.no_multiprocess:
        for label, nlp in (("NER", ner), ("full pipeline", full)):
            try:
                wps2 = throughput(nlp, texts, words, args.batch_size, n_process=2)
            except Exception as error:  # e.g. a Doc extension that cannot be serialised between processes
                message = str(error).strip().splitlines()[-1]
                print(f"{label + ', n_process=2':40s} failed: {message}")
                continue
            print(f"{label + ', n_process=2':40s} {wps2:10,.0f} words/s  (floor/this = {floor / wps2:.1f}x)")


if __name__ == "__main__":
    main()
