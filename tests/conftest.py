"""Shared fixtures: a graph store built once per test session from the bundled corpus.

Other stages' tests use ``built_store`` by name; it is built with the default
pipeline (kg.nlp.pipeline.load_pipeline), exactly as ``kg build corpus`` does.
Open it read-only (``kg.rdf.store.open_store(path, read_only=True)``): it is
shared by the whole session.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
#: The press releases proper; corpus/ may also hold training data of other stages.
CORPUS_PARTS = ("seeds", "press")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The bundled corpus directory (its seeds/ and press/ hold the documents)."""
    assert CORPUS.is_dir(), f"bundled corpus missing at {CORPUS}"
    return CORPUS


@pytest.fixture(scope="session")
def corpus_paths(corpus_dir: Path) -> list[Path]:
    """The document directories of the bundled corpus: corpus/seeds and corpus/press."""
    paths = [corpus_dir / part for part in CORPUS_PARTS]
    for path in paths:
        assert path.is_dir(), f"bundled corpus part missing at {path}"
    return paths


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory, corpus_paths: list[Path]) -> Path:
    """Path of a store built from the bundled corpus (seeds + press) with the default pipeline."""
    from kg.build import build

    store_path = tmp_path_factory.mktemp("built") / "kg-store"
    # nlp=None: build loads kg.nlp.pipeline.load_pipeline(), as `kg build` does,
    # and caches extractions under the default pipeline's version.
    report = build(corpus_paths, store_path, progress=False)
    assert report.documents > 0, "the bundled corpus gave no documents"
    return store_path
