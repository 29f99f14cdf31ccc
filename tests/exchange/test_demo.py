"""The exchange's demo: enough realistic listings and processors that matching shows good and
poor matches, chains through processors and aggregation."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings

from metalloop.core.geo import Coordinates, great_circle_km
from metalloop.core.materials.entries import Graded, Kind
from metalloop.exchange.codes import knowledge
from metalloop.exchange.demo.loader import DATA_DIR, load
from metalloop.exchange.models import Listing, Processor, QualityLevel
from metalloop.exchange.selectors import listing_list
from metalloop.network.demo import DemoDataError, demo_load
from metalloop.network.models import Network

NETWORK = "landesforum-zirkulaere-wertschoepfung-nrw"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The whole demo (registry and exchange), loaded once per class and rolled back."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield demo_load()
        transaction.set_rollback(True)


def listings():
    return list(Listing.objects.prefetch_related("grades", "elements", "attachments"))


def km(a, b):
    return great_circle_km(
        Coordinates(a.site.latitude, a.site.longitude),
        Coordinates(b.site.latitude, b.site.longitude),
    )


@pytest.mark.django_db
class TestExchangeDemo:
    def test_it_holds_at_least_150_listings_and_10_processors_in_the_forum(self, demo):
        network = Network.objects.get(slug=NETWORK)
        assert demo.counts["listings"] == Listing.objects.filter(network=network).count() >= 150
        assert demo.counts["processors"] == Processor.objects.filter(network=network).count() >= 10
        found = listings()
        assert len({listing.organisation_id for listing in found}) >= 20
        assert len({listing.site_id for listing in found}) >= 30

    def test_offers_and_demands_of_every_kind_and_about_half_anonymous(self, demo):
        found = listings()
        sides = Counter(listing.side for listing in found)
        assert sides["offer"] >= 80 and sides["demand"] >= 40
        kinds = {listing.kind for listing in found}
        assert kinds == {
            "scrap",
            "by_product",
            "production_residue",
            "secondary_raw_material",
            "used_component",
        }
        anonymous = sum(1 for listing in found if listing.visibility == "anonymous") / len(found)
        assert 0.4 <= anonymous <= 0.65
        assert {listing.visibility for listing in found} == {"anonymous", "named", "facilitator"}

    def test_every_data_quality_level_occurs_and_verified_offers_carry_a_certificate(self, demo):
        levels = Counter(listing.data_quality for listing in listings())
        assert set(levels) == set(QualityLevel)
        assert levels[QualityLevel.VERIFIED] >= 5
        assert demo.counts["attachments"] >= levels[QualityLevel.VERIFIED]

    def test_analysed_offers_lie_within_the_limits_of_the_alloys_they_name(self, demo):
        outside = []
        for listing in listings():
            for grade in listing.grades.all():
                entry = knowledge().get(grade.code)
                if listing.side != "offer" or entry.kind is not Kind.ALLOYS:
                    continue
                assert isinstance(entry, Graded)
                limits = {limit.element: limit for limit in entry.specification.limits}
                for share in listing.elements.all():
                    limit = limits.get(share.element)
                    if limit is None:
                        continue
                    low = limit.low.percent if limit.low is not None else 0
                    high = limit.high.percent if limit.high is not None else 100
                    if not (
                        low - 1e-9 <= float(share.min_pct) and float(share.max_pct) <= high + 1e-9
                    ):
                        outside.append((listing.title, grade.code, share.element))
        assert outside == []

    def test_small_recurring_turnings_offers_can_be_bundled_up_to_the_steelworks_lot(self, demo):
        demand = Listing.objects.get(side="demand", title__startswith="Stahlspäne E5H")
        offers = [
            listing
            for listing in Listing.objects.filter(
                side="offer", grades__code="EU27:E5H", recurrence="monthly"
            )
            if listing.mass_t < demand.min_lot_t and km(listing, demand) <= demand.max_distance_km
        ]
        assert len(offers) >= 3
        assert sum(listing.mass_t for listing in offers) >= demand.min_lot_t

    def test_chains_through_processors_are_possible(self, demo):
        briquetting = Processor.objects.get(process="briquetting")
        assert briquetting.inputs.filter(grade="EU27:E5M").exists()
        assert briquetting.outputs.get().form == "briquettes"
        assert Listing.objects.filter(side="offer", grades__code="EU27:E5M").count() >= 4
        assert Listing.objects.filter(side="demand", accepted_forms=["briquettes"]).count() >= 2
        granulation = Processor.objects.get(name="Kabelgranulierung")
        assert granulation.inputs.filter(grade="ISRI:Druid").exists()
        cable = Listing.objects.filter(
            side="offer", grades__code="ISRI:Druid", legal_status="waste"
        )
        refiner = Listing.objects.get(side="demand", title__startswith="Kaufen Kupfergranulat")
        assert all(offer.waste_code not in refiner.permitted_waste_codes for offer in cable)
        assert granulation.outputs.get().grade in {g.code for g in refiner.grades.all()}

    def test_the_first_run_shows_chains_from_both_shredder_outputs_and_a_pool(self, demo):
        from metalloop.matching.models import MatchingRun

        run = MatchingRun.objects.order_by("pk").first()
        kinds = Counter(run.proposals.values_list("kind", flat=True))
        assert kinds["chain"] >= 4 and kinds["aggregation"] >= 1
        shredder = Processor.objects.get(name="Shredderanlage für Misch- und Karossenschrott")
        delivered = {
            rule["facts"]["output"]: float(proposal.tonnes)
            for proposal in run.proposals.filter(processor=shredder)
            for rule in proposal.explanation["rules"]
            if rule["rule"] == "processor"
        }
        assert set(delivered) == {"MAT:steel-non-alloy", "MAT:aluminium"}
        # The same tonnes in: 72 % come out as steel, 5 % as Zorba (tonnes stored to 1 kg).
        assert delivered["MAT:aluminium"] / delivered["MAT:steel-non-alloy"] <= 5 / 72 * (1 + 1e-4)

    def test_poor_matches_are_there_too(self, demo):
        crnimo = Listing.objects.get(
            side="demand", grades__code="DESS:CrNiMo", elements__element="Mo"
        )
        assert crnimo.elements.get(element="Mo").min_pct == 2
        plain = Listing.objects.filter(side="offer", grades__code="EN10088:1.4301")
        assert all(
            offer.elements.get(element="Mo").max_pct < 2
            for offer in plain
            if offer.elements.filter(element="Mo").exists()
        )
        sludge = Listing.objects.filter(side="offer", grades__code="HM:sludge")
        buyer = Listing.objects.get(side="demand", grades__code="HM:sludge")
        assert {offer.waste_code for offer in sludge} == {"AVV:120118"}
        assert "AVV:120118" not in buyer.permitted_waste_codes
        steelworks = Listing.objects.get(side="demand", title__startswith="Stahlspäne E5H")
        far = Listing.objects.filter(side="offer", grades__code="EU27:E5H", site__place="Gütersloh")
        assert far and all(km(offer, steelworks) > steelworks.max_distance_km for offer in far)

    def test_the_demo_member_sees_anonymous_listings_without_their_owner(self, demo):
        from metalloop.accounts.models import User
        from metalloop.exchange.permissions import listing_reveals_owner

        member = User.objects.get(email="member@demo.metalloop.example")
        seen = list(listing_list(actor=member))
        assert len(seen) >= 140
        hidden = [
            listing for listing in seen if not listing_reveals_owner(actor=member, listing=listing)
        ]
        assert hidden
        assert all(listing.organisation != member.organisation for listing in hidden)


@pytest.fixture
def broken_copy(tmp_path: Path):
    """A copy of the data files to break one place at a time."""
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    path = data_dir / "exchange-nrw.yaml"

    def breaking(good: str, bad: str) -> Path:
        text = path.read_text(encoding="utf-8")
        assert text.count(good) == 1
        path.write_text(text.replace(good, bad), encoding="utf-8")
        return data_dir

    return breaking


@pytest.mark.django_db
def test_the_data_files_are_checked_before_anything_is_written(broken_copy):
    data_dir = broken_copy("      size: bis 500 × 300 mm\n", "      groesse: bis 500 mm\n")
    with pytest.raises(DemoDataError, match="is not loaded"):
        load(data_dir)
    Network.objects.create(name="Forum", slug=NETWORK, kind="round_table")
    with pytest.raises(
        DemoDataError, match=r"e8-stanzabfaelle-verzinkt, variant 1: .*\['groesse'\]"
    ):
        load(data_dir)
    assert not Listing.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_a_record_the_services_refuse_leaves_nothing_of_the_whole_demo(broken_copy, monkeypatch):
    from metalloop.accounts.models import Organisation
    from metalloop.exchange.demo import loader

    data_dir = broken_copy(
        "Ruhrort, quantity: 800, visibility: named", "Ruhrort, quantity: -800, visibility: named"
    )
    monkeypatch.setattr(loader, "DATA_DIR", data_dir)
    with (
        pytest.raises(DemoDataError, match="e3-altschrott-schwer, variant 1: quantity: A quantity"),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
    ):
        demo_load()
    assert not Listing.objects.exists()
    assert not Organisation.objects.exists()
