"""``metalloop export organisations|sites [-o FILE]``: files that import again unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from metalloop.common.tabular import FORMATS, TableError, format_csv, write_table
from metalloop.network.services.transfer import (
    ORGANISATION_COLUMNS,
    SITE_COLUMNS,
    organisation_export_rows,
    site_export_rows,
)

EXPORTERS = {
    "organisations": (ORGANISATION_COLUMNS, organisation_export_rows),
    "sites": (SITE_COLUMNS, site_export_rows),
}


class Command(BaseCommand):
    help = "Export organisations or sites as CSV (to standard output by default) or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("entity", choices=list(EXPORTERS), help="what to export")
        parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
        parser.add_argument("--format", choices=FORMATS, help="default: from the file's suffix")

    def handle(self, *args: Any, **options: Any) -> None:
        columns, export_rows = EXPORTERS[options["entity"]]
        rows = export_rows(actor=None)
        output, format = options["output"], options["format"]
        if output is None:
            if format == "xlsx":
                raise CommandError(_("XLSX goes to a file: give one with -o FILE."))
            self.stdout.write(format_csv(columns, rows), ending="")
            return
        try:
            write_table(output, columns, rows, format)
        except TableError as unwritable:
            raise CommandError(str(unwritable)) from unwritable
        self.stdout.write(
            _("%(count)d %(entity)s written to %(path)s.")
            % {"count": len(rows), "entity": options["entity"], "path": output}
        )
