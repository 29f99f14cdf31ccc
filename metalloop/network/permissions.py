"""Who may change what in the registry. Reads of the registry are public."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from metalloop.accounts.models import Organisation
from metalloop.accounts.permissions import is_admin, is_authenticated, is_facilitator
from metalloop.network.models import Network, Site


def managed_network_ids(actor: Any) -> set[int]:
    """Ids of the networks the actor facilitates (empty for everyone but facilitators)."""
    if not is_facilitator(actor):
        return set()
    return {network.pk for network in actor.managed_networks.all()}  # prefetched in imports


def organisation_network_ids(organisation: Organisation) -> set[int]:
    """Ids of the organisation's networks (its prefetched memberships, if any)."""
    return {membership.network_id for membership in organisation.memberships.all()}


def can_curate_network(*, actor: Any, network: Network) -> bool:
    """Admins, and facilitators of this network."""
    return is_admin(actor) or network.pk in managed_network_ids(actor)


def can_create_organisation(*, actor: Any, network_ids: Iterable[int]) -> bool:
    """Admins; facilitators when the new organisation joins only networks they manage."""
    if is_admin(actor):
        return True
    wanted = set(network_ids)
    return bool(wanted) and wanted <= managed_network_ids(actor)


def can_edit_organisation(*, actor: Any, organisation: Organisation) -> bool:
    """Admins, the organisation's own users, and facilitators of one of its networks."""
    if not is_authenticated(actor):
        return False
    if is_admin(actor) or actor.organisation_id == organisation.pk:
        return True
    return bool(managed_network_ids(actor) & organisation_network_ids(organisation))


def can_delete_organisation(*, actor: Any, organisation: Organisation) -> bool:
    """Admins; facilitators when every network of the organisation is theirs."""
    if is_admin(actor):
        return True
    networks = organisation_network_ids(organisation)
    return bool(networks) and networks <= managed_network_ids(actor)


def can_change_memberships(*, actor: Any, network_ids: Iterable[int]) -> bool:
    """Admins, and facilitators for the networks they manage."""
    return is_admin(actor) or set(network_ids) <= managed_network_ids(actor)


def can_edit_site(*, actor: Any, site: Site) -> bool:
    return can_edit_organisation(actor=actor, organisation=site.organisation)


def can_view_audit_trail(*, actor: Any) -> bool:
    return is_facilitator(actor)
