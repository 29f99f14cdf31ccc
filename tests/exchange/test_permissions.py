"""Who sees a listing, who learns its owner, who changes and verifies it."""

from __future__ import annotations

import datetime as dt

import pytest

from metalloop.exchange import permissions
from metalloop.exchange.models import Listing
from metalloop.exchange.selectors import ListingFilters, listing_list
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTORS = (
    "anonymous",
    "other_member",
    "member",
    "facilitator",
    "admin",
    "outsider",
    "stranger_facilitator",
)


@pytest.fixture
def everyone(actors, network):
    """The matrix's actors plus a member of no network and a facilitator of another network."""
    outsider = UserFactory(organisation=OrganisationFactory(), role="member")
    other_network = NetworkFactory()
    stranger = UserFactory(organisation=OrganisationFactory(), role="facilitator")
    other_network.facilitators.add(stranger)
    return actors | {"outsider": outsider, "stranger_facilitator": stranger}


# visibility -> actors who see the listing, and actors who learn its owner
EXPECTED = {
    "anonymous": (
        {"other_member", "member", "facilitator", "admin"},
        {"member", "facilitator", "admin"},
    ),
    "named": (
        {"other_member", "member", "facilitator", "admin"},
        {"other_member", "member", "facilitator", "admin"},
    ),
    "facilitator": ({"member", "facilitator", "admin"}, {"member", "facilitator", "admin"}),
}


@pytest.mark.parametrize("visibility", list(EXPECTED))
def test_who_sees_a_listing_and_who_learns_its_owner(everyone, make_listing, site, visibility):
    listing = make_listing(site, visibility=visibility)
    seeing, knowing = EXPECTED[visibility]
    for name in ACTORS:
        actor = everyone[name]
        sees = permissions.can_view_listing(actor=actor, listing=listing)
        in_list = listing_list(actor=actor).filter(pk=listing.pk).exists()
        knows = permissions.listing_reveals_owner(actor=actor, listing=listing)
        assert (sees, in_list, knows) == (name in seeing, name in seeing, name in knowing), name


def test_members_see_only_current_listings_the_owner_and_facilitators_all(
    everyone, make_listing, site
):
    listing = make_listing(site)
    listing.status = "withdrawn"
    listing.save()
    seeing = {n for n in ACTORS if permissions.can_view_listing(actor=everyone[n], listing=listing)}
    assert seeing == {"member", "facilitator", "admin"}
    listing.status = "active"
    listing.available_from, listing.available_until = dt.date(2020, 1, 1), dt.date(2020, 2, 1)
    listing.save()
    assert not permissions.can_view_listing(actor=everyone["other_member"], listing=listing)
    assert permissions.can_view_listing(actor=everyone["member"], listing=listing)


def test_who_changes_verifies_and_reads_attachments(everyone, anonymous_offer):
    def allowed(predicate):
        return {n for n in ACTORS if predicate(actor=everyone[n], listing=anonymous_offer)}

    assert allowed(permissions.can_edit_listing) == {"member", "facilitator", "admin"}
    assert allowed(permissions.can_verify_listing) == {"facilitator", "admin"}
    assert allowed(permissions.can_read_attachments) == {"member", "facilitator", "admin"}


def test_a_registered_consent_checker_reveals_the_owner_to_the_other_party(
    other_member, anonymous_offer, named_offer
):
    def consented(*, actor):
        assert actor == other_member
        return Listing.objects.filter(pk=anonymous_offer.pk).values("pk")

    assert not permissions.listing_reveals_owner(actor=other_member, listing=anonymous_offer)
    permissions.register_consent_checker(consented)
    try:
        assert permissions.listing_reveals_owner(actor=other_member, listing=anonymous_offer)
        revealed = Listing.objects.filter(permissions.owner_revealed_q(actor=other_member))
        assert set(revealed) == {anonymous_offer, named_offer}
    finally:
        permissions.unregister_consent_checker(consented)
    assert not permissions.listing_reveals_owner(actor=other_member, listing=anonymous_offer)


def test_a_consent_checker_returning_plain_ids_works_too(other_member, anonymous_offer):
    def consented(*, actor):
        return [anonymous_offer.pk]

    permissions.register_consent_checker(consented)
    try:
        assert permissions.listing_reveals_owner(actor=other_member, listing=anonymous_offer)
        filters = ListingFilters(organisation=anonymous_offer.organisation.slug)
        assert list(listing_list(actor=other_member, filters=filters)) == [anonymous_offer]
    finally:
        permissions.unregister_consent_checker(consented)
