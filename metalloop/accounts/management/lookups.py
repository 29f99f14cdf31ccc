"""Find the records a command names, for the operator at the command line (who sees all)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from metalloop.accounts.models import Organisation, User


def user_named(email: str) -> User:
    """Return the user with this e-mail address, or stop the command."""
    user = User.objects.filter(email=email.strip().lower()).first()
    if user is None:
        raise CommandError(_("No user has the e-mail address %(email)s.") % {"email": email})
    return user


def organisation_named(slug: str) -> Organisation:
    """Return the organisation with this short name (slug), or stop the command."""
    organisation = Organisation.objects.filter(slug=slug.strip()).first()
    if organisation is None:
        raise CommandError(_("No organisation has the short name %(slug)s.") % {"slug": slug})
    return organisation
