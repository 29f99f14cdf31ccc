"""Pages of the registry: thin views over selectors and services."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from metalloop.common.errors import ApplicationError
from metalloop.common.forms import add_service_errors, import_upload
from metalloop.common.http import is_htmx
from metalloop.common.imports import import_limits
from metalloop.network import selectors, services
from metalloop.network.forms import (
    OrganisationFilterForm,
    OrganisationForm,
    RegistryImportForm,
    SiteForm,
)
from metalloop.network.permissions import can_edit_organisation, can_edit_site, can_view_audit_trail

PAGE_SIZE = 25
IMPORTERS = {
    "organisations": services.organisations_import,
    "sites": services.sites_import,
}
TABLE_COLUMNS = {
    "organisations": services.ORGANISATION_COLUMNS,
    "sites": services.SITE_COLUMNS,
}


def home(request: HttpRequest) -> HttpResponse:
    """Show the network at a glance: figures, a map of the sites, the networks."""
    context = {
        "figures": selectors.registry_figures(actor=request.user),
        "networks": selectors.network_list(actor=request.user),
        "points": selectors.site_map_points(actor=request.user),
    }
    return render(request, "network/home.html", context)


@vary_on_headers("HX-Request")
def organisation_list(request: HttpRequest) -> HttpResponse:
    """List organisations with filters; htmx requests get only the results."""
    networks = [(n.slug, n.name) for n in selectors.network_list(actor=request.user)]
    form = OrganisationFilterForm(request.GET, networks=networks)
    found = selectors.organisation_list(
        actor=request.user, filters=selectors.OrganisationFilters(**form.filters())
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "network/organisation_list.html" + ("#results" if is_htmx(request) else "")
    return render(
        request, template, {"form": form, "page": page, "query": _query_without_page(request)}
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show one organisation with its sites on a map."""
    organisation = selectors.organisation_get(actor=request.user, slug=slug)
    context = {
        "organisation": organisation,
        "can_edit": can_edit_organisation(actor=request.user, organisation=organisation),
        "points": selectors.site_map_points(actor=request.user, organisation=organisation.slug),
    }
    return render(request, "network/organisation_detail.html", context)


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit an organisation's profile."""
    organisation = selectors.organisation_get(actor=request.user, slug=slug)
    if not can_edit_organisation(actor=request.user, organisation=organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, initial=_organisation_initial(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, origin="web", **form.cleaned_data
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("organisation_detail", slug=organisation.slug)
    context = {"form": form, "organisation": organisation}
    return render(
        request, "network/organisation_form.html", context, status=400 if form.errors else 200
    )


def _organisation_initial(organisation: Any) -> dict[str, Any]:
    return {
        "name": organisation.name,
        "legal_form": organisation.legal_form,
        "kind": organisation.kind,
        "size_class": organisation.size_class,
        "website": organisation.website,
        "description": organisation.description,
        "roles": [stage.code for stage in organisation.roles.all()],
        "competences": [c.code for c in organisation.competences.all()],
    }


@login_required
def site_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a site to an organisation."""
    organisation = selectors.organisation_get(actor=request.user, slug=slug)
    if not can_edit_organisation(actor=request.user, organisation=organisation):
        raise PermissionDenied
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_create(
                actor=request.user, organisation=organisation, origin="web", **form.cleaned_data
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("The site is added."))
            return redirect("organisation_detail", slug=organisation.slug)
    context = {"form": form, "organisation": organisation, "site": None}
    return render(request, "network/site_form.html", context, status=400 if form.errors else 200)


@login_required
def site_edit(request: HttpRequest, site_id: int) -> HttpResponse:
    """Change a site; a new place is located again."""
    site = selectors.site_get(actor=request.user, site_id=site_id)
    if not can_edit_site(actor=request.user, site=site):
        raise PermissionDenied
    initial = {
        f: getattr(site, f) for f in ("name", "kind", "street", "postcode", "place", "state")
    }
    form = SiteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_update(actor=request.user, site=site, origin="web", **form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("The site is saved."))
            return redirect("organisation_detail", slug=site.organisation.slug)
    context = {"form": form, "organisation": site.organisation, "site": site}
    return render(request, "network/site_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def site_delete(request: HttpRequest, site_id: int) -> HttpResponse:
    """Delete a site."""
    site = selectors.site_get(actor=request.user, site_id=site_id)
    slug = site.organisation.slug
    try:
        services.site_delete(actor=request.user, site=site, origin="web")
    except ApplicationError as refused:  # e.g. a higher app still refers to the site
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The site is deleted."))
    return redirect("organisation_detail", slug=slug)


def site_map(request: HttpRequest) -> HttpResponse:
    """Show all sites on a map that works offline, optionally of one network."""
    network = request.GET.get("network", "")
    context = {
        "points": selectors.site_map_points(actor=request.user, network=network),
        "networks": selectors.network_list(actor=request.user),
        "network": network,
    }
    return render(request, "network/map.html", context)


def network_list(request: HttpRequest) -> HttpResponse:
    """List the networks."""
    context = {
        "networks": selectors.network_list(actor=request.user).prefetch_related("topic_tables")
    }
    return render(request, "network/network_list.html", context)


def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a network: members, topic tables, map."""
    network = selectors.network_get(actor=request.user, slug=slug)
    context = {
        "network": network,
        "members": selectors.network_members(actor=request.user, network=network),
        "topic_tables": selectors.topic_table_list(actor=request.user, network=slug),
        "points": selectors.site_map_points(actor=request.user, network=slug),
    }
    return render(request, "network/network_detail.html", context)


def topic_table_detail(request: HttpRequest, network_slug: str, slug: str) -> HttpResponse:
    """Show a topic table: action fields, meetings, barriers, needs, pilots."""
    table = selectors.topic_table_get_by_slug(actor=request.user, network=network_slug, slug=slug)
    return render(request, "network/topic_table_detail.html", {"table": table})


@login_required
def registry_import(request: HttpRequest) -> HttpResponse:
    """Import organisations or sites from a CSV or XLSX table; all rows or none."""
    form = RegistryImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        "form": form, "columns": TABLE_COLUMNS, "limits": import_limits()
    }  # fmt: skip
    if request.method == "POST" and form.is_valid():
        importer = IMPORTERS[form.cleaned_data["entity"]]
        context |= import_upload(form, partial(importer, actor=request.user, origin="web"))
    failed = bool(form.errors or context.get("rejected"))
    return render(request, "network/import.html", context, status=400 if failed else 200)


@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    """Show the audit trail of the facilitator's networks (all of it for admins)."""
    if not can_view_audit_trail(actor=request.user):
        raise PermissionDenied
    page = Paginator(selectors.audit_event_list(actor=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "network/audit_trail.html", {"page": page})
