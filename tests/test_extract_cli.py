"""`kg extract` and `kg eval` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.records import LABELS, RELATION_TYPES

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "corpus" / "seeds"
SEEDS_GOLD = ROOT.parent / "shared" / "gold" / "seeds.jsonl"


@pytest.fixture(scope="module")
def seeds_gold() -> Path:
    if not SEEDS_GOLD.exists():
        pytest.skip(f"{SEEDS_GOLD} not available")
    return SEEDS_GOLD


def _check_gold_format(path: Path) -> list[dict]:
    """The structural rules of validate_gold.py that any extractor output must keep."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for rec in records:
        assert isinstance(rec["doc_id"], str) and rec["doc_id"]
        text = rec["text"]
        ids = set()
        spans = []
        for e in rec["entities"]:
            assert set(e) >= {"id", "start", "end", "label", "text", "entity"}
            assert e["id"] not in ids
            ids.add(e["id"])
            assert 0 <= e["start"] < e["end"] <= len(text)
            assert text[e["start"] : e["end"]] == e["text"]
            assert e["label"] in LABELS and e["entity"].strip()
            spans.append((e["start"], e["end"]))
        spans.sort()
        assert all(b[0] >= a[1] for a, b in zip(spans, spans[1:])), "overlapping mentions"
        for r in rec["relations"]:
            assert r["type"] in RELATION_TYPES and r["head"] in ids and r["tail"] in ids
    return records


def test_extract_writes_gold_format_and_reports_bad_inputs(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(
        "url: https://example.org/a\ntitle: A\ndate: 14.09.2020\n---\n"
        "Die Wirtschaftsförderung Wuppertal eröffnet ein Büro in Chengdu in der Provinz Sichuan.\n",
        encoding="utf-8",
    )
    (src / "b.jsonl").write_text(json.dumps({"id": "b1", "text": "Nordrhein-Westfalen und China arbeiten zusammen."}) + "\n{bad\n")
    (src / "latin.txt").write_bytes("Grüße aus Düsseldorf".encode("latin-1"))
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(src), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    records = _check_gold_format(out)
    assert [r["doc_id"] for r in records] == ["a", "b1"]
    assert records[0]["text"].startswith("Die Wirtschaftsförderung") and "url:" not in records[0]["text"]
    assert records[0]["meta"]["date"] == "2020-09-14" and records[0]["meta"]["url"] == "https://example.org/a"
    err = result.stderr
    assert "latin.txt" in err and "UTF-8" in err
    assert "empty.txt" in err and "b.jsonl:2" in err
    assert "skipped 3 input(s)" in err
    assert "wrote 2 document(s)" in err


def test_extract_nothing_readable_is_an_error(tmp_path: Path):
    (tmp_path / "x.bin").write_bytes(b"\x00\x01")
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "-o", str(tmp_path / "o.jsonl"), "--no-progress"])
    assert result.exit_code != 0
    assert "no readable documents" in result.output and "x.bin" in result.output
    assert not (tmp_path / "o.jsonl").exists()


def test_eval_gold_against_itself_is_perfect(seeds_gold: Path):
    result = CliRunner().invoke(main, ["eval", str(seeds_gold), "--pred", str(seeds_gold), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["documents"] == 5
    for part in ("mentions", "entities", "relations"):
        assert data[part]["micro"]["f1"] == 1.0, part
        assert data[part]["micro"]["tp"] > 0
        per = data[part]["per_label" if part != "relations" else "per_type"]
        assert all(v["f1"] == 1.0 for v in per.values() if v["support"]), part
    assert data["bcubed"]["precision"] == 1.0 and data["bcubed"]["recall"] == 1.0 and data["bcubed"]["f1"] == 1.0
    only = json.loads(
        CliRunner().invoke(main, ["eval", str(seeds_gold), "--pred", str(seeds_gold), "--json", "--labels", "per,LOC"]).stdout
    )
    assert set(only["mentions"]["per_label"]) == {"PER", "LOC"} and only["labels"] == ["PER", "LOC"]
    assert 0 < only["mentions"]["micro"]["support"] < data["mentions"]["micro"]["support"]
    table = CliRunner().invoke(main, ["eval", str(seeds_gold), "--pred", str(seeds_gold)])
    assert table.exit_code == 0 and "B-cubed" in table.output and "micro" in table.output


def test_eval_malformed_prediction_names_file_and_line(tmp_path: Path, seeds_gold: Path):
    pred = tmp_path / "pred.jsonl"
    first = seeds_gold.read_text(encoding="utf-8").splitlines()[0]
    pred.write_text(first + "\nnot json\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(seeds_gold), "--pred", str(pred)])
    assert result.exit_code == 1
    assert f"{pred}:2: not JSON" in result.output
    assert "Traceback" not in result.output
    bad_labels = CliRunner().invoke(main, ["eval", str(seeds_gold), "--pred", str(seeds_gold), "--labels", "PER,FOO"])
    assert bad_labels.exit_code == 2 and "--labels" in bad_labels.output
    missing = CliRunner().invoke(main, ["eval", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 1 and "nope.jsonl: cannot read" in missing.output


def test_extract_then_eval_equals_eval_running_the_pipeline(tmp_path: Path, seeds_gold: Path):
    """`kg extract` output scored with --pred gives exactly what `kg eval` computes by itself."""
    out = tmp_path / "seeds-pred.jsonl"
    runner = CliRunner()
    extracted = runner.invoke(main, ["extract", str(SEEDS_DIR), "-o", str(out), "--no-progress"])
    assert extracted.exit_code == 0, extracted.output
    assert len(_check_gold_format(out)) == 5
    scored = runner.invoke(main, ["eval", str(seeds_gold), "--pred", str(out), "--json"])
    direct = runner.invoke(main, ["eval", str(seeds_gold), "--json", "--no-progress"])
    assert scored.exit_code == 0 and direct.exit_code == 0, (scored.output, direct.output)
    a, b = json.loads(scored.stdout), json.loads(direct.stdout)
    a.pop("pred"), b.pop("pred")
    assert a == b
    assert a["mentions"]["micro"]["tp"] > 0  # the pipeline finds something on the seeds
    assert a["missing_docs"] == []
