"""Location privacy as a property (issue 9): before both sides consent, nothing a member
observes about another organisation's anonymous listing depends on where in its published
cell the listing's site lies, and nothing a member does with its own sites makes another
organisation's cell smaller for it.

For random networks (organisations with sites scattered over the Ruhr and the Rhineland,
sometimes with a dense neighbourhood that allows 10 km cells), an observer looks at
everything it can: the API list and detail, radius searches, counts, the candidates of its
own demand for several distance limits (set through the API as a prober would), the pages
with their maps, the export, the proposals released to it, and the notifications its saved
search would bring. Then the anonymous offer moves to a site anywhere inside the cell the
observer is shown (or, where it is shown nowhere, anywhere inside its 90 × 80 km cell), and
every answer must stay byte for byte the same. The member registry is public, so the new
site is in it for both observations: what is hidden, and what moves, is where the listing is.
"""

from __future__ import annotations

import json
import re

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metalloop.accounts.models import Notification
from metalloop.accounts.services import token_create
from metalloop.core.cloaking import SHAPES, Cell, base_index
from metalloop.core.geo import Coordinates
from metalloop.exchange.models import Listing
from metalloop.exchange.selectors import network_crowds
from metalloop.exchange.services import listing_create
from metalloop.matching.models import SavedSearch
from metalloop.matching.services import (
    proposal_curate,
    proposals_release,
    run_start,
    saved_searches_notify,
)
from metalloop.network.models import Site, State
from metalloop.network.services import site_create, site_delete, site_update
from tests.exchange.conftest import demand_values, offer_values
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=False)

SOUTH, WEST, NORTH, EAST = 51.2, 6.0, 52.0, 8.4
"""Two 90 × 80 km cells side by side: the Lower Rhine and the Ruhr."""
TOWNS = (
    "Duisburg",
    "Bochum",
    "Dortmund",
    "Krefeld",
    "Moers",
    "Gelsenkirchen",
    "Wesel",
    "Wuppertal",
)

latitudes = st.floats(SOUTH, NORTH - 1e-6, allow_nan=False)
longitudes = st.floats(WEST, EAST - 1e-6, allow_nan=False)
points = st.tuples(latitudes, longitudes)


@st.composite
def worlds(draw):
    return {
        "others": draw(st.lists(st.lists(points, min_size=1, max_size=4), min_size=1, max_size=6)),
        "observer_sites": draw(st.lists(points, min_size=1, max_size=3)),
        "owner_sites": draw(st.lists(points, max_size=2)),
        "target": draw(points),
        "dense": draw(st.booleans()),
        "observer_visibility": draw(st.sampled_from(["anonymous", "named"])),
        "limits": draw(st.lists(st.integers(1, 400), min_size=2, max_size=3)),
        "radius": draw(st.sampled_from([5, 15, 40, 90, 200])),
        "town": draw(st.sampled_from(TOWNS)),
        "move": draw(st.tuples(st.floats(0, 0.999), st.floats(0, 0.999))),
        "run": draw(st.booleans()),
    }


def _sites(organisation, points_):
    """Sites of ``organisation`` at ``points_``, written in bulk (the test builds many)."""
    return Site.objects.bulk_create(
        Site(
            organisation=organisation,
            name=f"Werk {k}",
            place="Duisburg",
            postcode="47051",
            state=State.NW,
            latitude=lat,
            longitude=lon,
        )
        for k, (lat, lon) in enumerate(points_)
    )


def _member_organisation(network, name):
    organisation = OrganisationFactory(name=name)
    network.memberships.create(organisation=organisation)
    return organisation


def _dense(network):
    """Two organisations with a site in every 10 km cell of Duisburg's 90 × 80 km cell."""
    for name in ("Dicht Eins GmbH", "Dicht Zwei GmbH"):
        organisation = _member_organisation(network, name)
        _sites(
            organisation,
            [(51.2 + 0.1 * i + 0.04, 6.0 + 0.15 * j + 0.05) for i in range(8) for j in range(8)],
        )


def build(world):
    """The network of ``world``: returns the observer, its demand, the anonymous target offer
    and the facilitator."""
    network = NetworkFactory()
    facilitator = UserFactory(organisation=OrganisationFactory(), role="facilitator")
    network.facilitators.add(facilitator)
    for k, places in enumerate(world["others"]):
        organisation = _member_organisation(network, f"Andere {k} GmbH")
        sites = _sites(organisation, places)
        listing_create(
            actor=None,
            network=network,
            site=sites[0],
            **offer_values(title=f"Späne {k}", visibility="named" if k % 2 else "anonymous"),
        )
    if world["dense"]:
        _dense(network)
    observer_org = _member_organisation(network, "Beobachter Stahl GmbH")
    observer_sites = _sites(observer_org, world["observer_sites"])
    observer = UserFactory(organisation=observer_org, role="member")
    demand = listing_create(
        actor=None,
        network=network,
        site=observer_sites[0],
        **demand_values(visibility=world["observer_visibility"], max_distance_km=250),
    )
    SavedSearch.objects.create(
        user=observer,
        network=network,
        name="Edelstahl in der Nähe",
        filters={
            "material": "MAT:steel-stainless-austenitic",
            "place": world["town"],
            "radius_km": world["radius"],
        },
        email=False,
    )
    owner = _member_organisation(network, "Geheim Recycling GmbH")
    _sites(owner, world["owner_sites"])
    (site,) = _sites(owner, [world["target"]])
    target = listing_create(
        actor=None,
        network=network,
        site=site,
        **offer_values(title="Drehspäne 1.4301, sortenrein", visibility="anonymous"),
    )
    if world["run"]:
        proposals = list(run_start(actor=facilitator, network=network).proposals.all())
        for proposal in proposals:  # reviewed, so that they are released together
            proposal_curate(actor=facilitator, proposal=proposal, keep=True)
        if proposals:
            proposals_release(actor=facilitator, proposals=proposals)
    return observer, demand, target


CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"')


def observe(observer, demand, target, world):
    """Everything the observer can see that could concern the target, as bytes."""
    api = Client(headers={"Authorization": f"Bearer {token_create(actor=observer, name='p')[1]}"})
    pages = Client()
    pages.force_login(observer)
    slug = target.network.slug
    seen = {}

    def get(name, client, url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        seen[name] = CSRF.sub(b"", response.content)

    get("list", api, f"/api/v1/listings?network={slug}&page_size=200")
    get("detail", api, f"/api/v1/listings/{target.pk}")
    radius = f"place={world['town']}&radius_km={world['radius']}"
    get("radius", api, f"/api/v1/listings?{radius}&page_size=200")
    get("processors", api, "/api/v1/processors")
    for limit in world["limits"]:
        # The observer probes its demand's limit, as a prober would; each probe is taken back
        # so that the next observation starts from the same data.
        with transaction.atomic():
            patched = api.patch(
                f"/api/v1/listings/{demand.pk}",
                {"max_distance_km": limit},
                content_type="application/json",
            )
            assert patched.status_code == 200
            seen[f"patch {limit}"] = _without_clock(patched.json())
            get(f"candidates {limit}", api, f"/api/v1/matching/candidates/{demand.pk}?limit=50")
            get(f"demand page {limit}", pages, f"/exchange/listings/{demand.pk}/")
            transaction.set_rollback(True)
    get("proposals", api, "/api/v1/proposals?page_size=200")
    get("search page", pages, f"/exchange/?{radius}")
    get("target page", pages, f"/exchange/listings/{target.pk}/")
    get("inbox", pages, "/matching/")
    get("export", pages, f"/exchange/export/?network={slug}&format=csv")
    seen["alerts"] = _alerts(target).encode()
    return seen


def _without_clock(body):
    """The observer's own listing as the PATCH answers it, without the time of the change."""
    body.pop("updated_at")
    return json.dumps(body, sort_keys=True).encode()


def _alerts(target):
    """The notifications a new listing like the target would bring (then taken back)."""
    with transaction.atomic():
        before = set(Notification.objects.values_list("pk", flat=True))
        saved_searches_notify(listings=[Listing.objects.get(pk=target.pk)])
        made = Notification.objects.exclude(pk__in=before).order_by("pk")
        text = repr([(n.user_id, n.kind, n.title, n.body, n.url) for n in made])
        transaction.set_rollback(True)
    return text


def cell_shown(observer, target):
    crowds = network_crowds([target.network_id])[target.network_id]
    site = Coordinates(target.site.latitude, target.site.longitude)
    return crowds.cloak(site, unseen={target.organisation_id, observer.organisation_id})


def elsewhere_later(target, latitude, longitude):
    """Give the target's owner a second site at the point the target will move to.

    The member registry is public: every organisation's sites, and so which organisations
    have sites in a cell, are known to all. What stays hidden is which site an anonymous
    listing lies at. So the registry is the same in both observations (it holds both
    sites), and only the listing moves from one to the other.
    """
    (target.site_later,) = _sites(target.organisation, [(latitude, longitude)])
    return target


def moved(target):
    """The target, now at the second site of its owner."""
    Listing.objects.filter(pk=target.pk).update(site=target.site_later)
    return Listing.objects.get(pk=target.pk)


def inside(cell, move):
    south, west, north, east = cell.bounds
    up, right = move
    return south + up * (north - south), west + right * (east - west)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds())
def test_nothing_an_observer_sees_depends_on_where_in_its_cell_a_hidden_site_lies(world):
    with transaction.atomic():
        observer, demand, target = build(world)
        cell = cell_shown(observer, target)
        if cell is None:  # shown nowhere: it may lie anywhere in its largest cell
            row, column = base_index(Coordinates(*world["target"]))
            cell = Cell(*SHAPES[0], row // SHAPES[0][0], column // SHAPES[0][1])
        latitude, longitude = inside(cell, world["move"])
        if not cell.contains(Coordinates(latitude, longitude)):
            transaction.set_rollback(True)
            return  # rounding at the far edge of the cell
        target = elsewhere_later(target, latitude, longitude)
        before = observe(observer, demand, target, world)
        target = moved(target)
        after = observe(observer, demand, target, world)
        transaction.set_rollback(True)
    assert after.keys() == before.keys()
    for name in before:
        assert after[name] == before[name], f"{name} depends on where the site lies"


steps = st.lists(
    st.one_of(
        st.tuples(st.just("add"), points),
        st.tuples(st.just("move"), st.integers(0, 5), points),
        st.tuples(st.just("delete"), st.integers(0, 5)),
        st.tuples(st.just("join"), st.just(None)),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds(), changes=steps)
def test_no_change_of_a_members_own_sites_shrinks_another_organisations_cell(world, changes):
    with transaction.atomic():
        observer, _demand, target = build(world)
        api = Client(
            headers={"Authorization": f"Bearer {token_create(actor=observer, name='p')[1]}"}
        )
        url = f"/api/v1/listings?network={target.network.slug}&page_size=200"

        def locations():
            items = api.get(url).json()["items"]
            return {i["id"]: i["location"] for i in items if not i["owner_revealed"]}

        before = locations()
        organisation = observer.organisation
        for step in changes:
            _change_own_sites(observer, organisation, step)
            assert locations() == before, f"after {step}"
        transaction.set_rollback(True)


def _change_own_sites(observer, organisation, step):
    """One thing a member may do with its own sites (through the services, as the pages and
    the API do), or joining another network."""
    own = list(Site.objects.filter(organisation=organisation).order_by("pk"))
    kind = step[0]
    if kind == "add":
        lat, lon = step[1]
        site_create(actor=observer, organisation=organisation, name="Neu", place="Duisburg",
                    state=State.NW, latitude=lat, longitude=lon)  # fmt: skip
    elif kind == "move" and own:
        lat, lon = step[2]
        site = own[step[1] % len(own)]
        site_update(actor=observer, site=site, latitude=lat, longitude=lon)
    elif kind == "delete" and own:
        site = own[step[1] % len(own)]
        if not site.listings.exists() and not site.processors.exists():
            site_delete(actor=observer, site=site)
    elif kind == "join":
        NetworkFactory().memberships.create(organisation=organisation)


def test_the_property_holds_where_the_hidden_offer_is_a_candidate_and_in_a_proposal():
    """A fixed case that exercises every path at once: a dense neighbourhood (10 km cells),
    the anonymous offer among the candidates of the observer's demand and in a proposal
    released to the observer."""
    world = {
        "others": [[(51.9, 8.3)]],
        "observer_sites": [(51.52392, 6.9285)],
        "owner_sites": [(51.3, 7.5)],
        "target": (51.4118, 6.7545),
        "dense": True,
        "observer_visibility": "anonymous",
        "limits": [30, 250],
        "radius": 40,
        "town": "Duisburg",
        "move": (0.9, 0.1),
        "run": True,
    }
    with transaction.atomic():
        observer, demand, target = build(world)
        cell = cell_shown(observer, target)
        assert cell == Cell(1, 1, 514, 45)
        target = elsewhere_later(target, *inside(cell, world["move"]))
        before = observe(observer, demand, target, world)
        target = moved(target)
        after = observe(observer, demand, target, world)
        transaction.set_rollback(True)
    candidates = json.loads(before["candidates 250"])
    assert target.pk in [c["listing_id"] for c in candidates]
    proposals = json.loads(before["proposals"])["items"]
    assert target.pk in [i["listing_id"] for p in proposals for i in p["inputs"]]
    assert b"Geheim Recycling" not in b"".join(before.values())
    assert after == before
