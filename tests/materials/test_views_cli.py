"""The knowledge base pages and the `metalloop ref` command."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.utils import translation

from metalloop.core.materials.provenance import Confidence, Provenance, Source, Wording
from metalloop.materials.presenters import provenance_out

pytestmark = pytest.mark.django_db


def test_index_lists_every_part_and_searches_across_them(client):
    page = client.get("/reference/")
    assert page.status_code == 200
    assert "Schrottsorten" in page.text
    found = client.get("/reference/?q=1.4301")
    assert "EN10088:1.4301" in found.text


def test_a_part_lists_entries_with_their_confidence(client):
    page = client.get("/reference/alloys/?q=X5CrNi")
    assert page.status_code == 200
    assert "EN10088:1.4301" in page.text
    assert "Sekundärquelle" in page.text
    assert client.get("/reference/unicorns/").status_code == 404


def test_an_entry_page_shows_composition_and_source(client):
    page = client.get("/reference/entry/EN10088:1.4301/")
    assert page.status_code == 200
    assert "17,5" in page.text and "19,5" in page.text  # German numbers
    assert "Quelle" in page.text
    client.cookies["metalloop_language"] = "en"
    assert "17.5" in client.get("/reference/entry/EN10088:1.4301/").text
    assert client.get("/reference/entry/NOPE:1/").status_code == 404


def test_unconfirmed_figures_are_marked_on_the_pages(client):
    from metalloop.materials.adapters import knowledge

    unconfirmed = [e for e in knowledge().entries if not e.provenance.confirmed]
    if not unconfirmed:
        pytest.skip("every figure of the current data is confirmed")
    page = client.get(f"/reference/entry/{unconfirmed[0].code}/")
    assert "unbestätigt" in page.text


def test_check_form_gives_a_readable_verdict(client):
    page = client.get(
        "/reference/check/", {"specification": "1.4404", "analysis": "Cr=18.1, Ni=8.3, C=0.03"}
    )
    assert page.status_code == 200
    assert page.context["result"]["verdict"] == "does_not_fit"
    assert "passt nicht" in page.text
    assert "Mo" in page.context["result"]["failing"]
    assert page.context["matches"][0]["code"]


def test_check_form_with_bad_input_is_shown_again_with_messages(client):
    page = client.get("/reference/check/", {"specification": "NOPE:1", "analysis": "Cr=-3"})
    assert page.status_code == 400
    assert page.context["form"].errors["specification"] or page.context["form"].errors["analysis"]
    assert page.context["result"] is None


def test_ref_show_prints_the_entry_with_its_source_in_german_by_default():
    out = StringIO()
    call_command("ref", "show", "EN10088:1.4301", stdout=out)
    assert out.getvalue().startswith("EN10088:1.4301")
    assert "  Quelle: " in out.getvalue()
    assert "  Verlässlichkeit: Sekundärquelle\n" in out.getvalue()
    assert "Cr 17.5–19.5" in out.getvalue()


def test_ref_show_speaks_english_when_asked():
    out = StringIO()
    with translation.override("en"):
        call_command("ref", "show", "EF:copper-cathode-world-2023", stdout=out)
    assert "  Source: WEKA Fachmedien" in out.getvalue()
    assert "  Confidence: secondary source, unconfirmed\n" in out.getvalue()
    assert "  Note: An industry figure quoted second-hand" in out.getvalue()


def test_ref_search_finds_and_fails_when_nothing_matches():
    out = StringIO()
    call_command("ref", "search", "X5CrNi18-10", stdout=out)
    assert "EN10088:1.4301" in out.getvalue()
    with pytest.raises(CommandError, match="Nichts in der Wissensbasis passt zu"):
        call_command("ref", "search", "unobtainium", stdout=StringIO())


def test_ref_check_of_1_4301_turnings_against_1_4301_and_1_4404():
    fits, misses = StringIO(), StringIO()
    call_command("ref", "check", "EN10088:1.4301", analysis="Cr=18.1,Ni=8.3,C=0.03", stdout=fits)
    call_command("ref", "check", "EN10088:1.4404", analysis="Cr=18.1,Ni=8.3,C=0.03", stdout=misses)
    assert fits.getvalue().startswith("passt:")
    assert misses.getvalue().startswith("passt nicht:")
    assert "Mo" in misses.getvalue().splitlines()[0]


def test_ref_classify_lists_the_fitting_grades():
    out = StringIO()
    call_command("ref", "classify", analysis="Cr=18.1,Ni=8.3,C=0.03", stdout=out)
    assert "EN10088:1.4301" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("check", "EN10088:9.9999", "--analysis", "Cr=18"),
            "ist nicht der Code einer Legierung",
        ),
        (
            ("check", "EN10088:1.4301", "--analysis", "Cr=18,Xx=1"),
            "Xx ist kein Symbol eines chemischen",
        ),
        (("classify", "--analysis", "Cr=60,Ni=60"), "mehr als 100 Gew.-%"),
        (("show", "NOPE:1"), "Kein Eintrag der Wissensbasis hat den Code NOPE:1"),
    ],
)
def test_ref_refuses_bad_input_in_one_line_in_the_platform_language(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("ref", *args, stdout=StringIO())


def test_entry_pages_and_show_render_for_every_kind(client):
    from metalloop.core.materials.entries import Kind
    from metalloop.materials.adapters import knowledge

    for kind in Kind:
        for entry in knowledge().of_kind(kind)[:5]:
            page = client.get(f"/reference/entry/{entry.code}/")
            assert page.status_code == 200, entry.code
            assert entry.code in page.text
            out = StringIO()
            call_command("ref", "show", entry.code, stdout=out)
            assert out.getvalue().startswith(entry.code)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "  Verlässlichkeit: Sekundärquelle, unbestätigt\n"),
        ("en", "  Confidence: secondary source, unconfirmed\n"),
    ],
)
def test_the_program_speaks_the_language_of_metalloop_language(tmp_path, language, expected):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("METALLOOP_")}
    environment.update(
        METALLOOP_DEBUG="1", METALLOOP_VAR_DIR=str(tmp_path), METALLOOP_LANGUAGE=language
    )
    program = [sys.executable, "-c", "from metalloop.cli import main; main()"]
    result = subprocess.run(
        [*program, "ref", "show", "EF:copper-cathode-world-2023"],
        env=environment,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            "Quelle: Werkstoffportal, 2024, Tabelle 3; gibt wieder: EN 10088-2:2014; "
            "abgerufen am 8. Dezember 2026",
        ),
        (
            "en",
            "Source: Werkstoffportal, 2024, Table 3; reproduces: EN 10088-2:2014; "
            "accessed Dec. 8, 2026",
        ),
    ],
)
def test_the_source_names_what_it_reproduces_and_when_it_was_read(language, expected):
    provenance = Provenance(
        Source(
            Wording("Werkstoffportal"),
            Wording("2024"),
            Wording("Tabelle 3", "Table 3"),
            reproduces="EN 10088-2:2014",
            accessed="2026-12-08",
        ),
        Confidence.SECONDARY,
        note=Wording("Für Bleche.", "For sheet."),
    )
    with translation.override(language):
        shown = " ".join(
            html.unescape(
                render_to_string("materials/_provenance.html", {"out": provenance_out(provenance)})
            ).split()
        )
    assert expected in shown
    assert ("Für Bleche." if language == "de" else "For sheet.") in shown


def test_a_process_type_page_in_german_and_english(client):
    german = client.get("/reference/entry/PROC:cable-granulation/")
    assert german.status_code == 200
    text = german.text
    assert "Kabelzerlegung (Kabelgranulierung)" in text
    for label in ("Typische Einsatzstoffe", "Hauptprodukte", "Nebenprodukte", "R-Strategie"):
        assert label in text, label
    assert "MAT:plastics-cable" in text and "R:8" in text
    assert "Prozesstypen" in client.get("/reference/").text
    client.cookies["metalloop_language"] = "en"
    english = client.get("/reference/entry/PROC:cable-granulation/").text
    assert "Cable granulation" in english
    for label in ("Typical inputs", "Main products", "Co-products", "R-strategy"):
        assert label in english, label


def test_ref_show_prints_a_process_type_with_its_inputs_and_outputs():
    out = StringIO()
    call_command("ref", "show", "PROC:waelz-kiln", stdout=out)
    text = out.getvalue()
    assert text.startswith("PROC:waelz-kiln")
    assert "MAT:eaf-dust" in text and "MAT:waelz-oxide" in text and "MAT:slag-waelz" in text


@pytest.mark.django_db
def test_the_regulation_is_named_in_the_readers_language(client):
    german = client.get("/reference/entry/EOW:333-2011-I/").content.decode()
    assert "Verordnung (EU) Nr. 333/2011 des Rates" in german
    assert "Council Regulation" not in german
    client.cookies["metalloop_language"] = "en"
    english = client.get("/reference/entry/EOW:333-2011-I/").content.decode()
    assert "Council Regulation (EU) No 333/2011" in english
