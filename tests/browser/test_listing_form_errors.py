"""The listing form in a real browser: a listing with several errors is reported at once, in a
summary at the top that takes the focus and links to each control, with each chemistry error
on its own row; fixed in one go, it is placed."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from metalloop.exchange.models import Listing
from tests.browser.test_journeys import log_in
from tests.factories import SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DUPLICATE = "Cr ist mehrfach angegeben; geben Sie jedes Element nur einmal an."
MIN_ABOVE_MAX = "Cr: Das Minimum 19.5 Gew.-% liegt über dem Maximum 17.5 Gew.-%."
REQUIRED = "Dieses Feld ist zwingend erforderlich."


def fill_with_errors(page, start: dt.date, end: dt.date) -> None:
    """An offer without title and transport mode, quantity 0, an availability that ended, Cr
    with its minimum above its maximum and Cr again in row 3."""
    page.select_option("select[name=material]", "MAT:steel-stainless-austenitic")
    page.select_option("select[name=legal_status]", "waste")
    page.select_option("select[name=waste_code]", "AVV:120101")
    page.select_option("select[name=form]", "turnings")
    page.fill("input[name=quantity]", "0")
    page.fill("input[name=available_from]", start.isoformat())
    page.fill("input[name=available_until]", end.isoformat())
    for row, (element, low, high) in enumerate(
        [("Cr", "19.5", "17.5"), ("Ni", "8", "8.5"), ("Cr", "18", "18.5")]
    ):
        page.select_option(f"select[name=elements-{row}-element]", element)
        page.fill(f"input[name=elements-{row}-min_pct]", low)
        page.fill(f"input[name=elements-{row}-max_pct]", high)


def test_every_error_is_reported_with_the_first_submit(page, network, member):
    SiteFactory(organisation=member.organisation, name="Werk Hochfeld")
    today = dt.date.today()
    start, end = today - dt.timedelta(days=760), today - dt.timedelta(days=730)
    log_in(page, member)
    page.goto("/exchange/listings/new/offer/")
    fill_with_errors(page, start, end)
    page.click("main form button[type=submit]")

    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.locator("#error-summary h2").inner_text() == (
        "Das Inserat ist nicht gespeichert: Korrigieren Sie 7 Fehler."
    )
    assert page.locator("#error-summary li").all_inner_texts() == [
        f"Titel: {REQUIRED}",
        "Menge: Eine Menge muss größer als null sein.",
        f"Verfügbar bis: Die Verfügbarkeit ist bereits zu Ende ({end:%d.%m.%Y}); geben Sie "
        "heute oder ein späteres Datum an oder lassen Sie das Ende offen.",
        f"Verkehrsträger: {REQUIRED}",
        f"Chemische Zusammensetzung, Zeile 1: {DUPLICATE}",
        f"Chemische Zusammensetzung, Zeile 1: {MIN_ABOVE_MAX}",
        f"Chemische Zusammensetzung, Zeile 3: {DUPLICATE}",
    ]
    assert page.locator("#elements-0-errors li").all_inner_texts() == [DUPLICATE, MIN_ABOVE_MAX]
    assert page.locator("#elements-1-errors").count() == 0
    assert page.locator("#elements-2-errors li").all_inner_texts() == [DUPLICATE]
    assert (
        page.locator("#id_quantity_error").inner_text() == "Eine Menge muss größer als null sein."
    )

    page.click("#error-summary a[href='#id_quantity']")
    assert page.evaluate("document.activeElement.id") == "id_quantity"
    assert Listing.objects.count() == 0

    page.fill("input[name=title]", "Drehspäne 1.4301")
    page.fill("input[name=quantity]", "8")
    page.fill("input[name=available_from]", today.isoformat())
    page.fill("input[name=available_until]", "")
    page.check("input[name=transport_modes][value=road]")
    page.fill("input[name=elements-0-min_pct]", "17.5")
    page.fill("input[name=elements-0-max_pct]", "19.5")
    page.select_option("select[name=elements-2-element]", "Mo")
    page.fill("input[name=elements-2-min_pct]", "")
    page.fill("input[name=elements-2-max_pct]", "0.3")
    page.click("main form button[type=submit]")
    # The redirect keeps the fragment the summary's link left in the address.
    page.wait_for_url(re.compile(r".*/exchange/listings/\d+/(#id_quantity)?$"))
    listing = Listing.objects.get()
    assert [(e.element, e.min_pct, e.max_pct) for e in listing.elements.all()] == [
        ("Cr", Decimal("17.5"), Decimal("19.5")),
        ("Mo", None, Decimal("0.3")),
        ("Ni", Decimal(8), Decimal("8.5")),
    ]
