"""Imports point one way: pages reach the store through its repository and the services only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STORE_FOR_PAGES = {"store.repository", "store.bootstrap"}


def _imports(path: Path) -> set[str]:
    """The modules a file imports (``from a.b import c`` gives ``a.b`` and ``a.b.c``)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", _files("ui"), ids=lambda p: p.name)
def test_pages_use_only_the_repository_and_the_services_of_the_store(path):
    inner = {
        m
        for m in _imports(path)
        if m.startswith("store.")
        and m not in STORE_FOR_PAGES
        and m.rsplit(".", 1)[0] not in STORE_FOR_PAGES
    }
    assert not inner, f"{path.name} imports store internals {sorted(inner)}: use a service"


CORE = ["access", "store", "services", "spaces", "planning", "geodata"]
"""The packages below the commands and the pages: they return codes and numbers."""


@pytest.mark.parametrize("package", CORE)
def test_no_package_below_the_commands_imports_them_or_the_pages(package):
    for path in _files(package):
        upward = {
            m for m in _imports(path) if m.split(".")[0] in {"commands", "ui", "streamlit", "cli"}
        }
        assert not upward, f"{path.relative_to(ROOT)} imports {sorted(upward)}"


@pytest.mark.parametrize("package", CORE)
def test_the_core_never_imports_the_words(package):
    """The core returns codes and parameters; `words` words them for the pages and commands."""
    for path in _files(package):
        wording = {m for m in _imports(path) if m.split(".")[0] == "words"}
        assert not wording, f"{path.relative_to(ROOT)} imports {sorted(wording)}: word it in words/"


def test_page_scripts_hold_no_bare_strings_streamlit_would_show():
    """Streamlit's "magic" writes a bare expression of a page script onto the page: a string
    after the module's docstring (an attribute's docstring, say) would show as page text."""
    shown = []
    for path in [ROOT / "app.py", *sorted((ROOT / "ui").glob("*_page.py"))]:
        tree = ast.parse(path.read_text("utf-8"))
        shown += [
            f"{path.name}:{n.lineno}"
            for n in tree.body[1:]
            if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)
        ]
    assert shown == []
