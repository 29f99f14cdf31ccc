"""Pages of the knowledge base: browse, search, read an entry, check an analysis."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from metalloop.common.forms import add_service_errors
from metalloop.core.materials.entries import Kind
from metalloop.materials import adapters, presenters, selectors
from metalloop.materials.forms import CheckForm, ClassifyForm
from metalloop.materials.labels import KIND_LABELS

PAGE_SIZE = 50


def reference_index(request: HttpRequest) -> HttpResponse:
    """Show the parts of the knowledge base and search across all of them."""
    q = request.GET.get("q", "").strip()
    found = selectors.reference_list(actor=request.user, q=q) if q else []
    counts = selectors.reference_counts(actor=request.user)
    kinds = [(kind, KIND_LABELS[kind], counts[kind]) for kind in Kind]
    return render(request, "materials/index.html", {"kinds": kinds, "q": q, "found": found[:200]})


def reference_kind(request: HttpRequest, kind: str) -> HttpResponse:
    """List one part of the knowledge base, searchable."""
    try:
        part = Kind(kind)
    except ValueError as unknown:
        raise Http404("no such part of the knowledge base") from unknown
    q = request.GET.get("q", "").strip()
    found = selectors.reference_list(actor=request.user, kind=part, q=q)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"kind": part, "label": KIND_LABELS[part], "q": q, "page": page}
    return render(request, "materials/kind.html", context)


def reference_entry(request: HttpRequest, code: str) -> HttpResponse:
    """Show one entry with every figure, its source and confidence."""
    entry = selectors.reference_get(actor=request.user, code=code)
    context = {
        "entry": entry,
        "out": presenters.entry_out(entry),
        "facts": presenters.entry_facts(entry),
        "label": KIND_LABELS[entry.kind],
        "links": adapters.knowledge().links_of(entry.code),
    }
    return render(request, "materials/entry.html", context)


def reference_check(request: HttpRequest) -> HttpResponse:
    """Check an analysis against a grade or alloy, and list the grades it fits."""
    form = CheckForm(request.GET or None)
    result = matches = None
    if form.is_bound and form.is_valid():
        try:
            entry, checked = adapters.check_analysis(
                form.cleaned_data["specification"], form.cleaned_data["analysis"]
            )
            result = presenters.check_out(entry, checked)
            matches = presenters.matches_out(
                adapters.classify_analysis(form.cleaned_data["analysis"])
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "result": result, "matches": matches}
    return render(request, "materials/check.html", context, status=status)


def reference_classify(request: HttpRequest) -> HttpResponse:
    """List the grades and alloys an analysis fits."""
    form = ClassifyForm(request.GET or None)
    matches = None
    if form.is_bound and form.is_valid():
        try:
            matches = presenters.matches_out(
                adapters.classify_analysis(form.cleaned_data["analysis"])
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "materials/classify.html", {"form": form, "matches": matches}, status=status
    )
