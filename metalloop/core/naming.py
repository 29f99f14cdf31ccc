"""Whether a text names an organisation: the guard of anonymous listings.

An anonymous listing's own texts must not say whose it is. The phrases that would tell are
the organisation's name (with and without its legal form), every run of two or more of its
words, its short name for addresses (the slug), the names of its sites and the streets they
lie in. A text names one of them when the phrase occurs in it as whole words, compared
after folding case, umlauts and accents, punctuation and the spelling of "Straße".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from metalloop.core.geo import fold_name

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_HOUSE_NUMBER = re.compile(r"[\s,]*\d+\s*[a-zA-Z]?(\s*[-/]\s*\d+\s*[a-zA-Z]?)?$")
MIN_PHRASE_CHARACTERS = 5
"""Shorter phrases (after folding) are too common to tell anything."""


def fold_text(text: str) -> str:
    """Fold ``text`` for comparison: case, umlauts and accents as :func:`fold_name`, any run
    of other characters as one space, and "strasse" (also in "Hafenstrasse") as "str"."""
    folded = _NOT_WORD.sub(" ", fold_name(text)).strip()
    return re.sub(r"str(asse|\b)", "str", folded)


@dataclass(frozen=True)
class Phrase:
    """A phrase that would name the owner: as the owner wrote it, and folded."""

    shown: str
    folded: str


def owner_phrases(
    *,
    name: str,
    legal_form: str = "",
    slug: str = "",
    site_names: Iterable[str] = (),
    streets: Iterable[str] = (),
) -> tuple[Phrase, ...]:
    """The phrases that would tell an organisation (see the module's description).

    Site names count from two words on (a site called "Werk" or "Lager" names nobody);
    streets count without their house number.
    """
    base = name.strip()
    if legal_form and base.endswith(legal_form):
        base = base[: -len(legal_form)].strip(" ,")
    candidates = [name, base, *_word_runs(base), slug.replace("-", " ")]
    candidates += [s for s in site_names if len(fold_text(s).split()) >= 2]
    candidates += [_HOUSE_NUMBER.sub("", street) for street in streets]
    found: dict[str, Phrase] = {}
    for shown in candidates:
        folded = fold_text(shown)
        if len(folded) >= MIN_PHRASE_CHARACTERS and folded not in found:
            found[folded] = Phrase(shown.strip(), folded)
    return tuple(found.values())


def _word_runs(text: str) -> list[str]:
    """Every run of two or more consecutive words of ``text``."""
    words = text.replace("-", " ").split()
    return [
        " ".join(words[start:end])
        for start in range(len(words))
        for end in range(start + 2, len(words) + 1)
    ]


def phrases_named(text: str, phrases: Iterable[Phrase]) -> tuple[Phrase, ...]:
    """The phrases ``text`` contains as whole words."""
    padded = f" {fold_text(text)} "
    return tuple(p for p in phrases if f" {p.folded} " in padded)
