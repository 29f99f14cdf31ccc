"""The exchange in the Django admin: facilitators see their networks' records, changes are
audited, foreign-key choices are scoped."""

from __future__ import annotations

import pytest

from metalloop.common.models import AuditEvent
from metalloop.exchange.services import listing_create
from tests.exchange.conftest import offer_values
from tests.factories import NetworkFactory, OrganisationFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_listing():
    network = NetworkFactory()
    organisation = OrganisationFactory()
    network.memberships.create(organisation=organisation)
    site = SiteFactory(organisation=organisation)
    return listing_create(actor=None, network=network, site=site, **offer_values(title="Fremd"))


def test_members_cannot_open_the_exchange_admin(client_for, member, anonymous_offer):
    assert client_for(member).get("/admin/exchange/listing/").status_code == 302


def test_facilitators_see_only_their_networks_listings(
    client_for, facilitator, anonymous_offer, foreign_listing
):
    page = client_for(facilitator).get("/admin/exchange/listing/")
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [anonymous_offer]
    other = client_for(facilitator).get(f"/admin/exchange/listing/{foreign_listing.pk}/change/")
    assert other.status_code == 302
    form = client_for(facilitator).get(f"/admin/exchange/listing/{anonymous_offer.pk}/change/")
    networks = form.context["adminform"].form.fields["network"].queryset
    assert list(networks) == [anonymous_offer.network]


def test_a_facilitator_change_in_the_admin_is_audited_and_announced(
    client_for, facilitator, anonymous_offer, network, django_capture_on_commit_callbacks
):
    from metalloop.exchange.signals import listing_changed

    received = []

    def receiver(sender, listing, created, **kwargs):
        received.append((listing.pk, created))

    listing_changed.connect(receiver)
    page = client_for(facilitator).get(f"/admin/exchange/listing/{anonymous_offer.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None
        and name not in ("transport_modes", "accepted_forms", "permitted_waste_codes")
    }
    data |= {
        "title": "Drehspäne 1.4301, geprüft",
        "transport_modes": '["road"]',
        "accepted_forms": "[]",
        "permitted_waste_codes": "[]",
        "available_from": anonymous_offer.available_from.isoformat(),
        "analysis_date": anonymous_offer.analysis_date.isoformat(),
    }
    for prefix in ("grades", "elements", "attachments"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(facilitator).post(
                f"/admin/exchange/listing/{anonymous_offer.pk}/change/", data
            )
    finally:
        listing_changed.disconnect(receiver)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="update", origin="admin")
    assert event.changes["title"] == ["Drehspäne 1.4301, sortenrein", "Drehspäne 1.4301, geprüft"]
    assert list(event.scopes.values_list("network_id", flat=True)) == [network.pk]
    assert received == [(anonymous_offer.pk, False)]


def test_the_admin_refuses_unknown_codes(client_for, admin_user, anonymous_offer):
    page = client_for(admin_user).get(f"/admin/exchange/listing/{anonymous_offer.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {"material": "MAT:kryptonite", "transport_modes": '["road"]'}
    for prefix in ("grades", "elements", "attachments"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = client_for(admin_user).post(
        f"/admin/exchange/listing/{anonymous_offer.pk}/change/", data
    )
    assert response.status_code == 200
    assert "material" in response.context["adminform"].form.errors
