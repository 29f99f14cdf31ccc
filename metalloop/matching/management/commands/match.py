"""``metalloop match run|show|release``: run matching for a network, show a run, release
proposals to their parties at the command line."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from metalloop.accounts.management.lookups import user_named
from metalloop.common.errors import ApplicationError, one_line
from metalloop.exchange.selectors import network_by_slug
from metalloop.matching import labels, selectors, services
from metalloop.matching.models import Objective

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Run matching for a network, show a run's summary, or release proposals."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        run = actions.add_parser("run", help="run matching now and store the proposals")
        run.add_argument("--network", required=True, metavar="SLUG")
        run.add_argument("--objective", choices=Objective.values, default="",
                         help="default: the network's setting")  # fmt: skip
        run.add_argument("--months", type=int, default=None, help="planning horizon [months]")
        show = actions.add_parser("show", help="print a run's summary")
        show.add_argument("run_id", type=int)
        release = actions.add_parser(
            "release",
            help="release one proposal, or several reviewed ones, to their parties (they are "
            "told in the platform and by e-mail)",
        )
        chosen = release.add_mutually_exclusive_group(required=True)
        chosen.add_argument(
            "--proposal",
            dest="proposal_ids",
            type=int,
            action="append",
            metavar="ID",
            help="a proposal to release (repeat for several)",
        )
        chosen.add_argument(
            "--run",
            dest="run_id",
            type=int,
            metavar="RUN_ID",
            help="with --reviewed: every kept, reviewed proposal of this run",
        )
        release.add_argument(
            "--reviewed",
            action="store_true",
            help="take the run's reviewed proposals (required with --run)",
        )
        release.add_argument("--yes", action="store_true", help="release without asking")
        for action in (run, show, release):
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

    def _release(
        self,
        as_user: str,
        proposal_ids: list[int] | None,
        run_id: int | None,
        reviewed: bool,
        yes: bool,
        **options: Any,
    ) -> None:
        actor = user_named(as_user)
        chosen = self._chosen(actor, proposal_ids, run_id, reviewed)
        single = proposal_ids is not None and len(set(proposal_ids)) == 1
        preview = services.release_preview(actor=actor, proposals=chosen, reviewed_only=not single)
        preview.refuse_if_blocked()
        self.stdout.write(self._plan(preview))
        if not yes and not self._confirmed(options.get("stdin") or sys.stdin):
            raise CommandError(_("Nothing released."))
        if single:
            released = services.proposal_release(actor=actor, proposal=chosen[0], origin="cli")
        else:
            released = services.proposals_release(actor=actor, proposals=chosen, origin="cli")
        self.stdout.write(labels.released(len(released.proposals), released.organisations))

    def _chosen(
        self, actor: Any, proposal_ids: list[int] | None, run_id: int | None, reviewed: bool
    ) -> list[Any]:
        if proposal_ids is not None:
            ids = list(dict.fromkeys(proposal_ids))
            return [selectors.proposal_get(actor=actor, proposal_id=i) for i in ids]
        if not reviewed:
            raise CommandError(
                _("Add --reviewed: only reviewed proposals of a run are released together.")
            )
        run = selectors.run_get(actor=actor, run_id=run_id or 0)
        found = selectors.proposal_list(actor=actor, run=run, status="proposed")
        return list(found.filter(reviewed_at__isnull=False))

    def _plan(self, preview: services.ReleasePreview) -> str:
        n, organisations = len(preview.releasable), preview.organisations
        ids = ", ".join(f"#{p.pk}" for p in preview.releasable)
        return " ".join(
            [
                ngettext(
                    "%(n)s proposal will be released (%(ids)s).",
                    "%(n)s proposals will be released (%(ids)s).",
                    n,
                )
                % {"n": n, "ids": ids},
                ngettext(
                    "%(n)s organisation will be told.",
                    "%(n)s organisations will be told.",
                    organisations,
                )
                % {"n": organisations},
            ]
        )

    def _confirmed(self, stream: TextIO) -> bool:
        self.stdout.write(_("Release them? [y/N] "), ending="")
        self.stdout.flush()
        answer = stream.readline().strip().casefold()
        return answer in {"y", "yes", "j", "ja"}

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
