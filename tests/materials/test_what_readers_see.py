"""What a reader sees of every entry of the real knowledge base, in German and in English.

Notes for maintainers (``maintainer_note`` in the data files) never appear on an entry's
pages, in its API answer or in ``metalloop ref show``; sources, confidence words and reader
notes appear in the reader's language. One pass renders every entry once per language and
interface; the tests below read from it.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from metalloop.core.materials.entries import Entry, Kind
from metalloop.materials.adapters import knowledge
from metalloop.materials.labels import CONFIDENCE_LABELS
from metalloop.reference.materials import read_data_files

LANGUAGES = ("de", "en")
WORDS = {
    "de": {
        "standard": "Norm oder Rechtstext",
        "secondary": "Sekundärquelle",
        "estimate": "Schätzung",
    },
    "en": {
        "standard": "standard or legal text",
        "secondary": "secondary source",
        "estimate": "estimate",
    },
}
UNCONFIRMED = {"de": "unbestätigt", "en": "unconfirmed"}
BADGE = re.compile(r'class="badge confidence-(\w+)"[^>]*>([^<]+)<')
UNCONFIRMED_BADGE = re.compile(r'class="badge unconfirmed"[^>]*>([^<]+)<')


@dataclass
class Seen:
    """Everything shown of each entry: ``pages[language][code]`` and so on."""

    pages: dict[str, dict[str, str]] = field(default_factory=dict)
    api: dict[str, dict[str, str]] = field(default_factory=dict)
    cli: dict[str, dict[str, str]] = field(default_factory=dict)


def maintainer_notes() -> dict[str, list[str]]:
    """Per code, the maintainer note read raw from the YAML files and each of its sentences."""
    notes: dict[str, list[str]] = {}
    for _, document in read_data_files():
        default = (document.get("defaults") or {}).get("maintainer_note") or ""
        for entry in document.get("entries") or []:
            note = str(entry.get("maintainer_note") or default).strip()
            if note:
                sentences = re.split(r"(?<=[.;!?])\s+", note)
                notes[str(entry["code"])] = [note, *(s for s in sentences if len(s) >= 20)]
    return notes


@pytest.fixture(scope="module")
def seen(django_db_setup, django_db_blocker) -> Seen:
    with django_db_blocker.unblock():
        return read_everything()


def read_everything() -> Seen:
    seen = Seen()
    entries = knowledge().entries
    for language in LANGUAGES:
        client = Client(headers={"accept-language": language})
        client.cookies["metalloop_language"] = language
        pages = seen.pages[language] = {}
        for entry in entries:
            response = client.get(f"/reference/entry/{entry.code}/")
            assert response.status_code == 200, entry.code
            pages[entry.code] = html.unescape(response.text)
        answers = seen.api[language] = {}
        for kind in Kind:
            page, pages_total = 1, 1
            while page <= pages_total:
                body = client.get(
                    f"/api/v1/reference/{kind.value}?page_size=200&page={page}"
                ).json()
                for item in body["items"]:
                    answers[item["code"]] = json.dumps(item, ensure_ascii=False)
                page, pages_total = page + 1, body["pages"]
        printed = seen.cli[language] = {}
        with translation.override(language):
            for entry in entries:
                out = StringIO()
                call_command("ref", "show", entry.code, stdout=out)
                printed[entry.code] = out.getvalue()
    return seen


def test_every_entry_was_seen_everywhere(seen):
    codes = {entry.code for entry in knowledge().entries}
    for language in LANGUAGES:
        assert set(seen.pages[language]) == codes
        assert set(seen.api[language]) == codes
        assert set(seen.cli[language]) == codes


def test_no_maintainer_note_appears_on_pages_in_api_answers_or_in_the_cli(seen):
    notes = maintainer_notes()
    assert notes, "the data files hold maintainer notes; the test must see them"
    leaks = [
        f"{where} {language} {code}: {fragment!r}"
        for code, fragments in notes.items()
        for language in LANGUAGES
        for where, shown in (
            ("page", seen.pages[language]),
            ("api", seen.api[language]),
            ("cli", seen.cli[language]),
        )
        for fragment in fragments
        if fragment in shown[code]
    ]
    assert leaks == []


def test_pages_name_the_confidence_in_the_readers_language(seen):
    for language in LANGUAGES:
        for entry in knowledge().entries:
            page = seen.pages[language][entry.code]
            confidence = entry.provenance.confidence.value
            assert BADGE.findall(page)[0] == (confidence, WORDS[language][confidence]), entry.code
            marks = [m.strip() for m in UNCONFIRMED_BADGE.findall(page)]
            assert marks == ([] if entry.provenance.confirmed else [UNCONFIRMED[language]])


def test_api_and_cli_name_the_confidence_in_the_readers_language(seen):
    for language in LANGUAGES:
        for entry in knowledge().entries:
            answer = json.loads(seen.api[language][entry.code])
            confidence = entry.provenance.confidence.value
            assert answer["confidence"] == confidence
            assert answer["confidence_label"] == WORDS[language][confidence]
            words = WORDS[language][confidence]
            if not entry.provenance.confirmed:
                words += f", {UNCONFIRMED[language]}"
            assert f": {words}\n" in seen.cli[language][entry.code], entry.code


def worded(entry: Entry) -> list[tuple[str, str]]:
    source = entry.provenance.source
    pairs = [(w.de, w.en) for w in (source.document, source.edition, source.section) if w.en]
    if entry.provenance.note:
        pairs.append((entry.provenance.note.de, entry.provenance.note.en))
    return pairs


def test_sources_and_reader_notes_are_shown_in_the_readers_language(seen):
    checked = 0
    for entry in knowledge().entries:
        for de, en in worded(entry):
            for language, shown, other in (("de", de, en), ("en", en, de)):
                for where in (seen.pages, seen.cli):
                    assert shown in where[language][entry.code], (entry.code, language, shown)
                # The other language's words may stand elsewhere on a page (an alias, the
                # description in both languages), but never in the source or the note.
                answer = json.loads(seen.api[language][entry.code])
                given = (*answer["source"].values(), answer["note"])
                assert shown in given, entry.code
                if other not in shown:
                    assert not any(other in text for text in given), (entry.code, other)
            checked += 1
    assert checked > 100


def test_the_confidence_words_live_in_one_place():
    for language in LANGUAGES:
        with translation.override(language):
            assert {k: str(v) for k, v in CONFIDENCE_LABELS.items()} == WORDS[language]
