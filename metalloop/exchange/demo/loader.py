"""Load the exchange's demo listings and processors from ``data/*.yaml``.

A data file names its network and holds ``listings`` and ``processors``. To keep families of
similar listings readable, an entry may carry a ``template`` and ``variants``: every variant
is the template updated with the variant's keys. Dates are given as days from the day of
loading (``available_from: 0``, ``available_until: 120``, ``analysis_age_days: 60``), so the
demo looks current whenever it is loaded. ``certificate: true`` attaches a generated analysis
certificate (PDF); ``verified: true`` then records a facilitator's verification.

Everything is written through the services with ``actor=None`` (the operator) and
``origin="demo"``, inside the transaction of ``metalloop demo load``; a broken file or a
refused record leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from metalloop.accounts.models import Organisation
from metalloop.common.errors import ApplicationError, one_line
from metalloop.exchange.adapters import parse_chemistry
from metalloop.exchange.models import AttachmentKind, Listing
from metalloop.exchange.services import (
    attachment_add,
    listing_create,
    listing_verify,
    processor_create,
)
from metalloop.network.demo import DemoDataError
from metalloop.network.models import Network, Site

DATA_DIR = Path(__file__).resolve().parent / "data"
ORIGIN = "demo"


def keys(names: str) -> frozenset[str]:
    """The keys of a record, from space-separated names."""
    return frozenset(names.split())


LISTING_KEYS = keys(
    """side kind title description material grades waste_code legal_status form size quantity
    unit unit_mass_kg recurrence available_from available_until logistics transport_modes
    price_eur_per_t visibility analysis_method chemistry min_quantity min_lot_t max_distance_km
    r_strategy max_dilution_pct accepted_forms permitted_waste_codes organisation site
    analysis_age_days certificate verified"""
)
LISTING_REQUIRED = keys(
    """side kind title material legal_status form quantity unit available_from transport_modes
    organisation site"""
)
PROCESSOR_KEYS = keys(
    """name process description capacity_t_per_year max_distance_km transport_modes
    permitted_waste_codes visibility inputs outputs organisation site"""
)
PROCESSOR_REQUIRED = keys(
    "name process capacity_t_per_year transport_modes inputs outputs organisation site"
)
FILE_KEYS = frozenset({"network", "listings", "processors"})


def load(data_dir: Path | None = None) -> dict[str, int]:
    """Create the demo listings and processors of every data file; return the counts."""
    counts: Counter[str] = Counter({"listings": 0, "processors": 0, "attachments": 0})
    for path in sorted((data_dir or DATA_DIR).glob("*.yaml")):
        counts.update(DemoFile(path).write())
    return dict(counts)


def expand(entries: list[Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every record of a list, with template and variants merged."""
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise DemoDataError(f"{where} {index}: expected a mapping")
        if "template" not in entry:
            yield f"{where} {index}", entry
            continue
        if set(entry) - {"family", "template", "variants"} or not isinstance(
            entry.get("variants"), list
        ):
            raise DemoDataError(f"{where} {index}: a family has family, template and variants")
        for number, variant in enumerate(entry["variants"], start=1):
            if not isinstance(variant, dict):
                raise DemoDataError(f"{where} {index}, variant {number}: expected a mapping")
            label = entry.get("family", index)
            yield f"{where} {label}, variant {number}", {**entry["template"], **variant}


def checked(
    record: dict[str, Any], keys: frozenset[str], required: frozenset[str], where: str
) -> None:
    missing = sorted(required - set(record))
    unknown = sorted(set(record) - keys)
    if missing or unknown:
        raise DemoDataError(f"{where}: missing keys {missing}, unknown keys {unknown}")


@contextmanager
def record_context(where: str) -> Iterator[None]:
    """Name the record at fault when a service refuses it."""
    try:
        yield
    except (ValidationError, ApplicationError) as error:
        raise DemoDataError(f"{where}: {one_line(error)}") from error


class DemoFile:
    """One data file: its network, listings and processors."""

    def __init__(self, path: Path) -> None:
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise DemoDataError(f"{path.name}: not valid YAML ({error})") from error
        if not isinstance(content, dict) or set(content) - FILE_KEYS or "network" not in content:
            raise DemoDataError(f"{path.name}: expected network, listings and processors")
        self.name = path.name
        self.network = Network.objects.filter(slug=content["network"]).first()
        if self.network is None:
            raise DemoDataError(f"{path.name}: the network {content['network']!r} is not loaded")
        self.listings = list(expand(content.get("listings", []), f"{path.name}: listing"))
        self.processors = list(expand(content.get("processors", []), f"{path.name}: processor"))
        for where, record in self.listings:
            checked(record, LISTING_KEYS, LISTING_REQUIRED, where)
        for where, record in self.processors:
            checked(record, PROCESSOR_KEYS, PROCESSOR_REQUIRED, where)
        self.today = timezone.localdate()
        self.counts: Counter[str] = Counter()

    def write(self) -> Counter[str]:
        for where, record in self.listings:
            with record_context(where):
                self.create_listing(where, record)
        for where, record in self.processors:
            with record_context(where):
                self.create_processor(where, record)
        return self.counts

    def placement(self, record: dict[str, Any], where: str) -> dict[str, Any]:
        organisation = Organisation.objects.filter(slug=record.pop("organisation")).first()
        site = Site.objects.filter(organisation=organisation, name=record.pop("site")).first()
        if organisation is None or site is None:
            raise DemoDataError(f"{where}: no such organisation or site")
        return {"network": self.network, "organisation": organisation, "site": site}

    def day(self, offset: Any, where: str) -> dt.date | None:
        if offset is None:
            return None
        if not isinstance(offset, int) or isinstance(offset, bool):
            raise DemoDataError(f"{where}: dates are whole days from today, not {offset!r}")
        return self.today + dt.timedelta(days=offset)

    def create_listing(self, where: str, record: dict[str, Any]) -> None:
        values = dict(record)
        placement = self.placement(values, where)
        certificate = values.pop("certificate", False)
        verified = values.pop("verified", False)
        age = values.pop("analysis_age_days", None)
        values["available_from"] = self.day(values["available_from"], where)
        values["available_until"] = self.day(values.get("available_until"), where)
        values["analysis_date"] = self.day(-age, where) if age is not None else None
        values["elements"] = parse_chemistry(values.pop("chemistry", ""))
        listing = listing_create(actor=None, origin=ORIGIN, **placement, **values)
        self.counts["listings"] += 1
        if certificate:
            self.attach_certificate(listing)
        if verified:
            listing_verify(actor=None, listing=listing, origin=ORIGIN)

    def attach_certificate(self, listing: Listing) -> None:
        content = certificate_pdf(listing)
        upload = ContentFile(content, name=f"Analysenzertifikat-{listing.pk}.pdf")
        attachment_add(
            actor=None,
            listing=listing,
            file=upload,
            kind=AttachmentKind.ANALYSIS_CERTIFICATE,
            origin=ORIGIN,
        )
        self.counts["attachments"] += 1

    def create_processor(self, where: str, record: dict[str, Any]) -> None:
        values = dict(record)
        placement = self.placement(values, where)
        processor_create(actor=None, origin=ORIGIN, **placement, **values)
        self.counts["processors"] += 1


def certificate_pdf(listing: Listing) -> bytes:
    """A one-page PDF naming the listing's analysis: a stand-in for a laboratory's certificate."""
    lines = [
        "Demo-Analysenzertifikat (fiktiv)",
        f"Probe: {listing.title}",
        f"Methode: {listing.get_analysis_method_display()}, Datum: {listing.analysis_date}",
        *(f"{e.element}: {e.min_pct} - {e.max_pct} Gew.-%" for e in listing.elements.all()),
    ]
    text = "\n".join(
        f"BT /F1 11 Tf 56 {780 - 18 * i} Td ({_pdf_text(line)}) Tj ET"
        for i, line in enumerate(lines)
    ).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf_text(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
