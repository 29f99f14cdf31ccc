"""Receivers of the exchange for signals of the apps below it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _

from metalloop.common.errors import ApplicationError
from metalloop.exchange.errors import ErrorCode
from metalloop.exchange.models import Listing, Processor
from metalloop.network.models import Site


@receiver(pre_delete, sender=Site, dispatch_uid="exchange_site_in_use")
def refuse_deleting_a_site_in_use(sender: Any, instance: Site, origin: Any, **kwargs: Any) -> None:
    """A site that listings or processors point to is not deleted on its own (they would be
    lost with it); deleting its organisation or network removes them all together."""
    deleting_sites = isinstance(origin, Site) or (
        isinstance(origin, QuerySet) and origin.model is Site
    )
    if not deleting_sites:
        return
    if (
        Listing.objects.filter(site=instance).exists()
        or Processor.objects.filter(site=instance).exists()
    ):
        raise ApplicationError(
            _(
                "The site %(site)s still has listings or processors of the exchange; move them "
                "to another site first."
            )
            % {"site": instance.name},
            code=ErrorCode.SITE_IN_USE,
        )
