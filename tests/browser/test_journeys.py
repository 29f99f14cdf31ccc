"""The main journeys in a real browser: start page, filters, language switch, bad input."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from metalloop.network.models import Site
from tests.factories import TEST_PASSWORD, SiteFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def log_in(page, user):
    page.goto("/account/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button[type=submit]:not(.small)")
    page.wait_for_url(re.compile(r".*/$"))


def test_start_page_is_german_shows_the_map_and_switches_to_english(page, organisation):
    SiteFactory(organisation=organisation, name="Werk Hochfeld")
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").inner_text() == "Das Netzwerk auf einen Blick"
    page.wait_for_selector("#map[data-ready=true]")
    assert page.locator("#map").get_attribute("data-markers") == "1"
    # The outline basemap comes from our own static files, not from a tile server.
    assert int(page.locator("#map").get_attribute("data-basemap-features")) > 200
    page.click("button[name=language][value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").inner_text() == "The network at a glance"
    page.goto("/organisations/")
    assert page.locator("h1").inner_text() == "Organisations"


def test_organisation_list_filters_by_role_without_reloading(
    page, organisation, other_organisation
):
    organisation.roles.set(["recycling_remelting"])
    page.goto("/organisations/")
    assert page.locator("#results tbody tr").count() == 2
    page.select_option("select[name=role]", "recycling_remelting")
    expect(page.locator("#results tbody tr")).to_have_count(1)  # no eval: the CSP forbids it
    assert organisation.name in page.locator("#results").inner_text()
    assert "role=recycling_remelting" in page.url


def test_site_form_with_an_unknown_place_shows_the_error_and_saves_nothing(page, member):
    log_in(page, member)
    page.goto(f"/organisations/{member.organisation.slug}/sites/new/")
    page.fill("input[name=name]", "Lager Süd")
    page.fill("input[name=place]", "Atlantis an der Ruhr")
    page.click("main form button[type=submit]")
    error = page.locator(".errorlist").first
    assert "nicht im Ortsverzeichnis" in error.inner_text()
    assert page.locator("input[name=name]").input_value() == "Lager Süd"
    assert not Site.objects.exists()


def test_wrong_password_is_refused_with_a_message(page, member):
    page.goto("/account/login/")
    page.fill("input[name=username]", member.email)
    page.fill("input[name=password]", "wrong password")
    page.click("form button[type=submit]:not(.small)")
    assert "E-Mail-Adresse oder Passwort" in page.locator("[role=alert]").inner_text()


def test_the_check_form_gives_a_verdict_and_refuses_an_impossible_analysis(page):
    page.goto("/reference/check/")
    page.fill("input[name=specification]", "EN10088:1.4404")
    page.fill("input[name=analysis]", "Cr=18.1, Ni=8.3, C=0.03")
    page.click("main form button[type=submit]")
    assert page.locator("h2.verdict").inner_text() == "passt nicht"
    assert "Mo" in page.locator("#result p").first.inner_text()
    page.fill("input[name=analysis]", "Cr=80, Ni=40")
    page.click("main form button[type=submit]")
    assert "mehr als 100 Gew.-%" in page.locator(".errorlist").first.inner_text()
    assert page.locator("#result").count() == 0
