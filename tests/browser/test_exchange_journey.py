"""The exchange in a real browser: an offer with chemistry through the form, a refused range,
the fix, the search, and another member who sees it without its owner."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from metalloop.exchange.models import Listing
from metalloop.exchange.services import listing_create
from tests.browser.test_journeys import log_in
from tests.factories import SiteFactory, crowd

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

TITLE = "Drehspäne 1.4301 aus der Armaturenfertigung"


def fill_offer(page, today: str) -> None:
    page.fill("input[name=title]", TITLE)
    page.select_option("select[name=material]", "MAT:steel-stainless-austenitic")
    page.select_option("select[name=grades]", ["EN10088:1.4301"])
    page.select_option("select[name=legal_status]", "waste")
    page.select_option("select[name=waste_code]", "AVV:120101")
    page.select_option("select[name=form]", "turnings")
    page.fill("input[name=quantity]", "8")
    page.select_option("select[name=recurrence]", "monthly")
    page.fill("input[name=available_from]", today)
    page.check("input[name=transport_modes][value=road]")
    page.select_option("select[name=analysis_method]", "xrf")
    page.fill("input[name=analysis_date]", today)
    page.select_option("select[name=elements-0-element]", "Cr")
    page.fill("input[name=elements-0-min_pct]", "18.1")
    page.fill("input[name=elements-0-max_pct]", "18.1")
    page.select_option("select[name=elements-1-element]", "Ni")
    page.fill("input[name=elements-1-min_pct]", "9")
    page.fill("input[name=elements-1-max_pct]", "8")


def test_a_member_offers_turnings_fixes_the_chemistry_and_others_see_it_anonymised(
    page, browser, live_server, network, member, other_member
):
    SiteFactory(organisation=member.organisation, name="Werk Hochfeld")
    foundry = SiteFactory(organisation=other_member.organisation, name="Gießerei")
    # Two more members with sites all around, so that anonymous listings can be shown as an
    # area at all (two organisations besides the owner and the viewer).
    crowd(network)
    listing_create(
        actor=None,
        network=network,
        site=foundry,
        side="demand",
        kind="scrap",
        title="Suchen Stahlschrott E3",
        material="MAT:steel-non-alloy",
        legal_status="waste",
        form="lumps",
        quantity=Decimal(100),
        unit="t",
        available_from=dt.date.today(),
        transport_modes=["road"],
    )
    log_in(page, member)
    page.goto("/exchange/listings/new/offer/")
    assert page.locator("h1").inner_text() == "Neues Angebot"
    fill_offer(page, dt.date.today().isoformat())
    page.click("main form button[type=submit]")

    error = page.locator("#chemistry .row-errors")
    assert "Ni: Das Minimum 9 Gew.-% liegt über dem Maximum 8 Gew.-%." in error.inner_text()
    assert page.locator("input[name=title]").input_value() == TITLE
    assert page.locator("input[name=elements-1-min_pct]").input_value() == "9"
    assert Listing.objects.count() == 1

    page.fill("input[name=elements-1-min_pct]", "8.0")
    page.fill("input[name=elements-1-max_pct]", "8.5")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/exchange/listings/\d+/$"))
    assert page.locator("h1").inner_text() == TITLE
    assert "Datenqualität 3: analysiert" in page.locator("main").inner_text()

    page.goto("/exchange/")
    assert page.locator("#results tbody tr").count() == 2
    page.wait_for_selector("#map[data-ready=true][data-markers='2']")
    page.locator("input[name=q]").press_sequentially("Armaturen")
    expect(page.locator("#results tbody tr")).to_have_count(1)  # no eval: the CSP forbids it
    assert TITLE in page.locator("#results").inner_text()
    page.wait_for_url(re.compile(r".*q=Armaturen"))
    page.wait_for_selector("#map[data-ready=true][data-markers='1']")  # redrawn after the swap
    assert member.organisation.name in page.locator("#results").inner_text()

    other = browser.new_context(locale="en-US", base_url=live_server.url)
    try:
        stranger = other.new_page()
        stranger.set_default_timeout(10_000)
        log_in(stranger, other_member)
        stranger.goto("/exchange/")
        results = stranger.locator("#results").inner_text()
        assert TITLE in results
        assert "anonym" in results
        assert member.organisation.name not in results
        stranger.click(f"text={TITLE}")
        main = stranger.locator("main").inner_text()
        assert "Dieses Inserat ist anonym" in main
        assert member.organisation.name not in main
        assert "Werk Hochfeld" not in main
        stranger.wait_for_selector("#map[data-ready=true]")
        assert stranger.locator("#map").get_attribute("data-markers") == "1"
    finally:
        other.close()
