"""Which characters stored text may hold, and how an export shows those it may not.

Text that people enter is stored and shown again in pages, e-mails, CSV and XLSX files. A
few characters have no business there, because they break a format or disguise what a text
says:

- control characters (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) except tab, line
  feed and carriage return; PostgreSQL cannot store U+0000 and XLSX (XML 1.0) none of U+0001–
  U+0008, U+000B, U+000C, U+000E–U+001F;
- the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
  make text display in another order than it is read ("Trojan Source", CVE-2021-42574); the
  plain marks U+200E, U+200F and U+061C stay allowed, Arabic and Hebrew text needs them;
- the 66 noncharacters (U+FDD0–U+FDEF and the last two code points of every plane, such as
  U+FFFE and U+FFFF), which XML refuses and which are reserved for a program's own use;
- surrogates (U+D800–U+DFFF), which only appear alone in broken input and cannot be written
  as UTF-8.

A single-line text (a title, a name) refuses tabs and line breaks as well: line feed and
carriage return, and the line and paragraph separators U+2028 and U+2029.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

ALLOWED_CONTROLS = frozenset("\t\n\r")
"""The control characters multi-line text may hold."""

LINE_BREAKS = frozenset("\t\n\r\u2028\u2029")
"""What a single-line text may not hold besides the other refused characters (the tab is
not a line break, but it has no place in a single line either)."""

DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

REPLACEMENT = "\ufffd"
"""What an export shows in place of a refused character (U+FFFD REPLACEMENT CHARACTER)."""


class CharacterKind(StrEnum):
    """Why a character is refused."""

    CONTROL = "control"
    LINE_BREAK = "line_break"
    DIRECTION = "direction"
    NONCHARACTER = "noncharacter"
    SURROGATE = "surrogate"


@dataclass(frozen=True, slots=True)
class RefusedCharacter:
    """The first refused character of a text.

    Attributes
    ----------
    position : int
        Its position in the text, counted from 1.
    character : str
        The character itself.
    kind : CharacterKind
        Why it is refused.
    """

    position: int
    character: str
    kind: CharacterKind

    @property
    def code_point(self) -> str:
        """The character as ``U+XXXX``, the way to name it in a message."""
        return f"U+{ord(self.character):04X}"


def is_noncharacter(character: str) -> bool:
    """Tell whether ``character`` is one of Unicode's 66 noncharacters."""
    point = ord(character)
    return 0xFDD0 <= point <= 0xFDEF or (point & 0xFFFE) == 0xFFFE


def character_kind(character: str, *, single_line: bool) -> CharacterKind | None:
    """Return why ``character`` may not be stored, or ``None`` when it may."""
    if single_line and character in LINE_BREAKS:
        return CharacterKind.LINE_BREAK
    if character in ALLOWED_CONTROLS:
        return None
    category = unicodedata.category(character)
    if category == "Cc":
        return CharacterKind.CONTROL
    if category == "Cs":
        return CharacterKind.SURROGATE
    if character in DIRECTION_CONTROLS:
        return CharacterKind.DIRECTION
    if is_noncharacter(character):
        return CharacterKind.NONCHARACTER
    return None


# Everything character_kind() may refuse, as one class for a fast first scan (plain text
# passes with one search): the control, separator, direction and BMP noncharacter ranges, and
# every code point from U+1FFFE up, which holds the other planes' noncharacters (naming those
# 32 one by one makes the search six times slower); character_kind() sorts the hits out.
_SUSPECT = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
    "\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff]"
)


def first_refused_character(text: str, *, single_line: bool = False) -> RefusedCharacter | None:
    """Return the first character of ``text`` that may not be stored, or ``None``.

    Parameters
    ----------
    text : str
        The text to check.
    single_line : bool
        Whether the text is one line (a title, a name): then tabs and line breaks are
        refused as well.
    """
    for match in _SUSPECT.finditer(text):
        character = match.group()
        kind = character_kind(character, single_line=single_line)
        if kind is not None:
            return RefusedCharacter(match.start() + 1, character, kind)
    return None


def replace_refused_characters(text: str) -> str:
    """Return ``text`` with every character multi-line text may not hold replaced by U+FFFD.

    For text written before the rule, or by a path that skipped it, so that a file that
    shows it can still be written.
    """
    if _SUSPECT.search(text) is None:
        return text
    return "".join(
        REPLACEMENT if character_kind(c, single_line=False) is not None else c for c in text
    )
