"""How German place names are written: lookup keys, official suffixes and short forms.

Official names of German towns carry suffixes that tell places of the same name apart:
a river or region in brackets or after a slash (``Halle (Saale)``, ``Stolberg (Rhld.)``,
``Dillingen/Saar``), or joined by a preposition, often abbreviated (``Frankfurt am Main``,
``Neustadt a.d. Weinstraße``, ``Weiden i.d.OPf.``). People also type the short form
(``Halle``) or add the state (``Stolberg, Nordrhein-Westfalen``, ``Stolberg NRW``). The
functions here turn any of these writings into keys the gazetteer can look up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

CONNECTORS = frozenset(
    {"a", "am", "an", "auf", "b", "bei", "d", "der", "dem", "den", "i", "im", "in", "o", "ob"}
    | {"v", "vor", "unter"}
)
"""Prepositions and articles that join a place name and its suffix (folded, also the
one-letter abbreviations of ``a.d.``, ``i.d.``, ``b.``, ``o.d.``, ``v.d.``)."""

_SEPARATORS = re.compile(r"[()/,;:'’\[\]]")
_SUFFIX_START = re.compile(r"[(/,\[]")


def fold_name(name: str) -> str:
    """Fold a place name for lookup: case, accents, umlaut spellings and spacing.

    ``"Mülheim an der Ruhr"``, ``"muelheim an der ruhr"`` and ``"MULHEIM AN DER RUHR"``
    fold to the same key.
    """
    text = name.strip().casefold().replace("ß", "ss")
    for digraph, vowel in (("ae", "a"), ("oe", "o"), ("ue", "u")):
        text = text.replace(digraph, vowel)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(text.replace("-", " ").replace(".", " ").split())


def place_key(name: str) -> str:
    """Fold a place name and treat brackets, slashes and commas as spaces.

    ``"Halle (Saale)"``, ``"halle saale"`` and ``"HALLE/SAALE"`` give the same key.
    """
    return fold_name(_SEPARATORS.sub(" ", name))


def expand(key: str, abbreviations: Mapping[str, str]) -> list[str]:
    """The words of a key with abbreviations written out (``rhld`` -> ``rheinland``)."""
    words: list[str] = []
    for word in key.split():
        words.extend(abbreviations.get(word, word).split())
    return words


def skeleton(key: str, abbreviations: Mapping[str, str]) -> str:
    """A key without connecting words and with abbreviations written out.

    ``"Neustadt a.d. Weinstraße"`` and ``"Neustadt an der Weinstraße"`` share the skeleton
    ``"neustadt weinstrasse"``; ``"Stolberg (Rhld.)"`` has ``"stolberg rheinland"``.
    """
    words = expand(key, abbreviations)
    kept = [w for i, w in enumerate(words) if i == 0 or w not in CONNECTORS]
    return " ".join(kept)


def short_form(name: str, suffix_words: frozenset[str], abbreviations: Mapping[str, str]) -> str:
    """The key of the name without its suffix, or ``""`` if it has none.

    The suffix starts at a bracket, slash or comma, at a connecting word (``an der``,
    ``am``, ``a.d.``, ``i.``) or at a region word (``Vogtland``, ``Rheinland``) after the
    first word; hyphenated names (``Baden-Baden``, ``Rheda-Wiedenbrück``) are one word.
    """
    head = _SUFFIX_START.split(name, maxsplit=1)[0]
    words = fold_name(head.replace("-", "_")).split()
    kept: list[str] = []
    for index, word in enumerate(words):
        if index > 0 and (word in CONNECTORS or abbreviations.get(word, word) in suffix_words):
            break
        kept.append(word)
    short = " ".join(kept).replace("_", " ")
    return "" if len(kept) == len(words) and head == name else short


def split_qualifier(key: str) -> list[tuple[str, str]]:
    """Every way to read a key as a place name followed by a qualifier, longest name first.

    Connecting words at the seam are dropped: ``"weiden in der oberpfalz"`` gives
    ``("weiden in der", "oberpfalz")`` … ``("weiden", "oberpfalz")`` as ``("weiden",
    "oberpfalz")`` each time.
    """
    words = key.split()
    readings: list[tuple[str, str]] = []
    for cut in range(len(words) - 1, 0, -1):
        base = words[:cut]
        qualifier = words[cut:]
        while len(base) > 1 and base[-1] in CONNECTORS:
            base = base[:-1]
        while qualifier and qualifier[0] in CONNECTORS:
            qualifier = qualifier[1:]
        reading = (" ".join(base), " ".join(qualifier))
        if qualifier and reading not in readings:
            readings.append(reading)
    return readings
