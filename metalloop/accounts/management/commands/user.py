"""``metalloop user create``: accounts made by the operator at the command line."""

from __future__ import annotations

import secrets
import sys
from typing import Any, TextIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from metalloop.accounts.management.lookups import organisation_named
from metalloop.accounts.models import Role
from metalloop.accounts.services import user_create
from metalloop.common.errors import ApplicationError, one_line

GENERATED_PASSWORD_BYTES = 18  # 24 characters, 144 bits


class Command(BaseCommand):
    help = "Manage user accounts."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a user (prints a new password)")
        create.add_argument("--email", required=True)
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--organisation", metavar="SLUG", help="required unless admin")
        create.add_argument("--name", default="", help="full name")
        password = create.add_mutually_exclusive_group()
        password.add_argument("--password", help="default: a strong generated password")
        password.add_argument(
            "--password-stdin", action="store_true", help="read the password from stdin"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["organisation"]
        organisation = organisation_named(slug) if slug else None
        password, generated = self._password(options)
        try:
            user = user_create(
                actor=None,
                email=options["email"],
                password=password,
                role=options["role"],
                organisation=organisation,
                full_name=options["name"],
                origin="cli",
            )
        except (ValidationError, PermissionDenied, ApplicationError) as refused:
            raise CommandError(one_line(refused)) from refused
        self.stdout.write(
            _("Created %(email)s (%(role)s).") % {"email": user.email, "role": user.role}
        )
        if generated:
            self.stdout.write(_("Password (shown only now): %(password)s") % {"password": password})

    def _password(self, options: dict[str, Any]) -> tuple[str, bool]:
        """Return the password to set and whether it was generated."""
        if options["password_stdin"]:
            stream: TextIO = options.get("stdin") or sys.stdin
            given = stream.readline().rstrip("\r\n")
        elif options["password"] is not None:
            given = options["password"]
        else:
            return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES), True
        if not given:
            raise CommandError(_("The password is empty."))
        return given, False
