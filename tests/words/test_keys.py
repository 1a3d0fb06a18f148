"""Interface strings: in both languages, each used, and enumerable when built at run time."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import words

ROOT = Path(__file__).resolve().parents[2]
CODE = [
    p
    for p in ROOT.rglob("*.py")
    if not {".venv", "tests", "static", "scripts"} & set(p.relative_to(ROOT).parts)
]
TEXT = words.keys()
FAMILIES = words.families()
CORE = ("access", "planning", "spaces", "store", "services")
"""The packages that return codes and parameters, and never word them."""


def _calls_of_t():
    for path in CODE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args:
                yield path, node, node.args[0]


def _literals() -> set[str]:
    """Every string constant in the code outside the words' own declarations."""
    out: set[str] = set()
    for path in CODE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        declared = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.AnnAssign | ast.Assign) and path.parts[-2] == "words":
                targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
                if any(getattr(t, "id", "") in ("TEXT", "FAMILIES") for t in targets):
                    declared |= {id(n) for n in ast.walk(node.value)}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in declared
            ):
                out.add(node.value)
    return out


def _pattern(node: ast.JoinedStr) -> str:
    return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_key_is_in_both_languages_with_the_same_placeholders(key):
    zh, en = TEXT[key]
    assert zh.strip() and en.strip(), key
    assert _fields(zh) == _fields(en), key


def test_every_key_built_at_run_time_is_a_declared_family():
    undeclared = set()
    for path, node, arg in _calls_of_t():
        if isinstance(arg, ast.JoinedStr) and _pattern(arg) not in FAMILIES:
            undeclared.add(f"{path.relative_to(ROOT)}:{node.lineno} {_pattern(arg)}")
        if isinstance(arg, ast.BinOp):
            undeclared.add(f"{path.relative_to(ROOT)}:{node.lineno} builds a key with +")
    assert not undeclared, "declare these in a FAMILIES table of words/: " + "; ".join(
        sorted(undeclared)
    )


def test_every_family_member_exists():
    missing = [
        pattern.replace("{}", str(code))
        for pattern, codes in FAMILIES.items()
        for code in codes
        if pattern.replace("{}", str(code)) not in TEXT
    ]
    assert not missing


def test_every_literal_key_exists():
    missing = {
        f"{path.relative_to(ROOT)}:{node.lineno} {arg.value}"
        for path, node, arg in _calls_of_t()
        if isinstance(arg, ast.Constant) and arg.value not in TEXT
    }
    assert not missing


def test_no_key_is_dead():
    literals = _literals()
    members = {p.replace("{}", str(c)) for p, codes in FAMILIES.items() for c in codes}
    dead = sorted(k for k in TEXT if k not in literals and k not in members)
    assert not dead, f"keys nothing uses: {dead}"


def test_a_key_may_be_declared_once():
    seen: dict[str, str] = {}
    for name in words.DOMAINS:
        module = __import__(f"words.{name}", fromlist=["TEXT"])
        for key in module.TEXT:
            assert key not in seen, f"{key} in words.{seen.get(key)} and words.{name}"
            seen[key] = name


def test_no_language_branch_in_the_core():
    branches = []
    for package in CORE:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for n, line in enumerate(text.splitlines(), 1):
                if re.search(r"""lang\s*==\s*["'](zh|en)["']""", line):
                    branches.append(f"{path.relative_to(ROOT)}:{n}")
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                    a = node.args
                    given = [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]
                    if {"lang", "language"} & {x.arg for x in given if x is not None}:
                        name = getattr(node, "name", "lambda")
                        branches.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}(lang)")
    assert not branches, "word these in words/, not in the core: " + ", ".join(branches)
