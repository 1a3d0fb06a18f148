"""Words: the product's texts in Chinese and English, for the pages and the command line.

The core (`planning`, `spaces`, `store`) returns codes and numbers; this package words them in
the language asked for. Chinese first, English as a switch.
"""

from __future__ import annotations

LANGS = ("zh", "en")


def pick(pair: tuple[str, str], lang: str) -> str:
    """The Chinese or English member of a (zh, en) pair; ValueError for another language."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    return pair[0] if lang == "zh" else pair[1]
