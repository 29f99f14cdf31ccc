"""The listing form reports every error with the first submit: the form's own checks and the
services' rules together, a summary at the top that links to each control, each error at its
field or chemistry row, and required fields marked."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from metalloop.common.models import AuditEvent
from metalloop.exchange.forms import SummaryEntry
from metalloop.exchange.models import Listing
from tests.exchange.conftest import TODAY
from tests.exchange.test_views import offer_form

pytestmark = pytest.mark.django_db

DUPLICATE = "Cr ist mehrfach angegeben; geben Sie jedes Element nur einmal an."
MIN_ABOVE_MAX = "Cr: Das Minimum 19.5 Gew.-% liegt über dem Maximum 17.5 Gew.-%."
REQUIRED = "Dieses Feld ist zwingend erforderlich."


def seven_errors(site, network) -> dict:
    """The listing of the report: no title and no transport mode (the form's checks), no
    quantity, an availability that ended two years ago, Cr with its minimum above its maximum
    in row 1 and again in row 3 (the services' rules)."""
    data = offer_form(
        site,
        network,
        title="",
        quantity="0",
        available_from=(TODAY - dt.timedelta(days=760)).isoformat(),
        available_until=(TODAY - dt.timedelta(days=730)).isoformat(),
        **{
            "elements-0-min_pct": "19.5",
            "elements-0-max_pct": "17.5",
            "elements-2-element": "Cr",
            "elements-2-min_pct": "18",
            "elements-2-max_pct": "18.5",
        },
    )
    del data["transport_modes"]
    return data


def test_every_error_shows_with_the_first_submit_in_the_order_of_the_page(
    client_for, member, network, site
):
    answer = client_for(member).post("/exchange/listings/new/offer/", seven_errors(site, network))
    assert answer.status_code == 400
    ended = (TODAY - dt.timedelta(days=730)).strftime("%d.%m.%Y")
    assert answer.context["error_summary"] == [
        SummaryEntry("id_title", "Titel", REQUIRED),
        SummaryEntry("id_quantity", "Menge", "Eine Menge muss größer als null sein."),
        SummaryEntry(
            "id_available_until",
            "Verfügbar bis",
            f"Die Verfügbarkeit ist bereits zu Ende ({ended}); geben Sie heute oder ein "
            "späteres Datum an oder lassen Sie das Ende offen.",
        ),
        SummaryEntry("id_transport_modes_0", "Verkehrsträger", REQUIRED),
        SummaryEntry("id_elements-0-element", "Chemische Zusammensetzung, Zeile 1", DUPLICATE),
        SummaryEntry("id_elements-0-element", "Chemische Zusammensetzung, Zeile 1", MIN_ABOVE_MAX),
        SummaryEntry("id_elements-2-element", "Chemische Zusammensetzung, Zeile 3", DUPLICATE),
    ]
    rows = answer.context["formset"].forms
    assert rows[0].non_field_errors() == [DUPLICATE, MIN_ABOVE_MAX]  # where it was entered
    assert rows[1].errors == {}
    assert rows[2].non_field_errors() == [DUPLICATE]  # the duplicate named on its rows
    assert not Listing.objects.exists() and not AuditEvent.objects.exists()


def test_the_summary_takes_the_focus_and_links_to_controls_that_exist(
    client_for, member, network, site
):
    page = (
        client_for(member)
        .post("/exchange/listings/new/offer/", seven_errors(site, network))
        .content.decode()
    )
    summary = re.search(r'<div class="error-summary"[^>]*>', page).group(0)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary and "autofocus" in summary
    assert page.index('class="error-summary"') < page.index("<fieldset")  # at the top
    targets = re.findall(r'<li><a href="#([^"]+)">', page)
    assert len(targets) == 7
    for target in set(targets):
        assert f'id="{target}"' in page
    assert "Das Inserat ist nicht gespeichert: Korrigieren Sie 7 Fehler." in page


def test_each_error_is_tied_to_its_control(client_for, member, network, site):
    page = (
        client_for(member)
        .post("/exchange/listings/new/offer/", seven_errors(site, network))
        .content.decode()
    )
    quantity = re.search(r'<input[^>]*name="quantity"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in quantity and 'aria-describedby="id_quantity_error"' in quantity
    assert '<ul class="errorlist" id="id_quantity_error">' in page
    element = re.search(r'<select[^>]*name="elements-2-element"[^>]*>', page).group(0)
    assert 'aria-describedby="elements-2-errors"' in element
    assert '<ul class="errorlist" id="elements-2-errors"><li>' + DUPLICATE in page
    untouched = re.search(r'<select[^>]*name="elements-1-element"[^>]*>', page).group(0)
    assert "aria-invalid" not in untouched


def test_a_field_shows_its_own_error_once(client_for, member, network, site):
    data = offer_form(site, network, quantity="viel", **{"elements-1-min_pct": "9"})
    answer = client_for(member).post("/exchange/listings/new/offer/", data)
    form = answer.context["form"]
    assert form.errors == {"quantity": ["Bitte eine Zahl eingeben."]}
    assert answer.context["formset"].forms[1].non_field_errors() == [
        "Ni: Das Minimum 9 Gew.-% liegt über dem Maximum 8.5 Gew.-%."
    ]


def test_required_fields_are_marked_for_eyes_and_screen_readers(client_for, member):
    page = client_for(member).get("/exchange/listings/new/offer/").content.decode()
    assert "Mit * markierte Felder sind Pflichtangaben." in page
    mark = '<span class="required-mark" aria-hidden="true"> *</span>'
    for name in ("title", "quantity", "available_from"):
        assert re.search(rf'<label for="id_{name}">[^<]*{re.escape(mark)}</label>', page)
        assert re.search(rf'<input[^>]*name="{name}"[^>]*required', page)
    for name in ("description", "available_until", "price_eur_per_t"):
        assert re.search(rf'<label for="id_{name}">[^<]*</label>', page)
        assert not re.search(rf'<input[^>]*name="{name}"[^>]*required', page)
    modes = re.search(r"<legend>Verkehrsträger(.*?)</legend>", page).group(1)
    assert mark in modes and '<span class="visually-hidden"> (Pflichtangabe)</span>' in modes


def test_the_edit_form_reports_every_error_at_once_and_changes_nothing(
    client_for, member, anonymous_offer, site
):
    data = offer_form(
        site,
        anonymous_offer.network,
        title="Neu",
        quantity="viel",
        available_until=(TODAY - dt.timedelta(days=1)).isoformat(),
        **{"elements-INITIAL_FORMS": "2", "elements-1-min_pct": "9"},
    )
    del data["network"]
    answer = client_for(member).post(f"/exchange/listings/{anonymous_offer.pk}/edit/", data)
    assert answer.status_code == 400
    assert [(e.target, e.label) for e in answer.context["error_summary"]] == [
        ("id_quantity", "Menge"),
        ("id_available_until", "Verfügbar bis"),
        ("id_elements-1-element", "Chemische Zusammensetzung, Zeile 2"),
    ]
    anonymous_offer.refresh_from_db()
    assert anonymous_offer.title == "Drehspäne 1.4301, sortenrein"
    assert not AuditEvent.objects.filter(action="update").exists()


# --- the check behind it ------------------------------------------------------------------------


def test_the_check_reports_the_rules_of_what_could_be_read_and_writes_nothing(
    member, network, site, english
):
    from metalloop.exchange.services import listing_check

    with pytest.raises(ValidationError) as refused:
        listing_check(
            actor=member,
            side="offer",
            network=network,
            site=site,
            kind="scrap",
            quantity=Decimal(0),
            available_from=TODAY,
            elements=[{"element": "Ni", "min_pct": Decimal(9), "max_pct": Decimal(8)}],
            unreadable=["title", "transport_modes"],
        )
    assert set(refused.value.message_dict) == {
        "material", "legal_status", "form", "unit", "quantity", "elements.Ni"
    }  # fmt: skip
    assert not Listing.objects.exists() and not AuditEvent.objects.exists()


def test_the_check_refuses_who_may_not_place_or_change_the_listing(
    other_member, network, site, anonymous_offer
):
    from metalloop.exchange.services import listing_check

    with pytest.raises(PermissionDenied):
        listing_check(actor=other_member, side="offer", network=network, site=site, title="x")
    with pytest.raises(PermissionDenied):
        listing_check(actor=other_member, side="offer", listing=anonymous_offer, title="x")
    anonymous_offer.refresh_from_db()
    assert anonymous_offer.title == "Drehspäne 1.4301, sortenrein"
