"""Listings and processors refuse control characters on every path that stores their text:
the API (422 naming the field), the forms, imports (line and column) and the admin."""

from __future__ import annotations

import pytest

from metalloop.common.models import AuditEvent
from metalloop.common.tabular import parse_csv
from metalloop.exchange import services
from metalloop.exchange.models import Listing, Processor
from tests.exchange.test_api import listing_body, processor_body, send
from tests.exchange.test_views import offer_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

BELL = "Drehspäne\x07 1.4301"
CONTROL = "The text holds a control character (U+0007) at position 10; remove it."
LINE = "This field is a single line: remove the line break or tab at position 10."
DIRECTION = (
    "The text holds a character that changes the writing direction (U+202E) at position 6; "
    "it can make a text read differently from what it says. Remove it."
)


def refused(response, field, message):
    """The answer is a 422 problem naming the field, its message and the code."""
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["errors"], body["codes"]) == ({field: [message]}, {field: ["refused_character"]})


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("title", BELL, CONTROL),
        ("title", "Drehspäne\n1.4301", LINE),
        ("description", "Späne\u202e ölarm", DIRECTION),
        (
            "size",
            "5-20 mm\x00",
            "The text holds a control character (U+0000) at position 8; remove it.",
        ),
    ],
)
def test_the_api_refuses_a_new_listing_with_a_refused_character(
    client, token_for, member, network, site, field, text, message
):
    headers = token_for(member) | {"Accept-Language": "en"}
    events = AuditEvent.objects.count()

    response = send(
        client, "post", "/api/v1/listings", headers, listing_body(network, site, **{field: text})
    )

    refused(response, field, message)
    assert not Listing.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_api_refuses_a_change_with_a_refused_character_and_keeps_the_listing(
    client, token_for, member, anonymous_offer
):
    headers = token_for(member) | {"Accept-Language": "en"}
    events = AuditEvent.objects.count()

    response = send(
        client,
        "patch",
        f"/api/v1/listings/{anonymous_offer.pk}",
        headers,
        {"title": BELL, "description": "neu"},
    )

    refused(response, "title", CONTROL)
    anonymous_offer.refresh_from_db()
    assert (anonymous_offer.title, anonymous_offer.description) == (
        "Drehspäne 1.4301, sortenrein",
        "Späne aus der Serienfertigung, ölarm.",
    )
    assert AuditEvent.objects.count() == events


def test_the_api_refuses_processors_with_a_refused_character(
    client, token_for, member, network, site
):
    headers = token_for(member) | {"Accept-Language": "en"}
    created = send(client, "post", "/api/v1/processors", headers, processor_body(network, site))
    assert created.status_code == 201

    new = send(
        client, "post", "/api/v1/processors", headers, processor_body(network, site, name=BELL)
    )
    change = send(
        client,
        "patch",
        f"/api/v1/processors/{created.json()['id']}",
        headers,
        {"description": "Späne\u202e ölarm"},
    )

    refused(new, "name", CONTROL)
    refused(change, "description", DIRECTION)
    assert list(Processor.objects.values_list("name", "description")) == [("Kabelgranulierung", "")]


def test_the_offer_form_shows_the_refusal_at_the_field_and_saves_nothing(
    client_for, member, network, site
):
    response = client_for(member).post(
        "/exchange/listings/new/offer/", offer_form(site, network, title=BELL)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["title"] == [
        "Der Text enthält ein Steuerzeichen (U+0007) an Stelle 10; bitte entfernen Sie es."
    ]
    assert not Listing.objects.exists()


def test_an_import_names_the_line_and_column_of_every_refused_character(member, network, site):
    header = "side,kind,title,description,material,legal_status,form,quantity,unit,available_from,transport_modes\n"
    text = (
        header
        + "offer,scrap,Späne,gut,MAT:steel-non-alloy,by_product,sheet,5,t,2026-03-01,road\n"
        + f'offer,scrap,{BELL},"zwei\nZeilen",MAT:steel-non-alloy,by_product,sheet,5,t,2026-03-01,road\n'
        + 'offer,scrap,"Drehspäne\n1.4301",x,MAT:steel-non-alloy,by_product,sheet,5,t,2026-03-01,road\n'
        + "offer,scrap,Späne,x,MAT:steel-non-alloy,by_product,sheet,5,t,2026-03-01,ro\x00ad\n"
    )

    with pytest.raises(services.ImportRejected) as rejected:
        services.listings_import(actor=member, network=network, table=parse_csv(text))

    assert [(e.line, e.field, e.message) for e in rejected.value.errors] == [
        (3, "title", CONTROL),
        (5, "title", LINE),
        (
            7,
            "transport_modes",
            "The text holds a control character (U+0000) at position 3; remove it.",
        ),
    ]
    assert not Listing.objects.exists()


def test_the_admin_refuses_a_refused_character_at_the_field(
    client_for, facilitator, anonymous_offer
):
    page = client_for(facilitator).get(f"/admin/exchange/listing/{anonymous_offer.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in ((n, form[n].value()) for n in form.fields)
        if value is not None
    }
    data |= {"title": BELL}
    inlines = page.context["inline_admin_formsets"]
    for inline in inlines:
        management = inline.formset.management_form
        data |= {
            f"{inline.formset.prefix}-{name}": management[name].value()
            for name in management.fields
        }
        for number, subform in enumerate(inline.formset.forms):
            for name in subform.fields:
                value = subform[name].value()
                if value is not None:
                    data[f"{inline.formset.prefix}-{number}-{name}"] = value

    response = client_for(facilitator).post(
        f"/admin/exchange/listing/{anonymous_offer.pk}/change/", data
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title"] == [
        "Der Text enthält ein Steuerzeichen (U+0007) an Stelle 10; bitte entfernen Sie es."
    ]
    anonymous_offer.refresh_from_db()
    assert anonymous_offer.title == "Drehspäne 1.4301, sortenrein"
