"""``metalloop match run|show``: run matching for a network at the command line."""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils.translation import gettext as _

from metalloop.accounts.management.lookups import user_named
from metalloop.common.errors import ApplicationError, one_line
from metalloop.exchange.selectors import network_by_slug
from metalloop.matching import selectors, services
from metalloop.matching.models import Objective

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Run matching for a network, or show a run's summary."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        run = actions.add_parser("run", help="run matching now and store the proposals")
        run.add_argument("--network", required=True, metavar="SLUG")
        run.add_argument("--objective", choices=Objective.values, default="",
                         help="default: the network's setting")  # fmt: skip
        run.add_argument("--months", type=int, default=None, help="planning horizon [months]")
        show = actions.add_parser("show", help="print a run's summary")
        show.add_argument("run_id", type=int)
        for action in (run, show):
            action.add_argument("--as", dest="as_user", required=True, metavar="EMAIL",
                                help="act as this user, with their rights")  # fmt: skip

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except (ValidationError, PermissionDenied, ApplicationError, Http404) as error:
            raise CommandError(one_line(error)) from error

    def _run(
        self, network: str, objective: str, months: int | None, as_user: str, **__: Any
    ) -> None:
        actor = user_named(as_user)
        target = network_by_slug(actor=actor, slug=network)
        run = services.run_start(
            actor=actor,
            network=target,
            objective=objective,
            horizon_months=months,
            progress=self._bar,
            origin="cli",
        )
        self.stderr.write("")
        self._summary(run)

    def _show(self, run_id: int, as_user: str, **__: Any) -> None:
        self._summary(selectors.run_get(actor=user_named(as_user), run_id=run_id))

    def _bar(self, step: str, share: float) -> None:
        done = int(BAR_WIDTH * share)
        line = f"\r[{'#' * done}{'.' * (BAR_WIDTH - done)}] {share * 100:3.0f} % {step:<12}"
        self.stderr.write(line, ending="")
        sys.stderr.flush()

    def _summary(self, run: Any) -> None:
        s = run.summary
        self.stdout.write(
            _(
                "run %(id)s (%(status)s): %(proposals)s proposals (%(direct)s direct, %(chain)s "
                "chains, %(aggregation)s aggregations), %(tonnes)s t, %(co2)s t CO2e saved, "
                "%(seconds)s s"
            )
            % {
                "id": run.pk,
                "status": run.status,
                "proposals": s.get("proposals", 0),
                "direct": s.get("by_kind", {}).get("direct", 0),
                "chain": s.get("by_kind", {}).get("chain", 0),
                "aggregation": s.get("by_kind", {}).get("aggregation", 0),
                "tonnes": s.get("tonnes", 0),
                "co2": s.get("co2_t", 0),
                "seconds": s.get("seconds", 0),
            }
        )
