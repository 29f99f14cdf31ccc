"""Every main page works under the Content-Security-Policy, with no violation reported: the
map draws, htmx filters update, the API docs render."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from metalloop.exchange.services import listing_create
from metalloop.matching.services import (
    outcome_record,
    proposal_answer,
    proposal_release,
    run_start,
)
from tests.exchange.conftest import demand_values, offer_values
from tests.factories import OrganisationFactory, SiteFactory

from .test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


class Watch:
    """Every CSP violation a page reports, by event and on the console."""

    def __init__(self, page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def visit(self, path: str, ready: str = "main") -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, path
        assert response.headers["content-security-policy"] == POLICY, path
        self.page.wait_for_selector(ready)
        self.assert_clean(path)

    def assert_clean(self, where: str) -> None:
        events = self.page.evaluate("window.__violations || []")
        assert (events, self.console) == ([], []), where


@pytest.fixture
def exchange(network, facilitator, member, other_member):
    """Three organisations with sites, an offer and a demand, a released proposal and a deal."""
    supplier = SiteFactory(organisation=member.organisation, name="Werk Hochfeld",
                           place="Duisburg", latitude=51.4118, longitude=6.7545)  # fmt: skip
    receiver = SiteFactory(organisation=other_member.organisation, name="Stahlwerk Nord",
                           place="Bottrop", latitude=51.5239, longitude=6.9285)  # fmt: skip
    third = OrganisationFactory(name="Nachbarwerk GmbH")
    network.memberships.create(organisation=third)
    SiteFactory(organisation=third, name="Nachbarwerk", latitude=51.45, longitude=6.8)
    offer = listing_create(
        actor=None, network=network, site=supplier, **offer_values(visibility="anonymous")
    )
    listing_create(actor=None, network=network, site=receiver, **demand_values())
    run = run_start(actor=facilitator, network=network)
    proposal = run.proposals.get()
    proposal_release(actor=facilitator, proposal=proposal)
    proposal_answer(actor=member, proposal=proposal, interested=True)
    proposal_answer(actor=other_member, proposal=proposal, interested=True)
    outcome_record(
        actor=member, proposal=proposal, result="deal", tonnes=10, settled_on=dt.date.today()
    )
    return offer, proposal


def test_the_public_pages_work_under_the_policy(page, organisation, other_organisation, network):
    organisation.roles.set(["recycling_remelting"])
    SiteFactory(organisation=organisation, name="Werk Hochfeld")
    watch = Watch(page)

    watch.visit("/", "#map[data-ready=true]")
    watch.visit("/organisations/", "#results")
    page.select_option("select[name=role]", "recycling_remelting")
    expect(page.locator("#results tbody tr")).to_have_count(1)  # no eval: the CSP forbids it
    watch.assert_clean("organisation filter")
    watch.visit("/map/", "#map[data-ready=true]")
    page.select_option("select[name=network]", network.slug)
    page.wait_for_url(re.compile(rf".*network={network.slug}"))
    page.wait_for_selector("#map[data-ready=true]")
    watch.assert_clean("map filter")
    watch.visit(f"/organisations/{organisation.slug}/")
    watch.visit("/networks/")
    watch.visit("/reference/")
    watch.visit("/reference/entry/MAT:steel-stainless-austenitic/")
    watch.visit("/reference/check/", "form")
    watch.visit("/account/login/", "form")
    watch.visit("/api/v1/docs", ".opblock")


def test_the_exchange_and_matching_pages_work_under_the_policy(
    page, exchange, network, member, facilitator
):
    offer, proposal = exchange
    watch = Watch(page)
    log_in(page, member)

    watch.visit("/exchange/", "#map[data-ready=true][data-markers='2']")
    page.locator("input[name=q]").press_sequentially("Drehspäne")
    expect(page.locator("#results tbody tr")).to_have_count(1)  # no eval: the CSP forbids it
    page.wait_for_selector("#map[data-ready=true][data-markers='1']")  # redrawn after the swap
    watch.assert_clean("exchange search")
    watch.visit(f"/exchange/listings/{offer.pk}/", "#map[data-ready=true]")
    watch.visit("/exchange/listings/new/offer/", "form")
    watch.visit("/exchange/processors/")
    watch.visit("/exchange/import/")
    watch.visit("/matching/", "main table")
    watch.visit(f"/matching/proposals/{proposal.pk}/")
    watch.visit(f"/matching/networks/{network.slug}/impact/", "svg")
    watch.visit("/matching/searches/")
    watch.visit("/account/tokens/")
    page.context.clear_cookies()

    log_in(page, facilitator)
    watch.visit(f"/matching/networks/{network.slug}/")
    watch.visit("/audit/")
    watch.visit("/admin/", "#content")
    watch.visit("/admin/exchange/listing/", "#result_list")
    watch.visit(f"/admin/exchange/listing/{offer.pk}/change/", "form")


def test_the_watch_sees_an_inline_script_and_an_inline_style(page, live_server):
    page.route(
        "**/csp-probe/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": POLICY},
            body='<main><script>document.title = "ran"</script><p style="color: red">x</p></main>',
        ),
    )
    watch = Watch(page)

    page.goto("/csp-probe/")
    page.wait_for_selector("main")

    events = page.evaluate("window.__violations || []")
    assert sorted(event.split(" ")[0] for event in events) == ["script-src-elem", "style-src-attr"]
    assert len(watch.console) == 2
    assert page.title() != "ran"
