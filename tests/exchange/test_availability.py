"""A listing whose availability has already ended is refused on every path (service, form,
API create and PATCH, import, CLI), with the error on ``available_until``; expired, fulfilled
and withdrawn listings keep their past end date and can still be edited and withdrawn."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from metalloop.common.imports import ImportRejected
from metalloop.common.models import AuditEvent
from metalloop.common.tabular import parse_csv
from metalloop.exchange import services
from metalloop.exchange.models import Listing, ListingStatus
from tests.cli.conftest import fail_command
from tests.exchange.conftest import TODAY, offer_values
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

YESTERDAY = TODAY - dt.timedelta(days=1)
ENDED_NEW = (
    "The availability has already ended ({day}); give today or a later date, or leave the end open."
)
ENDED = (
    "The availability ended on {day}; give a later end date to keep the listing active, or mark "
    "it fulfilled or withdrawn."
)


def _day(value: dt.date) -> str:
    return value.strftime("%m/%d/%Y")  # English SHORT_DATE_FORMAT


@pytest.fixture
def ended(make_listing, site):
    """An active offer whose end date passed since it was placed (not yet expired)."""
    listing = make_listing(site, available_until=TODAY)
    Listing.objects.filter(pk=listing.pk).update(
        available_from=TODAY - dt.timedelta(days=30), available_until=YESTERDAY
    )
    return Listing.objects.get(pk=listing.pk)


@pytest.fixture
def expired(ended):
    assert services.listings_expire(actor=None) == 1
    return Listing.objects.get(pk=ended.pk)


def _refused(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        call(**kwargs)
    return refused.value


# --- the services -------------------------------------------------------------------------------


def test_a_new_listing_that_already_ended_is_refused_at_its_end_date(
    member, network, site, english
):
    refused = _refused(
        services.listing_create,
        actor=member,
        network=network,
        site=site,
        **offer_values(available_from=TODAY - dt.timedelta(days=9), available_until=YESTERDAY),
    )
    assert refused.message_dict == {"available_until": [ENDED_NEW.format(day=_day(YESTERDAY))]}
    assert refused.error_dict["available_until"][0].code == "availability_ended"
    assert not Listing.objects.exists() and not AuditEvent.objects.exists()
    today = services.listing_create(
        actor=member, network=network, site=site, **offer_values(available_until=TODAY)
    )
    assert today.status == ListingStatus.ACTIVE


def test_an_active_listing_may_not_be_given_a_past_end(member, anonymous_offer, english):
    Listing.objects.filter(pk=anonymous_offer.pk).update(available_from=TODAY - dt.timedelta(9))
    anonymous_offer.refresh_from_db()
    refused = _refused(
        services.listing_update,
        actor=member,
        listing=anonymous_offer,
        available_until=YESTERDAY,
    )
    assert refused.message_dict == {"available_until": [ENDED.format(day=_day(YESTERDAY))]}
    anonymous_offer.refresh_from_db()
    assert anonymous_offer.available_until is None
    assert not AuditEvent.objects.filter(action="update").exists()


def test_an_active_listing_past_its_end_is_not_edited_as_active(member, ended, english):
    refused = _refused(services.listing_update, actor=member, listing=ended, title="Neuer Titel")
    assert refused.message_dict == {"available_until": [ENDED.format(day=_day(YESTERDAY))]}
    assert Listing.objects.get(pk=ended.pk).title != "Neuer Titel"
    later = TODAY + dt.timedelta(days=30)
    services.listing_update(actor=member, listing=ended, title="Neuer Titel", available_until=later)
    assert (Listing.objects.get(pk=ended.pk).title, ended.available_until) == ("Neuer Titel", later)


@pytest.mark.parametrize("status", ["fulfilled", "withdrawn"])
def test_an_ended_listing_can_be_closed(member, ended, status):
    services.listing_update(actor=member, listing=ended, status=status)
    assert Listing.objects.get(pk=ended.pk).status == status


def test_an_ended_listing_can_be_withdrawn(member, ended):
    services.listing_withdraw(actor=member, listing=ended)
    assert Listing.objects.get(pk=ended.pk).status == ListingStatus.WITHDRAWN


def test_an_expired_listing_keeps_its_end_and_is_reactivated_only_with_a_new_one(
    member, expired, english
):
    services.listing_update(actor=member, listing=expired, title="Restposten")
    expired.refresh_from_db()
    assert (expired.title, expired.status) == ("Restposten", ListingStatus.EXPIRED)
    refused = _refused(services.listing_update, actor=member, listing=expired, status="active")
    assert refused.message_dict == {"available_until": [ENDED.format(day=_day(YESTERDAY))]}
    assert Listing.objects.get(pk=expired.pk).status == ListingStatus.EXPIRED
    later = TODAY + dt.timedelta(days=14)
    services.listing_update(actor=member, listing=expired, status="active", available_until=later)
    assert Listing.objects.get(pk=expired.pk).status == ListingStatus.ACTIVE


# --- the pages ----------------------------------------------------------------------------------


def test_the_form_refuses_an_ended_availability_at_its_field(client_for, member, network, site):
    from tests.exchange.test_views import offer_form

    data = offer_form(
        site,
        network,
        available_from=(TODAY - dt.timedelta(days=800)).isoformat(),
        available_until=(TODAY - dt.timedelta(days=730)).isoformat(),
    )
    answer = client_for(member).post("/exchange/listings/new/offer/", data)
    assert answer.status_code == 400
    day = (TODAY - dt.timedelta(days=730)).strftime("%d.%m.%Y")
    assert answer.context["form"].errors == {
        "available_until": [
            f"Die Verfügbarkeit ist bereits zu Ende ({day}); geben Sie heute oder ein späteres "
            "Datum an oder lassen Sie das Ende offen."
        ]
    }
    assert not Listing.objects.exists()


def test_the_edit_form_of_an_expired_listing_saves_changes_and_keeps_it_expired(
    client_for, member, expired
):
    client = client_for(member)
    url = f"/exchange/listings/{expired.pk}/edit/"
    page = client.get(url).content.decode()
    assert '<option value="expired" selected>abgelaufen</option>' in page
    data = form_data(page, "listing-form")
    assert client.post(url, data).status_code == 302  # unchanged
    data["title"] = ["Restposten Drehspäne"]
    assert client.post(url, data).status_code == 302
    expired.refresh_from_db()
    assert (expired.title, expired.status) == ("Restposten Drehspäne", ListingStatus.EXPIRED)
    assert expired.available_until == YESTERDAY


def test_the_edit_form_of_an_ended_active_listing_asks_for_a_new_end(client_for, member, ended):
    client = client_for(member)
    url = f"/exchange/listings/{ended.pk}/edit/"
    data = form_data(client.get(url).content.decode(), "listing-form")
    data["title"] = ["Neuer Titel"]
    answer = client.post(url, data)
    assert answer.status_code == 400
    assert list(answer.context["form"].errors) == ["available_until"]
    data["status"] = ["withdrawn"]
    assert client.post(url, data).status_code == 302
    assert Listing.objects.get(pk=ended.pk).status == ListingStatus.WITHDRAWN


# --- the API ------------------------------------------------------------------------------------


def test_the_api_refuses_an_ended_availability_on_create_and_patch(
    token_for, member, network, site, anonymous_offer, english
):
    client = Client(headers=token_for(member) | {"Accept-Language": "en"})
    payload = offer_values(available_from=TODAY - dt.timedelta(days=9), available_until=YESTERDAY)
    payload = {k: str(v) if not isinstance(v, list | int) else v for k, v in payload.items()}
    payload |= {"network": network.slug, "site": site.pk, "elements": []}
    created = client.post("/api/v1/listings", payload, content_type="application/json")
    assert created.status_code == 422
    assert created.json()["codes"] == {"available_until": ["availability_ended"]}
    assert Listing.objects.count() == 1
    patched = client.patch(
        f"/api/v1/listings/{anonymous_offer.pk}",
        {
            "available_from": (TODAY - dt.timedelta(9)).isoformat(),
            "available_until": str(YESTERDAY),
        },
        content_type="application/json",
    )
    assert patched.status_code == 422
    assert patched.json()["errors"] == {"available_until": [ENDED.format(day=_day(YESTERDAY))]}
    anonymous_offer.refresh_from_db()
    assert anonymous_offer.available_until is None


def test_the_api_edits_and_withdraws_an_expired_listing(token_for, member, expired):
    client = Client(headers=token_for(member))
    url = f"/api/v1/listings/{expired.pk}"
    answer = client.patch(url, {"title": "Restposten"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "expired"
    assert client.delete(url).status_code == 204
    assert Listing.objects.get(pk=expired.pk).status == ListingStatus.WITHDRAWN


# --- import and CLI -----------------------------------------------------------------------------

ROWS = (
    "side,kind,title,material,legal_status,form,quantity,unit,available_from,available_until,"
    "transport_modes\n"
    "offer,scrap,Stanzabfälle,MAT:steel-non-alloy,by_product,sheet,25,t,{start},{end},road\n"
)


def test_an_import_refuses_an_ended_availability_by_line_and_column(member, network, site, english):
    start, end = TODAY - dt.timedelta(days=60), TODAY - dt.timedelta(days=30)
    table = parse_csv(ROWS.format(start=start.isoformat(), end=end.isoformat()))
    with pytest.raises(ImportRejected) as rejected:
        services.listings_import(actor=member, network=network, table=table)
    assert [(e.line, e.field, e.message) for e in rejected.value.errors] == [
        (2, "available_until", ENDED_NEW.format(day=_day(end)))
    ]
    assert not Listing.objects.exists()


def test_the_cli_import_refuses_an_ended_availability(
    tmp_path: Path, member, network, site, english
):
    start, end = TODAY - dt.timedelta(days=60), TODAY - dt.timedelta(days=30)
    path = tmp_path / "listings.csv"
    path.write_text(ROWS.format(start=start.isoformat(), end=end.isoformat()), encoding="utf-8")
    error, stderr = fail_command(
        "listings", "import", str(path), "--network", network.slug, "--as", member.email
    )
    assert error == "nothing was imported: 1 row with errors"
    assert stderr.splitlines() == [f"line 2, available_until: {ENDED_NEW.format(day=_day(end))}"]
    assert not Listing.objects.exists()
