"""Find the records a command names, for the operator at the command line (who sees all)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from metalloop.accounts.models import Organisation, User
from metalloop.accounts.selectors import organisation_by_slug, user_by_email


def user_named(email: str) -> User:
    """Return the user with this e-mail address, or stop the command."""
    user = user_by_email(email=email)
    if user is None:
        raise CommandError(_("No user has the e-mail address %(email)s.") % {"email": email})
    return user


def organisation_named(slug: str) -> Organisation:
    """Return the organisation with this short name (slug), or stop the command."""
    organisation = organisation_by_slug(slug=slug)
    if organisation is None:
        raise CommandError(_("No organisation has the short name %(slug)s.") % {"slug": slug})
    return organisation
