"""``metalloop token create|list|revoke``: personal API tokens of a user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from metalloop.accounts import tokens
from metalloop.accounts.management.lookups import user_named
from metalloop.accounts.models import ApiToken, User
from metalloop.accounts.selectors import token_list
from metalloop.accounts.services import token_create, token_revoke
from metalloop.common.errors import ApplicationError, one_line

DEFAULT_TOKEN_NAME = "command line"  # noqa: S105 - a label, not a secret
LIST_COLUMNS = ("prefix", "name", "created", "last used", "revoked")


class Command(BaseCommand):
    help = "Create, list and revoke a user's personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a token and print it (only now)")
        create.add_argument("--user", required=True, metavar="EMAIL")
        create.add_argument("--name", default=DEFAULT_TOKEN_NAME, help="what the token is for")
        listing = actions.add_parser("list", help="list a user's tokens")
        listing.add_argument("--user", required=True, metavar="EMAIL")
        revoke = actions.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("--user", required=True, metavar="EMAIL")
        revoke.add_argument("prefix", help="the prefix shown by `token list` (or the token)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_named(options["user"])
        try:
            if options["action"] == "create":
                self._create(user, options["name"])
            elif options["action"] == "list":
                self._list(user)
            else:
                self._revoke(user, options["prefix"])
        except (ValidationError, PermissionDenied, ApplicationError) as refused:
            raise CommandError(one_line(refused)) from refused

    def _create(self, user: User, name: str) -> None:
        _token, raw = token_create(actor=user, name=name, origin="cli")
        self.stdout.write(raw)

    def _list(self, user: User) -> None:
        found = list(token_list(actor=user))
        if not found:
            self.stdout.write(_("%(email)s has no API tokens.") % {"email": user.email})
            return
        for cells in [LIST_COLUMNS, *(_token_cells(token) for token in found)]:
            self.stdout.write("\t".join(cells))

    def _revoke(self, user: User, prefix: str) -> None:
        prefix = tokens.split_prefix(prefix) or prefix
        token = token_list(actor=user).filter(prefix=prefix).first()
        if token is None:
            raise CommandError(
                _("%(email)s has no API token with the prefix %(prefix)s.")
                % {"email": user.email, "prefix": prefix}
            )
        token_revoke(actor=user, token=token, origin="cli")
        self.stdout.write(_("Revoked the token %(prefix)s.") % {"prefix": token.prefix})


def _token_cells(token: ApiToken) -> tuple[str, ...]:
    return (
        token.prefix,
        token.name,
        _when(token.created_at),
        _when(token.last_used_at),
        _when(token.revoked_at),
    )


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"
