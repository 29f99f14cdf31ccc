"""REST endpoints of the registry: parse, select, call a service, return."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from metalloop.accounts.auth import TokenAuth, actor_of
from metalloop.common.imports import read_import_upload
from metalloop.common.pagination import Page, PageIn, paginate
from metalloop.common.params import RecordId
from metalloop.common.problems import problems
from metalloop.common.schemas import ImportResultOut
from metalloop.network import selectors, services
from metalloop.network.schemas import (
    NetworkOut,
    NetworkPage,
    OrganisationCreateIn,
    OrganisationFilterIn,
    OrganisationOut,
    OrganisationPage,
    OrganisationUpdateIn,
    SiteCreateIn,
    SiteFilterIn,
    SiteOut,
    SitePage,
    SiteUpdateIn,
    TopicTableDetailOut,
    TopicTableFilterIn,
    TopicTablePage,
)

router = Router(tags=["registry"])
WRITE = [TokenAuth()]


@router.get("/organisations", response=OrganisationPage, operation_id="organisations_list")
def organisations_list(
    request: HttpRequest, filters: Query[OrganisationFilterIn], page: Query[PageIn]
) -> Page:
    """List organisations, filtered by text, role, competence, network, place, state, type."""
    found = selectors.organisation_list(
        actor=actor_of(request), filters=selectors.OrganisationFilters(**filters.dict())
    )
    return paginate(found, page)


@router.post(
    "/organisations/import",
    response={200: ImportResultOut} | problems(403, 409),
    auth=WRITE,
    operation_id="organisations_import",
)
def organisations_import(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """Create or change organisations (by slug) from a CSV or XLSX table; all rows or none."""
    table = read_import_upload(file)
    return services.organisations_import(actor=actor_of(request), table=table, origin="api")


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut} | problems(404),
    operation_id="organisations_get",
)
def organisations_get(request: HttpRequest, organisation_id: RecordId) -> Any:
    """Read one organisation with its roles, competences, networks and sites."""
    return selectors.organisation_get_by_id(
        actor=actor_of(request), organisation_id=organisation_id
    )


@router.post(
    "/organisations",
    response={201: OrganisationOut} | problems(403),
    auth=WRITE,
    operation_id="organisations_create",
)
def organisations_create(request: HttpRequest, payload: OrganisationCreateIn) -> Any:
    """Create an organisation (admins; facilitators into their networks)."""
    created = services.organisation_create(actor=actor_of(request), origin="api", **payload.dict())
    return Status(
        201, selectors.organisation_get_by_id(actor=actor_of(request), organisation_id=created.pk)
    )


@router.patch(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut} | problems(403, 404),
    auth=WRITE,
    operation_id="organisations_update",
)
def organisations_update(
    request: HttpRequest, organisation_id: RecordId, payload: OrganisationUpdateIn
) -> Any:
    """Change the given fields of an organisation."""
    actor = actor_of(request)
    organisation = selectors.organisation_get_by_id(actor=actor, organisation_id=organisation_id)
    services.organisation_update(
        actor=actor, organisation=organisation, origin="api", **payload.dict(exclude_unset=True)
    )
    return selectors.organisation_get_by_id(actor=actor, organisation_id=organisation_id)


@router.delete(
    "/organisations/{organisation_id}",
    response={204: None} | problems(403, 404, 409),
    auth=WRITE,
    operation_id="organisations_delete",
)
def organisations_delete(request: HttpRequest, organisation_id: RecordId) -> Any:
    """Delete an organisation with its sites (not while users belong to it)."""
    actor = actor_of(request)
    organisation = selectors.organisation_get_by_id(actor=actor, organisation_id=organisation_id)
    services.organisation_delete(actor=actor, organisation=organisation, origin="api")
    return Status(204, None)


@router.get("/sites", response=SitePage, operation_id="sites_list")
def sites_list(request: HttpRequest, filters: Query[SiteFilterIn], page: Query[PageIn]) -> Page:
    """List sites, filtered by organisation, network, state or place."""
    found = selectors.site_list(
        actor=actor_of(request), filters=selectors.SiteFilters(**filters.dict())
    )
    return paginate(found, page)


@router.post(
    "/sites/import",
    response={200: ImportResultOut} | problems(403, 409),
    auth=WRITE,
    operation_id="sites_import",
)
def sites_import(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """Create or change sites (by organisation and name) from a CSV or XLSX table."""
    table = read_import_upload(file)
    return services.sites_import(actor=actor_of(request), table=table, origin="api")


@router.get("/sites/{site_id}", response={200: SiteOut} | problems(404), operation_id="sites_get")
def sites_get(request: HttpRequest, site_id: RecordId) -> Any:
    """Read one site."""
    return selectors.site_get(actor=actor_of(request), site_id=site_id)


@router.post(
    "/sites", response={201: SiteOut} | problems(403, 404), auth=WRITE, operation_id="sites_create"
)
def sites_create(request: HttpRequest, payload: SiteCreateIn) -> Any:
    """Add a site; without coordinates the gazetteer locates the place."""
    actor = actor_of(request)
    data = payload.dict()
    organisation = selectors.organisation_get_by_id(
        actor=actor, organisation_id=data.pop("organisation")
    )
    return Status(
        201, services.site_create(actor=actor, organisation=organisation, origin="api", **data)
    )


@router.patch(
    "/sites/{site_id}",
    response={200: SiteOut} | problems(403, 404),
    auth=WRITE,
    operation_id="sites_update",
)
def sites_update(request: HttpRequest, site_id: RecordId, payload: SiteUpdateIn) -> Any:
    """Change the given fields of a site."""
    actor = actor_of(request)
    site = selectors.site_get(actor=actor, site_id=site_id)
    return services.site_update(
        actor=actor, site=site, origin="api", **payload.dict(exclude_unset=True)
    )


@router.delete(
    "/sites/{site_id}",
    response={204: None} | problems(403, 404, 409),
    auth=WRITE,
    operation_id="sites_delete",
)
def sites_delete(request: HttpRequest, site_id: RecordId) -> Any:
    """Delete a site."""
    actor = actor_of(request)
    services.site_delete(
        actor=actor, site=selectors.site_get(actor=actor, site_id=site_id), origin="api"
    )
    return Status(204, None)


@router.get("/networks", response=NetworkPage, operation_id="networks_list")
def networks_list(request: HttpRequest, page: Query[PageIn]) -> Page:
    """List the networks with their members and topic tables."""
    found = selectors.network_list(actor=actor_of(request)).prefetch_related(
        "memberships__organisation", "topic_tables"
    )
    return paginate(found.select_related("coordinator"), page)


@router.get(
    "/networks/{slug}", response={200: NetworkOut} | problems(404), operation_id="networks_get"
)
def networks_get(request: HttpRequest, slug: str) -> Any:
    """Read one network by its slug."""
    return selectors.network_get(actor=actor_of(request), slug=slug)


@router.get("/topic-tables", response=TopicTablePage, operation_id="topic_tables_list")
def topic_tables_list(
    request: HttpRequest, filters: Query[TopicTableFilterIn], page: Query[PageIn]
) -> Page:
    """List topic tables, optionally of one network."""
    return paginate(
        selectors.topic_table_list(actor=actor_of(request), network=filters.network), page
    )


@router.get(
    "/topic-tables/{topic_table_id}",
    response={200: TopicTableDetailOut} | problems(404),
    operation_id="topic_tables_get",
)
def topic_tables_get(request: HttpRequest, topic_table_id: RecordId) -> Any:
    """Read one topic table with action fields, meetings, barriers, needs and pilots."""
    return selectors.topic_table_get(actor=actor_of(request), topic_table_id=topic_table_id)
