"""A chemistry limit stays what was entered on every path: a maximum alone, a minimum alone, a
range and a point survive the form, the edit form submitted unchanged, the API (create, PATCH,
GET), the import, and an export imported again. Property tests over random shares of each
shape, for offers and demands."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metalloop.common.models import AuditEvent
from metalloop.common.tabular import parse_csv
from metalloop.exchange import services
from metalloop.exchange.adapters import ElementShare
from metalloop.exchange.models import Listing
from metalloop.exchange.services.transfer import LISTING_COLUMNS
from tests.exchange.conftest import TODAY, demand_values, offer_values
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SYMBOLS = ("Cr", "Ni", "Mo", "Cu", "Mn", "Sn", "Si")
VALUES = st.decimals(min_value=Decimal(0), max_value=Decimal(30), places=3)


def _shares_of(element: str) -> st.SearchStrategy[ElementShare]:
    """One element's share in one of the four shapes."""
    return st.one_of(
        VALUES.map(lambda v: ElementShare(element, None, v)),  # at most
        VALUES.map(lambda v: ElementShare(element, v, None)),  # at least
        st.tuples(VALUES, VALUES)
        .filter(lambda pair: pair[0] < pair[1])
        .map(lambda pair: ElementShare(element, *pair)),  # a range
        VALUES.map(lambda v: ElementShare(element, v, v)),  # a point
    )


CHEMISTRIES = st.lists(st.sampled_from(SYMBOLS), min_size=1, max_size=3, unique=True).flatmap(
    lambda elements: st.tuples(*(_shares_of(e) for e in elements)).map(list)
)
SIDES = st.sampled_from(["offer", "demand"])


def _stored(listing: Listing) -> list[ElementShare]:
    return sorted(
        (ElementShare(e.element, e.min_pct, e.max_pct) for e in listing.elements.all()),
        key=lambda s: s.element,
    )


def _sorted(shares: list[ElementShare]) -> list[ElementShare]:
    return sorted(shares, key=lambda s: s.element)


def _values(side: str, chemistry: list[ElementShare], **overrides):
    make = offer_values if side == "offer" else demand_values
    rows = [{"element": s.element, "min_pct": s.min_pct, "max_pct": s.max_pct} for s in chemistry]
    return make(elements=rows, **overrides)


def _text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _form(side: str, site, network, chemistry: list[ElementShare]) -> dict:
    values = _values(side, chemistry)
    data = {
        "network": network.slug,
        "site": site.pk,
        "logistics": "either",
        "visibility": "anonymous",
        "elements-TOTAL_FORMS": str(len(chemistry)),
        "elements-INITIAL_FORMS": "0",
    }
    for name, value in values.items():
        if name in ("side", "elements"):
            continue
        if isinstance(value, list):
            data[name] = value
        elif value is not None:
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    for n, share in enumerate(chemistry):
        data[f"elements-{n}-element"] = share.element
        data[f"elements-{n}-min_pct"] = _text(share.min_pct)
        data[f"elements-{n}-max_pct"] = _text(share.max_pct)
    return data


@given(side=SIDES, chemistry=CHEMISTRIES)
@EXAMPLES
def test_the_form_stores_each_shape_as_entered_and_shows_it(
    client_for, member, network, site, side, chemistry
):
    client = client_for(member)
    answer = client.post(f"/exchange/listings/new/{side}/", _form(side, site, network, chemistry))
    assert answer.status_code == 302, answer.context and answer.context["form"].errors
    listing = Listing.objects.get(pk=int(answer["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert _stored(listing) == _sorted(chemistry)
    page = client.get(answer["Location"]).context["listing"]
    assert [(e["element"], e["min_pct"], e["max_pct"]) for e in page["elements"]] == [
        (s.element, None if s.min_pct is None else float(s.min_pct),
         None if s.max_pct is None else float(s.max_pct))
        for s in _sorted(chemistry)
    ]  # fmt: skip


@given(side=SIDES, chemistry=CHEMISTRIES)
@EXAMPLES
def test_the_edit_form_submitted_unchanged_changes_nothing(
    client_for, member, network, site, side, chemistry
):
    listing = services.listing_create(
        actor=None, network=network, site=site, **_values(side, chemistry)
    )
    client = client_for(member)
    url = f"/exchange/listings/{listing.pk}/edit/"
    page = client.get(url)
    events = AuditEvent.objects.count()
    answer = client.post(url, form_data(page.content.decode(), "listing-form"))
    assert answer.status_code == 302, answer.context and answer.context["form"].errors
    assert AuditEvent.objects.count() == events  # nothing changed, nothing recorded
    assert _stored(Listing.objects.get(pk=listing.pk)) == _sorted(chemistry)


@given(side=SIDES, chemistry=CHEMISTRIES, changed=CHEMISTRIES)
@EXAMPLES
def test_the_api_keeps_each_shape_on_create_patch_and_get(
    token_for, member, network, site, side, chemistry, changed
):
    client = Client(headers=token_for(member))
    payload = _values(side, chemistry)
    payload |= {"network": network.slug, "site": site.pk}
    payload["elements"] = [
        {"element": s.element, "min_pct": _number(s.min_pct), "max_pct": _number(s.max_pct)}
        for s in chemistry
    ]
    created = client.post("/api/v1/listings", _json(payload), content_type="application/json")
    assert created.status_code == 201, created.json()
    url = f"/api/v1/listings/{created.json()['id']}"
    assert _shares(client.get(url).json()) == _sorted(chemistry)
    patch = {"elements": [{"element": s.element, "min_pct": _number(s.min_pct),
                           "max_pct": _number(s.max_pct)} for s in changed]}  # fmt: skip
    assert client.patch(url, patch, content_type="application/json").status_code == 200
    assert _shares(client.get(url).json()) == _sorted(changed)
    assert _stored(Listing.objects.get(pk=created.json()["id"])) == _sorted(changed)


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _json(values: dict) -> dict:
    return {
        k: (str(v) if isinstance(v, Decimal) else v.isoformat() if hasattr(v, "isoformat") else v)
        for k, v in values.items()
    }


def _shares(body: dict) -> list[ElementShare]:
    def exact(value: float | None) -> Decimal | None:
        return None if value is None else Decimal(repr(value))

    return _sorted(
        [
            ElementShare(e["element"], exact(e["min_pct"]), exact(e["max_pct"]))
            for e in body["elements"]
        ]
    )


def _cell(chemistry: list[ElementShare], comma: bool) -> str:
    """The chemistry cell as a person writes it (not through the exporter's own formatter)."""

    def number(value: Decimal) -> str:
        return str(value).replace(".", ",") if comma else str(value)

    parts = []
    for s in chemistry:
        if s.min_pct is None:
            parts.append(f"{s.element}<={number(s.max_pct)}")
        elif s.max_pct is None:
            parts.append(f"{s.element}>={number(s.min_pct)}")
        elif s.min_pct == s.max_pct:
            parts.append(f"{s.element}={number(s.min_pct)}")
        else:
            parts.append(f"{s.element}={number(s.min_pct)}-{number(s.max_pct)}")
    return ";".join(parts)


HEADER = "side,kind,title,material,legal_status,waste_code,form,quantity,unit,available_from,transport_modes,chemistry"


@given(side=SIDES, chemistry=CHEMISTRIES, comma=st.booleans())
@EXAMPLES
def test_an_import_stores_each_shape_of_its_cell(member, network, site, side, chemistry, comma):
    row = (
        f"{side},scrap,Stahlschrott,MAT:steel-non-alloy,waste,AVV:170405,mixed,10,t,"
        f'{TODAY.isoformat()},road,"{_cell(chemistry, comma)}"'
    )
    before = set(Listing.objects.values_list("pk", flat=True))
    result = services.listings_import(
        actor=member, network=network, table=parse_csv(f"{HEADER}\n{row}\n")
    )
    assert result.created == 1
    (new,) = Listing.objects.exclude(pk__in=before)
    assert _stored(new) == _sorted(chemistry)


@given(chemistries=st.lists(st.tuples(SIDES, CHEMISTRIES), min_size=1, max_size=3))
@EXAMPLES
def test_an_export_imports_again_without_changes(member, network, site, chemistries):
    Listing.objects.all().delete()
    for side, chemistry in chemistries:
        services.listing_create(actor=None, network=network, site=site, **_values(side, chemistry))
    stored = {listing.pk: _stored(listing) for listing in Listing.objects.all()}
    exported = services.listings_export(actor=member, network=network, format="csv")
    table = parse_csv(exported.content.decode("utf-8-sig"))
    assert table.columns == LISTING_COLUMNS
    events = AuditEvent.objects.count()
    result = services.listings_import(actor=member, network=network, table=table)
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(chemistries))
    assert AuditEvent.objects.count() == events
    assert {listing.pk: _stored(listing) for listing in Listing.objects.all()} == stored
