"""The package declares what its import chain needs, so any pip installs a working trafilatura."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def declared() -> dict[str, Requirement]:
    """The project's own dependencies, by canonical name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {canonicalize_name(r.name): r for r in map(Requirement, project["dependencies"])}


def test_every_extra_needed_under_trafilatura_is_declared_directly() -> None:
    """An extra asked for deep in the chain (justext wants lxml[html_clean]) is what an older pip skips when
    the base package is already installed; each distribution such an extra brings must be declared."""
    ours = declared()
    seen: set[str] = set()
    pending = ["trafilatura"]
    needed: set[str] = set()
    while pending:
        name = canonicalize_name(pending.pop())
        if name in seen:
            continue
        seen.add(name)
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            pending.append(requirement.name)
            for extra in requirement.extras:
                for extra_text in metadata.requires(requirement.name) or []:
                    extra_req = Requirement(extra_text)
                    if extra_req.marker is not None and extra_req.marker.evaluate({"extra": extra}):
                        needed.add(canonicalize_name(extra_req.name))
    assert "lxml-html-clean" in needed
    assert needed <= ours.keys(), needed - ours.keys()


def test_the_import_chain_loads() -> None:
    import lxml.html.clean
    import trafilatura

    assert trafilatura.extract("<html><body><article><p>" + "Families crossed at Torkham. " * 20 + "</p></article>")
    assert lxml.html.clean.Cleaner is not None
