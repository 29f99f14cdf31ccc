"""Fixtures of the exchange tests: sites, listings of every visibility, uploaded files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from metalloop.exchange.services import listing_create
from tests.factories import SiteFactory

TODAY = dt.date.today()


@pytest.fixture
def english():
    """Messages asserted in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded attachments go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def site(organisation):
    return SiteFactory(organisation=organisation, name="Werk Hochfeld", place="Duisburg")


@pytest.fixture
def other_site(other_organisation):
    return SiteFactory(
        organisation=other_organisation,
        name="Gießerei Bottrop",
        place="Bottrop",
        postcode="46236",
        latitude=51.52392,
        longitude=6.9285,
    )


def offer_values(**overrides):
    """A valid offer of stainless turnings with chemistry (keyword arguments of the service)."""
    values = {
        "side": "offer",
        "kind": "scrap",
        "title": "Drehspäne 1.4301, sortenrein",
        "description": "Späne aus der Serienfertigung, ölarm.",
        "material": "MAT:steel-stainless-austenitic",
        "grades": ["EN10088:1.4301", "DESS:CrNi"],
        "legal_status": "waste",
        "waste_code": "AVV:120101",
        "form": "turnings",
        "quantity": Decimal("12.5"),
        "unit": "t",
        "recurrence": "monthly",
        "available_from": TODAY,
        "transport_modes": ["road"],
        "analysis_method": "xrf",
        "analysis_date": TODAY - dt.timedelta(days=30),
        "elements": [
            {"element": "Cr", "min_pct": Decimal("18.1"), "max_pct": Decimal("18.1")},
            {"element": "Ni", "min_pct": Decimal("8.0"), "max_pct": Decimal("8.5")},
        ],
    }
    values.update(overrides)
    return values


def demand_values(**overrides):
    values = {
        "side": "demand",
        "kind": "scrap",
        "title": "Suchen Edelstahlschrott 18/8 für Elektrostahlwerk",
        "material": "MAT:steel-stainless-austenitic",
        "grades": ["DESS:CrNi"],
        "legal_status": "waste",
        "waste_code": "AVV:120101",
        "form": "turnings",
        "quantity": Decimal("500"),
        "unit": "t",
        "recurrence": "monthly",
        "available_from": TODAY,
        "transport_modes": ["road", "rail"],
        "min_quantity": Decimal("20"),
        "min_lot_t": Decimal("24"),
        "max_distance_km": 250,
        "r_strategy": "R:8",
        "elements": [{"element": "Cu", "max_pct": Decimal("0.5")}],
        "permitted_waste_codes": ["AVV:120101", "AVV:170405"],
    }
    values.update(overrides)
    return values


@pytest.fixture
def make_listing(network):
    """Create a listing through the service as the operator."""

    def make(site, **overrides):
        values = offer_values(**overrides)
        return listing_create(actor=None, network=network, site=site, **values)

    return make


@pytest.fixture
def anonymous_offer(make_listing, site):
    return make_listing(site, visibility="anonymous")


@pytest.fixture
def named_offer(make_listing, site):
    return make_listing(site, visibility="named", title="Stanzabfälle DC01 verzinkt")


@pytest.fixture
def facilitator_only_offer(make_listing, site):
    return make_listing(site, visibility="facilitator", title="Vertraulich: Mischschrott")
