"""Every user-facing string is translated: the German catalog is complete and current."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

CATALOG = Path(settings.BASE_DIR) / "metalloop" / "locale" / "de" / "LC_MESSAGES" / "django.po"


def test_german_catalog_has_no_untranslated_or_fuzzy_entries():
    catalog = polib.pofile(str(CATALOG))
    assert len(catalog) > 300
    assert [e.msgid for e in catalog.untranslated_entries()] == []
    assert [e.msgid for e in catalog.fuzzy_entries()] == []


def test_placeholders_survive_translation():
    for entry in polib.pofile(str(CATALOG)):
        if entry.msgid_plural:
            pairs = [
                (entry.msgid, entry.msgstr_plural[0]),
                (entry.msgid_plural, entry.msgstr_plural[1]),
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, target in pairs:
            for token in ("%(", "{{", "<code>"):
                assert source.count(token) == target.count(token), entry.msgid


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed"
)
def test_catalog_contains_every_string_of_the_code_and_templates(tmp_path):
    backup = tmp_path / "django.po"
    shutil.copy(CATALOG, backup)
    try:
        call_command(
            "makemessages",
            locale=["de"],
            ignore_patterns=[".venv/*", "node_modules/*", "var/*", "tests/*"],
            no_obsolete=True,
            verbosity=0,
        )
        fresh = {e.msgid for e in polib.pofile(str(CATALOG))}
    finally:
        shutil.copy(backup, CATALOG)
    known = {e.msgid for e in polib.pofile(str(backup))}
    assert sorted(fresh - known) == [], "new strings: run makemessages and translate them"
