"""The owner-name guard: which phrases would name an organisation, and when a text does."""

from __future__ import annotations

import pytest

from metalloop.core.naming import fold_text, owner_phrases, phrases_named

GIESSEREI = owner_phrases(
    name="Bottroper Gießerei Wenning GmbH",
    legal_form="GmbH",
    slug="bottroper-giesserei",
    site_names=["Gießerei Bottrop", "Werk"],
    streets=["Gladbecker Straße 210", "Am Kanal 3a"],
)


def test_texts_fold_case_umlauts_punctuation_and_the_spelling_of_strasse():
    assert fold_text("GIESSEREI Bottrop-Süd, Gladbecker Str. 210") == (
        "giesserei bottrop sud gladbecker str 210"
    )
    assert fold_text("Gladbecker Straße") == fold_text("gladbecker strasse") == "gladbecker str"


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Späne der Bottroper Gießerei Wenning GmbH", "Bottroper Gießerei Wenning GmbH"),
        ("Kreislaufmaterial von BOTTROPER GIESSEREI", "Bottroper Gießerei"),
        ("Abholung bei Gießerei Wenning", "Gießerei Wenning"),
        ("siehe www.bottroper-giesserei.de", "Bottroper Gießerei"),
        ("Abholung im Werk Gießerei Bottrop", "Gießerei Bottrop"),
        ("Abholung Gladbecker Str. 210", "Gladbecker Straße"),
        ("am kanal, Tor 2", "Am Kanal"),
    ],
)
def test_a_text_names_the_owner_by_name_short_name_slug_site_or_street(text, phrase):
    assert phrase in [p.shown for p in phrases_named(text, GIESSEREI)]


@pytest.mark.parametrize(
    "text",
    [
        "Kreislaufmaterial aus dem Werk, sortenrein",  # a one-word site name names nobody
        "Gießerei-Rücklauf aus Bottrop",  # words of the name, not a run of them
        "Wenning",  # one word of the name alone
        "Kanalguss",  # part of a word
        "",
    ],
)
def test_common_words_and_parts_of_words_do_not_name_the_owner(text):
    assert phrases_named(text, GIESSEREI) == ()
