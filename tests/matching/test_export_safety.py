"""The impact export never fails on stored data and never writes a formula cell, for every
role that can export it, in both formats; negative figures stay numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from metalloop.matching.models import Outcome
from metalloop.matching.presenters import IMPACT_COLUMNS
from metalloop.matching.services import outcome_record, proposal_answer
from tests.common.export_checks import FORMULA, assert_safe

pytestmark = pytest.mark.django_db


@pytest.fixture
def poisoned_deal(member, other_member, released):
    proposal_answer(actor=member, proposal=released, interested=True)
    proposal_answer(actor=other_member, proposal=released, interested=True)
    outcome = outcome_record(
        actor=member, proposal=released, result="deal", tonnes=10, settled_on=dt.date.today()
    )
    impact = outcome.impact | {"material": FORMULA + "\x1b", "net": -12.5, "freight": 0.25}
    Outcome.objects.filter(pk=outcome.pk).update(impact=impact)
    return released


@pytest.mark.parametrize("who", ["member", "other_member", "facilitator", "admin"])
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_every_role_gets_a_safe_impact_file(client_for, actors, poisoned_deal, who, format):
    slug = poisoned_deal.network.slug

    response = client_for(actors[who]).get(f"/matching/networks/{slug}/impact.{format}")

    assert response.status_code == 200
    rows = assert_safe(response.content, format)
    assert rows[0] == IMPACT_COLUMNS
    row = dict(zip(IMPACT_COLUMNS, rows[1], strict=True))
    assert (row["proposal"], row["material"], row["net_t"], row["freight_t"]) == (
        str(poisoned_deal.pk),
        "'" + FORMULA + "\ufffd",
        "-12.5000",
        "0.2500",
    )


def test_an_outsider_gets_a_safe_file_with_the_header_only(client_for, outsider, poisoned_deal):
    slug = poisoned_deal.network.slug

    response = client_for(outsider).get(f"/matching/networks/{slug}/impact.csv")

    assert assert_safe(response.content, "csv") == [IMPACT_COLUMNS]
