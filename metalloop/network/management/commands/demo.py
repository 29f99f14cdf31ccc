"""``metalloop demo load [--force]``: load the demo network and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from metalloop.common.errors import ApplicationError, one_line
from metalloop.network.demo import DemoDataError, demo_load


class Command(BaseCommand):
    help = "Load the fictitious demo network (only into an empty database unless --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("load", help="load the demo network and print the logins")
        load.add_argument(
            "--force", action="store_true", help="load even if the database holds organisations"
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        try:
            result = demo_load(if_empty=not force)
        except (DemoDataError, ValidationError, ApplicationError) as error:
            raise CommandError(one_line(error)) from error
        self.stdout.write(result.summary())
        if not result.loaded:
            self.stdout.write("Use --force to load the demo into a database that is not empty.")
        if result.users:
            self.stdout.write("Demo logins (fictitious data; remove them before real use):")
        for user in result.users:
            self.stdout.write(f"  {user.role:<12} {user.email:<36} password: {user.password}")
