"""Stored text: which characters it refuses, and how exports replace them."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from metalloop.core.text import (
    REPLACEMENT,
    CharacterKind,
    RefusedCharacter,
    character_kind,
    first_refused_character,
    replace_refused_characters,
)

NONCHARACTERS = [chr(p) for p in range(0xFDD0, 0xFDF0)] + [
    chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
]


def test_there_are_exactly_66_noncharacters_and_each_is_refused():
    assert len(NONCHARACTERS) == 66
    for character in NONCHARACTERS:
        assert character_kind(character, single_line=False) == CharacterKind.NONCHARACTER


@pytest.mark.parametrize("point", [*range(0x00, 0x20), *range(0x7F, 0xA0)])
def test_every_control_character_but_tab_and_line_breaks_is_refused(point):
    character = chr(point)
    expected = None if character in "\t\n\r" else CharacterKind.CONTROL
    assert character_kind(character, single_line=False) == expected


@pytest.mark.parametrize("character", ["\t", "\n", "\r", "\u2028", "\u2029"])
def test_a_single_line_refuses_tabs_and_line_breaks_that_multiple_lines_allow(character):
    assert character_kind(character, single_line=False) is None
    assert character_kind(character, single_line=True) == CharacterKind.LINE_BREAK


@pytest.mark.parametrize("point", [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
def test_direction_overrides_and_isolates_are_refused(point):
    assert character_kind(chr(point), single_line=False) == CharacterKind.DIRECTION


@pytest.mark.parametrize("character", ["\u200e", "\u200f", "\u061c", "\u200d", "\ufeff", "ß"])
def test_direction_marks_joiners_and_letters_are_allowed(character):
    assert character_kind(character, single_line=True) is None


def test_surrogates_are_refused():
    assert character_kind("\ud800", single_line=False) == CharacterKind.SURROGATE
    assert character_kind("\udfff", single_line=False) == CharacterKind.SURROGATE


def test_the_first_refused_character_is_reported_with_its_position_from_one():
    refused = first_refused_character("Späne\x07 und \x00Bleche")

    assert refused == RefusedCharacter(6, "\x07", CharacterKind.CONTROL)
    assert refused.code_point == "U+0007"


def test_plain_text_with_lines_is_accepted_and_a_title_with_a_line_break_is_not():
    text = "Edelstahlspäne 1.4301\r\nölfrei, sortenrein\tgepresst 😀"

    assert first_refused_character(text) is None
    assert first_refused_character(text, single_line=True) == RefusedCharacter(
        22, "\r", CharacterKind.LINE_BREAK
    )


def expected_kind(character: str, single_line: bool) -> CharacterKind | None:
    """The rule spelled out a second time, straight from the Unicode database."""
    point = ord(character)
    if single_line and character in "\t\n\r\u2028\u2029":
        return CharacterKind.LINE_BREAK
    if character in "\t\n\r":
        return None
    category = unicodedata.category(character)
    if category == "Cc":
        return CharacterKind.CONTROL
    if category == "Cs":
        return CharacterKind.SURROGATE
    if 0x202A <= point <= 0x202E or 0x2066 <= point <= 0x2069:
        return CharacterKind.DIRECTION
    if character in NONCHARACTERS:
        return CharacterKind.NONCHARACTER
    return None


@given(st.text(alphabet=st.characters(codec=None), max_size=40), st.booleans())
def test_the_fast_scan_finds_what_the_rule_refuses(text, single_line):
    expected = next(
        (
            RefusedCharacter(position, character, kind)
            for position, character in enumerate(text, start=1)
            if (kind := expected_kind(character, single_line)) is not None
        ),
        None,
    )
    assert first_refused_character(text, single_line=single_line) == expected


@given(st.text(alphabet=st.characters(codec=None), max_size=40))
def test_replacing_leaves_nothing_refused_and_changes_nothing_else(text):
    replaced = replace_refused_characters(text)

    assert first_refused_character(replaced) is None
    assert len(replaced) == len(text)
    for before, after in zip(text, replaced, strict=True):
        assert after == (REPLACEMENT if expected_kind(before, False) is not None else before)
