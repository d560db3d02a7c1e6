"""The README's key table must match the bindings, and its two commands must stay what CI runs."""

from __future__ import annotations

from helpers import REPO

from tuireader.keys import markdown_table


def test_readme_key_table_matches_bindings() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- keys:start -->") + len("<!-- keys:start -->")
    end = readme.index("<!-- keys:end -->")
    assert readme[start:end].strip() == markdown_table(), "regenerate with: python -m tuireader.keys"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    assert command in readme
    assert command in (REPO / ".ci" / "run").read_text(encoding="utf-8")
