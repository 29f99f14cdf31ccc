"""The matching journey in a real browser: the facilitator runs, reviews and releases after a
confirmation, both parties answer, and only then do they see each other."""

from __future__ import annotations

from metalloop.exchange.services import listing_create
from tests.exchange.conftest import demand_values, offer_values
from tests.factories import SiteFactory

from .test_journeys import log_in


def test_run_release_answer_and_introduction(page, network, facilitator, member, other_member):
    supplier = SiteFactory(organisation=member.organisation, name="Werk Hochfeld", place="Duisburg",
                           latitude=51.4118, longitude=6.7545)  # fmt: skip
    receiver = SiteFactory(organisation=other_member.organisation, name="Stahlwerk Nord",
                           place="Bottrop", latitude=51.5239, longitude=6.9285)  # fmt: skip
    listing_create(actor=None, network=network, site=supplier, **offer_values())
    listing_create(actor=None, network=network, site=receiver, **demand_values())

    log_in(page, facilitator)
    page.goto(f"/matching/networks/{network.slug}/")
    page.click(f"form[action$='/networks/{network.slug}/run/'] button[type=submit]")
    page.wait_for_selector("table tbody tr td a[href^='/matching/proposals/']")
    page.click("table tbody tr td a[href^='/matching/proposals/']")
    page.check("input[name=keep]")
    page.click("form[action$='/curate/'] button[type=submit]")
    page.wait_for_selector("text=Geprüft am")
    page.goto(f"/matching/networks/{network.slug}/")
    assert page.is_checked("input[name=proposal]")
    page.click("#release-form > button[type=submit]")
    summary = page.locator("#release-summary").inner_text()
    assert "1 geprüften Vorschlag" in summary and "2 Organisationen" in summary
    page.click("form:has(input[name=confirm]) button[type=submit]")
    page.wait_for_selector("text=1 Vorschlag freigegeben. 2 Organisationen benachrichtigt.")
    page.context.clear_cookies()

    log_in(page, member)
    page.goto("/matching/")
    page.click("table tbody tr td a[href^='/matching/proposals/']")
    body = page.locator("main").inner_text()
    assert other_member.organisation.name not in body and "Bottrop" not in body
    page.click("form:has(input[value=interested]) button[type=submit]")
    page.wait_for_selector("main")
    proposal_url = page.url
    page.context.clear_cookies()

    log_in(page, other_member)
    page.goto(proposal_url)
    page.click("form:has(input[value=interested]) button[type=submit]")
    page.wait_for_selector(f"text={member.organisation.name}")
    assert member.organisation.name in page.locator("main").inner_text()
