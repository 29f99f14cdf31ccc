"""Pages of processors: the list, a processor, the forms to declare and change one."""

from __future__ import annotations

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

from metalloop.common.http import is_htmx
from metalloop.exchange import presenters, selectors, services
from metalloop.exchange.forms import (
    InputFormSet,
    OutputFormSet,
    ProcessorFilterForm,
    ProcessorForm,
    add_processor_errors,
    filled_rows,
    input_initial,
    output_initial,
    processor_initial,
)
from metalloop.exchange.permissions import can_edit_processor
from metalloop.exchange.views._common import (
    PAGE_SIZE,
    network_choices,
    query_without_page,
    site_choices,
)


@login_required
@vary_on_headers("HX-Request")
def processor_list(request: HttpRequest) -> HttpResponse:
    """List processors with filters; htmx requests get the results only."""
    form = ProcessorFilterForm(request.GET, networks=network_choices(request.user))
    found = selectors.processor_list(
        actor=request.user, filters=selectors.ProcessorFilters(**form.filters())
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    revealed = selectors.revealed_processor_ids(actor=request.user, processors=found)
    crowds = selectors.network_crowds({p.network_id for p in page})
    items = [
        presenters.processor_out(
            actor=request.user, processor=p, revealed=p.pk in revealed, crowds=crowds[p.network_id]
        )
        for p in page
    ]
    template = "exchange/processor_list.html" + ("#results" if is_htmx(request) else "")
    context = {"form": form, "page": page, "items": items, "query": query_without_page(request)}
    return render(request, template, context)


@login_required
def processor_detail(request: HttpRequest, processor_id: int) -> HttpResponse:
    """Show one processor with its inputs and outputs."""
    processor = selectors.processor_get(actor=request.user, processor_id=processor_id)
    out = presenters.processor_out(actor=request.user, processor=processor)
    return render(request, "exchange/processor_detail.html", {"processor": out})


@login_required
def processor_create(request: HttpRequest) -> HttpResponse:
    """Declare a processing capability."""
    form = ProcessorForm(
        request.POST or None,
        networks=network_choices(request.user),
        sites=site_choices(request.user),
    )
    inputs = InputFormSet(request.POST or None, prefix="inputs")
    outputs = OutputFormSet(request.POST or None, prefix="outputs")
    if request.method == "POST" and form.is_valid() and inputs.is_valid() and outputs.is_valid():
        try:
            processor = services.processor_create(
                actor=request.user,
                network=selectors.network_by_slug(
                    actor=request.user, slug=form.cleaned_data["network"]
                ),
                site=selectors.site_by_id(actor=request.user, site_id=form.cleaned_data["site"]),
                inputs=filled_rows(inputs),
                outputs=filled_rows(outputs),
                origin="web",
                **form.service_values(),
            )
        except ValidationError as invalid:
            add_processor_errors(form, inputs, outputs, invalid)
        else:
            messages.success(request, _("The processor is declared."))
            return redirect("exchange:processor_detail", processor_id=processor.pk)
    return _processor_form(request, form, inputs, outputs, processor=None)


def _processor_form(
    request: HttpRequest, form: ProcessorForm, inputs: Any, outputs: Any, *, processor: Any
) -> HttpResponse:
    sets = (inputs, outputs)
    invalid = bool(
        form.errors
        or any(f.errors for s in sets for f in s.forms)
        or any(s.non_form_errors() for s in sets)
    )
    context = {"form": form, "inputs": inputs, "outputs": outputs, "processor": processor}
    return render(request, "exchange/processor_form.html", context, status=400 if invalid else 200)


@login_required
def processor_edit(request: HttpRequest, processor_id: int) -> HttpResponse:
    """Change a processor."""
    processor = selectors.processor_get(actor=request.user, processor_id=processor_id)
    if not can_edit_processor(actor=request.user, processor=processor):
        raise PermissionDenied
    form = ProcessorForm(
        request.POST or None,
        initial=processor_initial(processor),
        networks=network_choices(request.user),
        sites=site_choices(request.user),
        editing=True,
    )
    inputs = InputFormSet(request.POST or None, prefix="inputs", initial=input_initial(processor))
    outputs = OutputFormSet(
        request.POST or None, prefix="outputs", initial=output_initial(processor)
    )
    if request.method == "POST" and form.is_valid() and inputs.is_valid() and outputs.is_valid():
        try:
            services.processor_update(
                actor=request.user,
                processor=processor,
                site=selectors.site_by_id(actor=request.user, site_id=form.cleaned_data["site"]),
                inputs=filled_rows(inputs),
                outputs=filled_rows(outputs),
                origin="web",
                **form.service_values(),
            )
        except ValidationError as invalid:
            add_processor_errors(form, inputs, outputs, invalid)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("exchange:processor_detail", processor_id=processor.pk)
    return _processor_form(request, form, inputs, outputs, processor=processor)


@login_required
@require_POST
def processor_withdraw(request: HttpRequest, processor_id: int) -> HttpResponse:
    """Withdraw a processor."""
    processor = selectors.processor_get(actor=request.user, processor_id=processor_id)
    services.processor_withdraw(actor=request.user, processor=processor, origin="web")
    messages.success(request, _("The processor is withdrawn."))
    return redirect("exchange:processor_detail", processor_id=processor.pk)
