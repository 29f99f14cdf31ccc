"""No input makes the server fail: a table of hostile inputs against every API operation and
every page, on SQLite and PostgreSQL.

The operations come from the OpenAPI document and the pages from the URL resolver, so a new
route is covered without touching this file. Every answer must be below 500; under /api/ every
refusal is problem+json; a NUL character (U+0000) anywhere in path, query or body is refused
with 400 before any view runs (PostgreSQL cannot take it in a query).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from metalloop.accounts.models import User
from metalloop.api import api
from metalloop.common.problems import PROBLEM_CONTENT_TYPE
from metalloop.exchange.models import Listing, ListingAttachment, Processor
from metalloop.matching.models import Proposal, SavedSearch
from metalloop.network.models import Network, Site, TopicTable

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("hostile_input")]

NUL = "\x00"
LONG_TEXT = "Ü" * 20_000
HOSTILE_NUMBERS = [
    "99999999999999999999",
    "9223372036854775808",
    "-99999999999999999999",
    "-1",
    "0",
    "NaN",
    "Infinity",
    "1e309",
    "1.5",
]
HOSTILE_TEXTS = [NUL, f"a{NUL}b", LONG_TEXT]
# JSON values put into one property of a body at a time.
HOSTILE_JSON_VALUES = [
    NUL,
    LONG_TEXT,
    10**30,
    -(10**30),
    2**63,
    1e300,
    -1.5,
    [],
    {},
    None,
    True,
]
# Whole bodies that are no strict JSON: each is 400.
UNREADABLE_JSON_BODIES = [
    b'{"name": ',
    b'{"quantity": NaN}',
    b'{"quantity": Infinity}',
    b'{"quantity": 1e400}',
    b'{"name": "\\ud800"}',
    b"\xff\xfe\x00",
    b'{"name": "\\u0000"}',
]

DOCUMENT = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))
OPERATIONS = [
    (path, method, operation)
    for path, methods in DOCUMENT["paths"].items()
    for method, operation in methods.items()
]


# --- the world the requests run in ------------------------------------------------------------


@pytest.fixture
def admin_client(demo_tokens) -> Client:
    """A client with the demo admin's API token and browser session."""
    client = Client(headers={"Authorization": f"Bearer {demo_tokens['admin']}"})
    client.force_login(User.objects.get(email="admin@demo.metalloop.example"))
    return client


@pytest.fixture
def known_values(demo_tokens) -> dict[str, list[str]]:
    """Real values for path parameters, by name: the first that finds a record is used."""
    network = Network.objects.order_by("pk").first()
    listing = Listing.objects.order_by("pk").first()
    assert network is not None
    assert listing is not None
    attachment = ListingAttachment.objects.order_by("pk").first()
    values = {
        "listing_id": [listing.pk],
        "processor_id": [Processor.objects.order_by("pk").values_list("pk", flat=True).first()],
        "site_id": [Site.objects.order_by("pk").values_list("pk", flat=True).first()],
        "organisation_id": [listing.organisation_id],
        "topic_table_id": [TopicTable.objects.order_by("pk").values_list("pk", flat=True).first()],
        "proposal_id": [Proposal.objects.order_by("pk").values_list("pk", flat=True).first()],
        "search_id": [SavedSearch.objects.order_by("pk").values_list("pk", flat=True).first()],
        "attachment_id": [attachment.pk if attachment else 1],
        "slug": [network.slug, listing.organisation.slug, "alloys"],
        "network_slug": [network.slug],
        "kind": ["alloys"],
        "code": ["EN10088:1.4301"],
        "side": ["offer"],
        "fmt": ["csv"],
    }
    known = {name: [str(v) for v in found if v is not None] for name, found in values.items()}
    return {name: found for name, found in known.items() if found}


def assert_no_server_error(response: Any, url: str) -> None:
    release(response)
    assert response.status_code < 500, f"{response.status_code} for {url!r}"
    if url.startswith("/api/") and response.status_code >= 400 and response.status_code != 405:
        assert response["Content-Type"] == PROBLEM_CONTENT_TYPE, f"{url!r}: {response}"
        problem = response.json()
        assert problem["status"] == response.status_code
        assert problem["title"]


def release(response: Any) -> None:
    """Close a download (a FileResponse holds its file open) the way the test client closes
    other answers: without ``request_finished``, whose handler would close the connection
    that holds the test's transaction on PostgreSQL (its autocommit differs from the
    settings). The test client has already closed an answer that is not streamed."""
    if not getattr(response, "streaming", False):
        return
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def assert_refused_as_unreadable(response: Any, url: str) -> None:
    release(response)
    assert response.status_code == 400, f"{response.status_code} for {url!r}"
    if url.startswith("/api/"):
        assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
        assert response.json()["status"] == 400
    else:
        assert response["Content-Type"].startswith("text/html")
        assert "NUL" in response.content.decode()


# --- the API -------------------------------------------------------------------------------


def api_url(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: quote(values[m.group(1)], safe=""), path)


def path_values(operation: dict[str, Any], known: dict[str, list[str]]) -> dict[str, str]:
    values = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            schema = parameter["schema"]
            default = schema.get("enum", ["1"])[0]
            values[parameter["name"]] = known.get(parameter["name"], [default])[0]
    return values


def json_body_schema(operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    return content.get("application/json", {}).get("schema")


def body_properties(operation: dict[str, Any]) -> list[str]:
    """The top-level property names of an operation's JSON body."""
    schema = json_body_schema(operation)
    assert schema is not None
    if "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return list(schema.get("properties", {}))


@pytest.mark.parametrize(
    ("path", "method", "operation"),
    OPERATIONS,
    ids=[operation["operationId"] for _, _, operation in OPERATIONS],
)
def test_api_operation_survives_hostile_input(admin_client, known_values, path, method, operation):
    values = path_values(operation, known_values)
    send = getattr(admin_client, method)

    for name in values:
        for hostile in [*HOSTILE_TEXTS, *HOSTILE_NUMBERS]:
            url = api_url(path, {**values, name: hostile})
            response = send(url)
            if NUL in hostile:
                assert_refused_as_unreadable(response, url)
            else:
                assert_no_server_error(response, url)

    url = api_url(path, values)
    queries = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    for name in [*queries, "unknown"]:
        for hostile in [*HOSTILE_TEXTS, *HOSTILE_NUMBERS]:
            query = f"{url}?{urlencode({name: hostile})}"
            response = send(query) if method in ("get", "delete") else send(query, data={})
            if NUL in hostile:
                assert_refused_as_unreadable(response, query)
            else:
                assert_no_server_error(response, query)

    if json_body_schema(operation) is None:
        return
    for name in body_properties(operation):
        for hostile in HOSTILE_JSON_VALUES:
            body = json.dumps({name: hostile})
            response = send(url, data=body, content_type="application/json")
            if hostile == NUL:
                assert_refused_as_unreadable(response, f"{url} {body[:60]}")
            else:
                assert_no_server_error(response, f"{url} {body[:60]}")
    for body in UNREADABLE_JSON_BODIES:
        response = send(url, data=body, content_type="application/json")
        assert_refused_as_unreadable(response, f"{url} {body!r}")
    for content_type in ("text/plain", "application/xml", "application/x-www-form-urlencoded"):
        response = send(url, data="name=x&quantity=1", content_type=content_type)
        assert_no_server_error(response, f"{url} as {content_type}")
    response = send(url, data="name=%00", content_type="application/x-www-form-urlencoded")
    assert_refused_as_unreadable(response, f"{url} form with NUL")
    if method == "post":
        response = admin_client.post(url, data={"kind": NUL, "name": "x"})  # multipart
        assert_refused_as_unreadable(response, f"{url} multipart with NUL")


def test_a_nul_in_a_public_read_is_refused_for_anonymous_visitors(demo_tokens, client):
    for url in ("/api/v1/organisations?q=%00", "/api/v1/networks/%00", "/organisations/?q=%00"):
        response = client.get(url)
        assert_refused_as_unreadable(response, url)


def test_the_refusal_names_where_the_nul_was(demo_tokens, client):
    answers = {
        "/api/v1/networks/a%00b": "The address contains a NUL character (U+0000).",
        "/api/v1/organisations?q=%00": "A query parameter contains a NUL character (U+0000).",
    }
    for url, detail in answers.items():
        problem = client.get(url, headers={"Accept-Language": "en"}).json()
        assert problem == {
            "type": "about:blank",
            "title": "The request contains something that cannot be read.",
            "status": 400,
            "instance": problem["instance"],
            "detail": detail,
        }
    german = client.get("/organisations/?q=%00")
    assert "Ein Abfrageparameter enthält ein NUL-Zeichen (U+0000)." in german.content.decode()


def test_a_body_above_the_limit_is_413(admin_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"name": "x" * 2000})
    response = admin_client.post(
        "/api/v1/organisations", data=body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["title"] == "Die Anfrage ist zu groß."
    assert response.json()["detail"].startswith("Die Anfrage enthielt mehr als 1000")


def test_uploaded_files_may_hold_nul_bytes(admin_client, known_values):
    """A file is binary: its NUL bytes are not refused, only a NUL in the form's fields."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    listing_id = known_values["listing_id"][0]
    content = b"%PDF-1.4\n\x00\x01\x02 binary\n%%EOF\n"
    pdf = SimpleUploadedFile("analyse.pdf", content, "application/pdf")
    url = f"/api/v1/listings/{listing_id}/attachments"
    response = admin_client.post(url, data={"file": pdf, "kind": "analysis_certificate"})
    assert response.status_code == 201, response.content
    assert response.json()["size"] == len(content)


# --- the pages -----------------------------------------------------------------------------


def page_patterns() -> Iterator[tuple[str, list[str]]]:
    """Every page route as (route with {name} placeholders, parameter names), API excluded."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, list[str]]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                names = re.findall(r"<(?:\w+:)?(\w+)>", route)
                yield re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).lstrip("^").rstrip("$"), names

    for route, names in walk(get_resolver().url_patterns, "/"):
        if route.startswith("/api/") or "(?P" in route or "\\" in route:
            continue
        # Django's admin is Django's code: its lists and searches are covered, not each record.
        if route.startswith("/admin/") and names:
            continue
        yield route, names


PAGES = sorted({(route, tuple(names)) for route, names in page_patterns()})
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)


def page_url(route: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: quote(values[m.group(1)], safe=""), route)


def working_url(client: Client, route: str, names: tuple[str, ...], known) -> str:
    """The route filled with the first known values that give a page (else the first tried)."""
    first = ""
    for attempt in range(3):
        values = {n: known.get(n, ["1"])[min(attempt, len(known.get(n, ["1"])) - 1)] for n in names}
        url = page_url(route, values)
        first = first or url
        response = client.get(url)
        release(response)
        if response.status_code == 200:
            return url
    return first


def forms_of(html: str) -> list[tuple[str, str, list[str]]]:
    """The forms of a page as (method, action, field names)."""
    found = []
    for attributes, inner in FORM.findall(html):
        method = re.search(r"method=\"(\w+)\"", attributes, re.I)
        action = re.search(r"action=\"([^\"]*)\"", attributes, re.I)
        fields = sorted(set(FIELD.findall(inner)) - {"csrfmiddlewaretoken"})
        found.append(
            (
                (method.group(1) if method else "get").lower(),
                action.group(1) if action else "",
                fields,
            )
        )
    return found


PAGE_HOSTILE_VALUES = [NUL, LONG_TEXT, "99999999999999999999", "-99999999999999999999"]


@pytest.mark.parametrize(("route", "names"), PAGES, ids=[route for route, _ in PAGES])
def test_page_survives_hostile_input(admin_client, known_values, route, names):
    for name in names:
        for hostile in [NUL, "99999999999999999999", "-1"]:
            url = page_url(
                route, {n: known_values.get(n, ["1"])[0] for n in names} | {name: hostile}
            )
            response = admin_client.get(url)
            if NUL in hostile:
                assert_refused_as_unreadable(response, url)
            else:
                assert_no_server_error(response, url)
    if not names:
        assert_refused_as_unreadable(admin_client.get(route + "%00"), route + "%00")

    url = working_url(admin_client, route, names, known_values)
    page = admin_client.get(url)
    assert_no_server_error(page, url)  # closes a download
    is_html = page.get("Content-Type", "").startswith("text/html")
    forms = forms_of(page.content.decode(errors="replace")) if is_html else []
    query_names = {"q", "page"} | {
        f for method, _, fields in forms if method == "get" for f in fields
    }
    for hostile in PAGE_HOSTILE_VALUES:
        query = f"{url}?{urlencode(dict.fromkeys(sorted(query_names), hostile))}"
        response = admin_client.get(query)
        if NUL in hostile:
            assert_refused_as_unreadable(response, query)
        else:
            assert_no_server_error(response, query)
    for method, action, fields in forms:
        target = action or url
        if method != "post" or "logout" in target or target.startswith(("/admin/", "http")):
            continue
        for hostile in PAGE_HOSTILE_VALUES:
            # "probe" puts the value into the body also where a form has no field of its own.
            data = dict.fromkeys([*fields, "probe"], hostile)
            response = admin_client.post(target, data=data)
            if NUL in hostile:
                assert_refused_as_unreadable(response, f"POST {target}")
            else:
                assert_no_server_error(response, f"POST {target} {hostile[:20]!r}")


def test_a_posted_row_count_cannot_make_a_form_build_thousands_of_rows(admin_client):
    from metalloop.exchange.forms.processors import MAX_MATERIAL_ROWS

    data = {
        "inputs-TOTAL_FORMS": "99999999999999999999",
        "inputs-INITIAL_FORMS": "0",
        "outputs-TOTAL_FORMS": "1",
        "outputs-INITIAL_FORMS": "0",
    }
    response = admin_client.post("/exchange/processors/new/", data=data)
    assert response.status_code == 400
    rows = set(re.findall(r'name="inputs-(\d+)-material"', response.content.decode()))
    assert len(rows) == MAX_MATERIAL_ROWS


def test_an_unknown_network_in_a_matching_address_is_404(admin_client):
    for suffix in ("", "impact/", "impact.csv"):
        response = admin_client.get(f"/matching/networks/no-such-network/{suffix}")
        assert response.status_code == 404, suffix
    for suffix in ("run/", "release/", "settings/"):
        response = admin_client.post(f"/matching/networks/no-such-network/{suffix}")
        assert response.status_code == 404, suffix
