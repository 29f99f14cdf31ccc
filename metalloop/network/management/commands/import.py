"""``metalloop import organisations|sites FILE``: all rows or none, errors by line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from metalloop.accounts.management.lookups import user_named
from metalloop.common.errors import ApplicationError
from metalloop.common.imports import read_import_file
from metalloop.common.tabular import FORMATS, TableError
from metalloop.network.services.transfer import ImportRejected, organisations_import, sites_import

IMPORTERS = {"organisations": organisations_import, "sites": sites_import}


class Command(BaseCommand):
    help = (
        "Import organisations or sites from a CSV or XLSX file; nothing is written if a row fails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("entity", choices=list(IMPORTERS), help="what the file describes")
        parser.add_argument("file", type=Path, help="CSV (delimiter , or ;) or XLSX file")
        parser.add_argument("--format", choices=FORMATS, help="default: from the file's suffix")
        parser.add_argument(
            "--as", dest="as_user", metavar="EMAIL", help="import as this user, with their rights"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = user_named(options["as_user"]) if options["as_user"] else None
        try:
            table = read_import_file(options["file"], options["format"])
            result = IMPORTERS[options["entity"]](actor=actor, table=table, origin="cli")
        except TableError as unreadable:
            raise CommandError(str(unreadable)) from unreadable
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(rejected.message) from rejected
        except ApplicationError as conflict:
            raise CommandError(conflict.message) from conflict
        self.stdout.write(
            _("%(entity)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {"entity": options["entity"], **vars(result)}
        )
