"""One bad file never stops a batch, an edited index is one "altered" line, and a rebuild keeps what the
index holds: the real CLI (as a subprocess where its output matters) and the real store."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.answering.service import AnswerService
from bot.settings import Settings
from index.documents import load_file
from index.embedding import SentenceTransformerEmbedder
from index.errors import DocumentError, IndexCorruptError
from index.store import load_snapshot, read_manifest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
MODEL = "all-MiniLM-L6-v2"
BODY = "Officials said {n} families crossed at Torkham on Monday, and more were expected at Chaman on Tuesday."


def article(folder: Path, name: str, front_matter: str, n: int) -> Path:
    """A small article with front matter."""
    path = folder / name
    path.write_text(f"---\n{front_matter}\n---\n{BODY.format(n=n)}\n", encoding="utf-8")
    return path


def policybot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real ``policybot`` command."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_an_impossible_date_refuses_that_file_with_a_reason(tmp_path: Path) -> None:
    path = article(tmp_path, "bad.md", "title: Crossings\ndate: 2025-02-30", 10)
    with pytest.raises(DocumentError, match=r"bad\.md: date '2025-02-30' is not a real date"):
        load_file(path)
    month = article(tmp_path, "month.md", "title: Crossings\ndate: 2025-13", 11)
    with pytest.raises(DocumentError, match="not a real date"):
        load_file(month)


def test_a_date_that_is_not_a_date_is_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    document = load_file(article(tmp_path, "yesterday.md", "title: Crossings\ndate: yesterday", 12))
    assert document.date is None
    [warning] = [r for r in caplog.records if r.levelname == "WARNING"]
    assert "yesterday.md" in warning.getMessage() and "'yesterday' is not a date" in warning.getMessage()
    assert load_file(article(tmp_path, "ok.md", "title: Crossings\ndate: 2025-02-28", 13)).date == "2025-02-28"
    assert load_file(article(tmp_path, "undated.md", "title: Crossings\ndate: unknown", 14)).date is None


@pytest.mark.slow
def test_index_prints_each_bad_file_once_without_a_traceback_unless_verbose(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    article(corpus, "a-good.md", "title: Good one\ndate: 2025-03-01", 1)
    article(corpus, "b-bad-date.md", "title: Bad date\ndate: 2025-02-30", 2)
    article(corpus, "c-yesterday.md", "title: Vague date\ndate: yesterday", 3)
    (corpus / "d-latin1.txt").write_bytes("Caf\xe9 owners said 40 families left on Monday morning.".encode("latin-1"))
    article(corpus, "e-good.md", "title: Good two\ndate: 2025-03-02", 5)

    quiet = policybot("--data-dir", str(tmp_path / "data"), "index", str(corpus), cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert "3 added, 0 replaced, 0 unchanged, 2 failed" in quiet.stdout
    lines = quiet.stderr.strip().splitlines()
    assert len([line for line in lines if "b-bad-date.md" in line]) == 1
    assert len([line for line in lines if "d-latin1.txt" in line]) == 1
    assert len([line for line in lines if "c-yesterday.md" in line and "WARNING" in line]) == 1
    assert "not a real date" in quiet.stderr and "Traceback" not in quiet.stderr

    verbose = policybot("-v", "--data-dir", str(tmp_path / "data2"), "index", str(corpus), cwd=tmp_path)
    assert verbose.returncode == 0 and "Traceback" in verbose.stderr and "UnicodeDecodeError" in verbose.stderr
    assert len([line for line in verbose.stderr.splitlines() if line.startswith("skipped:")]) == 2


Edit = Callable[[Path, Path], None]


def _manifest_edit(change: Callable[[dict[str, object]], object]) -> Edit:
    def edit(index_dir: Path, folder: Path) -> None:
        path = folder / "manifest.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        result = change(manifest)
        path.write_text(json.dumps(manifest if result is None else result), encoding="utf-8")

    return edit


def _write(name: str, data: bytes) -> Edit:
    def edit(index_dir: Path, folder: Path) -> None:
        target = index_dir / name if name == "CURRENT" else folder / name
        target.write_bytes(data)

    return edit


def _directory(name: str) -> Edit:
    def edit(index_dir: Path, folder: Path) -> None:
        target = index_dir / name if name == "CURRENT" else folder / name
        target.unlink()
        target.mkdir()

    return edit


EDITS: dict[str, Edit] = {
    "dimension is a string": _manifest_edit(lambda m: m.update(dimension="384")),
    "files is a list": _manifest_edit(lambda m: m.update(files=["faiss.index"])),
    "chunking misses a key": _manifest_edit(lambda m: m["chunking"].pop("splitter")),  # type: ignore[union-attr]
    "model is missing": _manifest_edit(lambda m: m.pop("model")),
    "a file name escapes": _manifest_edit(
        lambda m: m.update(files={"../../CURRENT": "x", "faiss.index": "y"})  # type: ignore[dict-item]
    ),
    "unknown index_type": _manifest_edit(lambda m: m.update(index_type="ivf")),
    "manifest is a list": _manifest_edit(lambda m: [m]),
    "manifest is not UTF-8": _write("manifest.json", b'{"model": "\xff"}'),
    "manifest is a directory": _directory("manifest.json"),
    "CURRENT is not UTF-8": _write("CURRENT", b"v\xff\xfe"),
    "CURRENT names a path": _write("CURRENT", b"../../etc"),
    "CURRENT is a directory": _directory("CURRENT"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(EDITS))
def test_an_edited_manifest_or_current_is_altered_rebuild(data_dir: Path, name: str) -> None:
    index_dir = data_dir / "index"
    version, _ = read_manifest(index_dir)
    EDITS[name](index_dir, index_dir / version)
    with pytest.raises(IndexCorruptError, match=r"altered.*rebuild|rebuild.*altered") as caught:
        load_snapshot(index_dir, MODEL)
    assert "\n" not in str(caught.value)


@pytest.mark.slow
def test_the_cli_says_altered_in_one_line(data_dir: Path, tmp_path: Path) -> None:
    index_dir = data_dir / "index"
    version, _ = read_manifest(index_dir)
    EDITS["dimension is a string"](index_dir, index_dir / version)
    result = policybot("--data-dir", str(data_dir), "sources", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "altered" in result.stderr and "Traceback" not in result.stderr
    unknown = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--data-dir", str(data_dir), "sources"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "POLICYBOT_INDEX_TYPE": "ivf"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert unknown.returncode == 1 and "invalid setting index_type" in unknown.stderr
    assert "Traceback" not in unknown.stderr


@pytest.mark.slow
def test_rebuild_keeps_added_documents_and_removed_ones_stay_removed(
    data_dir: Path, tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    service = AnswerService(Settings(data_dir=data_dir, seeds_dir=SEEDS), embedder)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    added = article(elsewhere, "quetta.md", "title: Quetta drive\ndate: 2026-02-03\nsource: Gazette", 120)
    service.index_sources([str(added)])
    shutil.rmtree(elsewhere)  # the original file is gone: the index's copy is what a rebuild uses
    victim = next(d for d in service.snapshot.documents.values() if "brecorder" in d.origin)
    service.remove(victim.doc_id)
    before = dict(service.snapshot.documents)
    assert len(before) == 11

    report = service.index_sources([str(SEEDS)], rebuild=True)
    after = load_snapshot(data_dir / "index", MODEL).documents
    assert set(after) == set(before) | {victim.doc_id}  # the seeds given again bring their own article back
    quetta = next(d for d in after.values() if d.title == "Quetta drive")
    assert quetta.date == "2026-02-03" and quetta.source == "Gazette" and "120 families" in quetta.text
    assert report.chunks_embedded == len(load_snapshot(data_dir / "index", MODEL).chunks)

    service.remove(victim.doc_id)
    service.index_sources([str(elsewhere)], rebuild=True)  # a path that no longer exists
    rebuilt = load_snapshot(data_dir / "index", MODEL).documents
    assert set(rebuilt) == set(before) and victim.doc_id not in rebuilt
