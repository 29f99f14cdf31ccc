"""``metalloop listings import|export|expire|sweep-files``: the exchange at the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from metalloop.accounts.management.lookups import user_named
from metalloop.common.errors import ApplicationError, one_line
from metalloop.common.imports import read_import_file
from metalloop.common.tabular import FORMATS, TableError, table_format
from metalloop.exchange import selectors, services


class Command(BaseCommand):
    help = (
        "Import or export the listings of a network (CSV or XLSX), expire past ones, or "
        "delete attachment files left without their record."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser(
            "import", help="import listings; nothing is written if a row fails"
        )
        load.add_argument("file", type=Path, help="CSV (delimiter , or ;) or XLSX file")
        dump = actions.add_parser("export", help="export the listings you see (CSV to stdout)")
        dump.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
        for action in (load, dump):
            action.add_argument("--network", required=True, metavar="SLUG")
            action.add_argument("--format", choices=FORMATS, help="default: from the file's suffix")
            action.add_argument("--as", dest="as_user", required=True, metavar="EMAIL",
                                help="act as this user, with their rights")  # fmt: skip
        actions.add_parser("expire", help="mark active listings past their end date as expired")
        sweep = actions.add_parser(
            "sweep-files", help="delete attachment files no attachment refers to"
        )
        sweep.add_argument("--older-than-hours", type=float, default=1.0, metavar="HOURS",
                           help="leave younger files alone (default: 1)")  # fmt: skip

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"_{action.replace('-', '_')}")(**options)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(one_line(error)) from error
        except TableError as unreadable:
            raise CommandError(str(unreadable)) from unreadable

    def _import(
        self, file: Path, network: str, format: str | None, as_user: str, **__: Any
    ) -> None:
        actor = user_named(as_user)
        target = selectors.network_by_slug(actor=actor, slug=network)
        table = read_import_file(file, format)
        try:
            result = services.listings_import(
                actor=actor, network=target, table=table, origin="cli"
            )
        except services.ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(rejected.message) from rejected
        except ApplicationError as conflict:
            raise CommandError(conflict.message) from conflict
        self.stdout.write(
            _("listings: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % vars(result)
        )

    def _export(
        self, network: str, format: str | None, as_user: str, output: Path | None, **__: Any
    ) -> None:
        actor = user_named(as_user)
        target = selectors.network_by_slug(actor=actor, slug=network)
        chosen = table_format(output, format) if output else (format or "csv")
        if output is None and chosen == "xlsx":
            raise CommandError(_("XLSX goes to a file: give one with -o FILE."))
        export = services.listings_export(actor=actor, network=target, format=chosen)
        if output is None:
            self.stdout.write(export.content.decode("utf-8-sig"), ending="")
            return
        try:
            output.write_bytes(export.content)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(reason)s.") % {"path": output, "reason": error.strerror}
            ) from error
        rows = len(services.listing_export_rows(actor=actor, network=target))
        self.stdout.write(
            _("%(count)d listings written to %(path)s.") % {"count": rows, "path": output}
        )

    def _expire(self, **__: Any) -> None:
        count = services.listings_expire(actor=None, origin="cli")
        self.stdout.write(_("%(count)d listings expired.") % {"count": count})

    def _sweep_files(self, older_than_hours: float, **__: Any) -> None:
        if older_than_hours < 0:
            raise CommandError(_("--older-than-hours cannot be negative."))
        swept = services.attachments_sweep(
            actor=None, older_than=dt.timedelta(hours=older_than_hours)
        )
        for path in swept:
            self.stdout.write(path)
        self.stdout.write(_("%(count)d files deleted.") % {"count": len(swept)})
