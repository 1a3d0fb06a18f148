"""Words: the product's texts in Chinese and English, for the pages and the command line.

The core (`planning`, `spaces`, `store`, `services`, `geodata`) returns codes and numbers
and never imports this package; this package words them in the language asked for, Chinese
first, English as a switch. Interface strings are declared by domain, each module with its
``TEXT`` (key -> (Chinese, English)) and, for keys built at run time, its ``FAMILIES`` (a
pattern such as ``"role_{}"`` -> the codes it takes), so that every key can be listed and
checked (`keys`). Catalogs keyed by a code of the core (issue messages, gate labels ...) are
dicts of their own in the module of their domain.
"""

from __future__ import annotations

import functools
import importlib

from spaces.schema import VOCABULARIES

LANGS = ("zh", "en")
DOMAINS = (
    "app",
    "map",
    "finder",
    "demands",
    "matching",
    "release",
    "data",
    "inventory",
    "imports",
    "access",
    "admin",
    "signin",
)
"""The modules holding interface strings, one per domain."""


def pick(pair: tuple[str, str], lang: str) -> str:
    """The Chinese or English member of a (zh, en) pair; ValueError for another language."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    return pair[0] if lang == "zh" else pair[1]


def t(key: str, lang: str) -> str:
    """The interface string ``key`` in ``lang`` ("zh" or "en")."""
    return pick(_text()[key], lang)


def vocab(vocabulary: str, code: str | None, lang: str) -> str:
    """The label of a schema vocabulary code (tier, status, ...) in ``lang``; "" for none.

    A code the vocabulary does not hold is shown as it is.
    """
    if code is None or code != code:  # None or NaN
        return ""
    return pick(VOCABULARIES[vocabulary].get(code, (code, code)), lang)


def keys() -> dict[str, tuple[str, str]]:
    """Every interface string by key, from all domains."""
    return dict(_text())


def families() -> dict[str, tuple[str, ...]]:
    """Every pattern of keys built at run time, with the codes it takes."""
    out: dict[str, tuple[str, ...]] = {}
    for name in DOMAINS:
        out.update(getattr(importlib.import_module(f"words.{name}"), "FAMILIES", {}))
    return out


@functools.cache
def _text() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for name in DOMAINS:
        table = importlib.import_module(f"words.{name}").TEXT
        twice = sorted(set(out) & set(table))
        if twice:
            raise ValueError(f"words.{name} repeats the key(s) {', '.join(twice)}")
        out.update(table)
    return out
