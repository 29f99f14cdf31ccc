"""The impact method: savings per R-strategy, freight, deadweight and attribution."""

from __future__ import annotations

import pytest

from metalloop.core.impact.method import (
    Factor,
    ImpactMethod,
    Leg,
    MethodError,
    exchange_impact,
)

from .builders import METHOD


def test_recycling_saves_primary_minus_secondary_less_freight() -> None:
    account = exchange_impact(
        METHOD,
        tonnes=10,
        material="MAT:steel-non-alloy",
        r_strategy="R:8",
        legs=[Leg("road", 100)],
    )
    assert account.known
    assert account.production_saved == pytest.approx(10 * 1.6)
    assert account.freight == pytest.approx(10 * 112e-6 * 130)
    assert account.net == pytest.approx(account.gross)
    assert account.attributed == pytest.approx(account.net)


def test_reuse_avoids_the_whole_primary_production_and_recovery_nothing() -> None:
    reuse = exchange_impact(METHOD, tonnes=1, material="MAT:iron-steel", r_strategy="R:6", legs=[])
    recover = exchange_impact(
        METHOD, tonnes=1, material="MAT:iron-steel", r_strategy="R:9", legs=[]
    )
    assert reuse.production_saved == pytest.approx(2.3)
    assert recover.production_saved == 0


def test_deadweight_and_attribution_shares_apply_in_that_order() -> None:
    method = METHOD.with_shares(deadweight=0.25, attribution=0.5)
    account = exchange_impact(method, tonnes=1, material="MAT:aluminium", r_strategy="R:8", legs=[])
    assert account.gross == pytest.approx(6.46)
    assert account.net == pytest.approx(6.46 * 0.75)
    assert account.attributed == pytest.approx(6.46 * 0.75 * 0.5)


def test_a_material_without_a_factor_has_no_saving_only_freight() -> None:
    account = exchange_impact(
        METHOD, tonnes=5, material="MAT:zinc", r_strategy="R:8", legs=[Leg("rail", 10)]
    )
    assert not account.known
    assert account.production_saved == 0
    assert account.gross == pytest.approx(-5 * 18e-6 * 13)


def test_a_method_that_contradicts_itself_is_refused() -> None:
    with pytest.raises(MethodError):
        METHOD.with_shares(deadweight=1.5, attribution=1)
    with pytest.raises(MethodError):
        ImpactMethod({}, {"road": Factor("r", 1e-4)}, Factor("d", 0.9))
    with pytest.raises(MethodError):
        exchange_impact(METHOD, tonnes=-1, material="MAT:iron-steel", r_strategy="R:8", legs=[])
