"""Corpus readers: the bundled corpus, every supported format, and every bad input reported by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.corpus import Document, ReadProblem, iter_documents, normalise_date, read_corpus, split_header

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD_DIR = ROOT.parent / "shared" / "gold"
DATA = Path(__file__).resolve().parent / "data"


def _gold_texts(name: str) -> dict[str, str]:
    path = GOLD_DIR / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    with path.open(encoding="utf-8") as f:
        return {d["doc_id"]: d["text"] for d in map(json.loads, f) if d}


@pytest.fixture(scope="module")
def bundled() -> tuple[dict[str, Document], list[ReadProblem]]:
    documents, problems = read_corpus([CORPUS / "seeds", CORPUS / "press"])
    return {d.doc_id: d for d in documents}, problems


def test_bundled_corpus_reads_every_file(bundled):
    docs, problems = bundled
    files = sorted((CORPUS / "seeds").glob("*.txt")) + sorted((CORPUS / "press").glob("*.txt"))
    assert problems == []
    assert sorted(docs) == sorted(f.stem for f in files)
    assert "000_278bd50e78cf3f5d" in docs and "de_001" in docs


def test_bundled_header_fields(bundled):
    docs, _ = bundled
    d = docs["de_015"]
    assert d.url and d.url.startswith("http")
    assert d.title == "NRW und Jiangsu feiern 30 Jahre Partnerschaft"
    assert d.date == "2018-05-17"
    assert not d.text.startswith("url:") and "---" not in d.text.split("\n", 1)[0]
    # empty `date:` header is None, and the header is gone from the text
    assert docs["de_001"].date is None and docs["de_001"].url is not None
    assert docs["de_001"].text.startswith("China\nEntscheidende")
    # a seed file has no header: all of it is text
    seed = docs["000_278bd50e78cf3f5d"]
    assert seed.url is None and seed.text.startswith("Sie befinden sich hier")


def test_text_equals_gold_text(bundled):
    docs, _ = bundled
    gold = _gold_texts("seeds.jsonl") | _gold_texts("press-dev.jsonl")
    assert len(gold) >= 5
    for doc_id, text in gold.items():
        assert docs[doc_id].text == text, doc_id


def test_document_order_is_sorted_and_stable():
    ids = [d.doc_id for d in iter_documents([CORPUS / "press"]) if isinstance(d, Document)]
    assert ids == sorted(ids)
    assert ids == [d.doc_id for d in iter_documents([CORPUS / "press"]) if isinstance(d, Document)]


def test_normalise_date():
    assert normalise_date("2018-05-17") == "2018-05-17"
    assert normalise_date("17.05.2018") == "2018-05-17"
    assert normalise_date("7.5.2018") == "2018-05-07"
    assert normalise_date("14.09.2020 09:29") == "2020-09-14"
    assert normalise_date("2020-09-14T09:29:00+02:00") == "2020-09-14"
    assert normalise_date("") is None and normalise_date("  ") is None and normalise_date(None) is None
    for bad in ("gestern", "2018-13-01", "31.02.2020", "2018"):
        with pytest.raises(ValueError):
            normalise_date(bad)


def test_split_header_rules():
    assert split_header("url: x\ntitle: T\n---\nBody\n---\nmore") == ({"url": "x", "title": "T"}, "Body\n---\nmore")
    # not a header: a line before --- that is not key: value
    assert split_header("Hallo Welt\n---\nBody") == ({}, "Hallo Welt\n---\nBody")
    # --- on the first line is not a header either
    assert split_header("---\nBody") == ({}, "---\nBody")
    assert split_header("no header at all") == ({}, "no header at all")


def _write(directory: Path, name: str, data: bytes | str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


@pytest.fixture()
def messy(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    _write(d, "good.txt", "url: https://example.org/a\ntitle: Gut\ndate: 03.06.2024\n---\nDie BSW in Wuppertal.\n")
    _write(d, "plain.txt", "Kein Header, nur Text über Chengdu.")
    _write(d, "sub/deeper.txt", "date: 2020-01-02\n---\nText in einem Unterordner.")
    _write(d, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _write(d, "empty.txt", b"")
    _write(d, "header_only.txt", "title: Nur Kopf\n---\n\n")
    _write(d, "latin1.txt", "Grüße aus Düsseldorf".encode("latin-1"))
    _write(d, "baddate.txt", "date: gestern\n---\nText.")
    _write(d, "notes.pdf", b"%PDF-1.4")
    _write(d, ".hidden.txt", "a dotfile inside a directory is not an input")
    lines = [
        json.dumps({"id": "j1", "text": "Erster Text.", "date": "2019-04-08", "title": "J1"}),
        "{broken json",
        json.dumps({"id": "j3", "title": "ohne Text"}),
        json.dumps({"text": "ohne id"}),
        "",
        json.dumps({"id": "j5", "text": "Fünfter Text.", "date": "kein Datum"}),
        json.dumps({"id": "good", "text": "dieselbe id wie good.txt"}),
        json.dumps({"id": "j7", "text": "   "}),
    ]
    _write(d, "zdocs.jsonl", "\n".join(lines) + "\n")
    _write(d, "page.html", DATA.joinpath("page.html").read_bytes())
    return d


def test_messy_directory_good_files_come_through(messy: Path):
    documents, problems = read_corpus([messy])
    ids = [d.doc_id for d in documents]
    assert sorted(ids) == ["deeper", "good", "j1", "page", "plain"]
    good = next(d for d in documents if d.doc_id == "good")
    assert good.date == "2024-06-03" and good.title == "Gut" and good.url == "https://example.org/a"
    assert good.text == "Die BSW in Wuppertal.\n"
    assert good.source == messy / "good.txt"
    j1 = next(d for d in documents if d.doc_id == "j1")
    assert (j1.text, j1.date, j1.title) == ("Erster Text.", "2019-04-08", "J1")
    plain = next(d for d in documents if d.doc_id == "plain")
    assert plain.text == "Kein Header, nur Text über Chengdu." and plain.date is None


def test_messy_directory_each_bad_input_reported_by_name(messy: Path):
    _, problems = read_corpus([messy])
    messages = [str(p) for p in problems]
    assert all("\n" not in m for m in messages)

    def one(fragment: str, *words: str) -> str:
        hits = [m for m in messages if fragment in m]
        assert len(hits) == 1, (fragment, messages)
        for w in words:
            assert w.lower() in hits[0].lower(), (w, hits[0])
        return hits[0]

    one("binary.txt", "binary")
    one("empty.txt", "empty")
    one("header_only.txt", "empty")
    one("latin1.txt", "UTF-8", "Latin-1")
    one("baddate.txt", "gestern", "date")
    one("notes.pdf", "unsupported", ".pdf")
    one("zdocs.jsonl:2:", "not JSON")
    one("zdocs.jsonl:3:", "j3", "text")
    one("zdocs.jsonl:4:", "id")
    one("zdocs.jsonl:6:", "j5", "date")
    one("zdocs.jsonl:7:", "duplicate", "good")
    one("zdocs.jsonl:8:", "empty")
    assert len(problems) == 12
    assert not any(".hidden" in m for m in messages)
    assert all(isinstance(p.path, Path) for p in problems)


def test_missing_path_and_explicit_files(tmp_path: Path):
    good = _write(tmp_path, "a.txt", "Text")
    results = list(iter_documents([tmp_path / "nope", good, good]))
    assert [type(r) for r in results] == [ReadProblem, Document]  # the same file named twice is read once
    assert "no such file" in str(results[0]) and str(results[0]).startswith(str(tmp_path / "nope"))


def test_broken_link_in_directory_is_reported(tmp_path: Path):
    _write(tmp_path, "a.txt", "Text")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    documents, problems = read_corpus([tmp_path])
    assert [d.doc_id for d in documents] == ["a"]
    assert len(problems) == 1 and "dangling.txt" in str(problems[0]) and "not a regular file" in str(problems[0])


def test_crlf_and_bom_read_like_text_mode(tmp_path: Path):
    path = _write(tmp_path, "win.txt", b"\xef\xbb\xbfurl: u\r\ndate: 2020-01-02\r\n---\r\nZeile 1\r\nZeile 2")
    (doc,), problems = read_corpus([path])
    assert problems == []
    assert doc.text == "Zeile 1\nZeile 2" and doc.url == "u" and doc.date == "2020-01-02"


def test_gold_format_jsonl_reported_once(tmp_path: Path):
    rec = {"doc_id": "x", "text": "T", "entities": [], "relations": []}
    path = _write(tmp_path, "ann.jsonl", "\n".join(json.dumps(rec | {"doc_id": f"x{i}"}) for i in range(3)))
    documents, problems = read_corpus([path])
    assert documents == [] and len(problems) == 1
    assert "3 annotation record" in str(problems[0]) and str(problems[0]).startswith(f"{path}:1:")


def test_html_main_text_title_and_date():
    (doc,), problems = read_corpus([DATA / "page.html"])
    assert problems == []
    assert doc.doc_id == "page"
    assert "Absichtserklärung" in doc.text and "Chengdu" in doc.text
    assert "Impressum" not in doc.text and "var tracking" not in doc.text
    assert doc.title and "Wuppertal" in doc.title
    assert doc.date == "2020-09-14"
    assert doc.language == "de"


def test_html_lxml_fallback_extracts_main_text():
    """The fallback used where trafilatura cannot be imported keeps the article, drops the chrome."""
    from kg.corpus import _html_with_lxml

    text, title, date, language = _html_with_lxml(DATA.joinpath("page.html").read_text(encoding="utf-8"))
    assert text.count("\n") == 3 and text.startswith("Wuppertal und Chengdu unterzeichnen")
    assert "Sichuan" in text and "Impressum" not in text and "tracking" not in text
    assert title == "Wuppertal und Chengdu unterzeichnen Absichtserklärung"
    assert date == "2020-09-14T09:29:00+02:00" and language == "de"


def test_html_in_declared_charset_and_undecodable_html(tmp_path: Path):
    page = DATA.joinpath("page.html").read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="iso-8859-1"')
    latin = _write(tmp_path, "latin.html", page.encode("latin-1"))
    undeclared = _write(tmp_path, "undeclared.html", page.replace('<meta charset="iso-8859-1">', "").encode("latin-1"))
    documents, problems = read_corpus([latin, undeclared])
    assert [d.doc_id for d in documents] == ["latin"] and "Absichtserklärung" in documents[0].text
    assert len(problems) == 1 and "undeclared.html" in str(problems[0]) and "UTF-8" in str(problems[0])


def test_read_problem_str():
    assert str(ReadProblem(Path("a/b.jsonl"), "not JSON", 3)) == "a/b.jsonl:3: not JSON"
    assert str(ReadProblem(Path("a/b.txt"), "empty document")) == "a/b.txt: empty document"
