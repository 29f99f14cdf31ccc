"""``metalloop match``: runs with a progress bar; errors in one line with a non-zero exit."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from metalloop.matching.models import MatchingRun

pytestmark = pytest.mark.django_db


def test_match_run_prints_progress_and_summary(facilitator, network, offer, demand):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "match", "run", "--network", network.slug, "--as", facilitator.email, stdout=out, stderr=err
    )
    assert "100 %" in err.getvalue()
    run = MatchingRun.objects.get()
    assert run.summary["proposals"] == 1
    assert f"{run.pk}" in out.getvalue() and f"{run.summary['tonnes']}" in out.getvalue()


def test_match_run_refuses_members_in_one_line(member, network):
    with pytest.raises(CommandError) as refused:
        call_command("match", "run", "--network", network.slug, "--as", member.email)
    assert "\n" not in str(refused.value)
