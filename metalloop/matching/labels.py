"""Words for the codes of matching, in the active language, for the pages.

The API answers with the codes (machine-readable); the pages show these labels, and the
explanation's figures as sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from metalloop.exchange.adapters import label_of
from metalloop.exchange.models import LegalStatus, MaterialForm, ProcessKind, TransportMode
from metalloop.matching.models import (
    OutcomeResult,
    PartyRole,
    ProposalKind,
    ProposalStatus,
    Reason,
    Response,
)

RULES = {
    "material": gettext_lazy("Material"),
    "grade": gettext_lazy("Grade or alloy"),
    "legal_status": gettext_lazy("Legal status and permits"),
    "form": gettext_lazy("Form"),
    "time_window": gettext_lazy("Time window"),
    "quantity": gettext_lazy("Quantity"),
    "distance": gettext_lazy("Distance"),
    "transport": gettext_lazy("Transport"),
    "processor": gettext_lazy("Processing"),
}
VERDICTS = {
    "fits": gettext_lazy("fits"),
    "fits_after_dilution": gettext_lazy("fits after dilution"),
    "does_not_fit": gettext_lazy("does not fit"),
    "not_analysed": gettext_lazy("not analysed: to be checked"),
    "no_limits": gettext_lazy("the buyer sets no chemistry limits"),
}
LINE_STATUSES = {
    "ok": gettext_lazy("within the limit"),
    "too_high": gettext_lazy("too high"),
    "too_low": gettext_lazy("too low"),
    "missing": gettext_lazy("missing"),
    "unexpected": gettext_lazy("not expected"),
    "not_analysed": gettext_lazy("not analysed"),
}
SCORE_PARTS = {
    "r_strategy": gettext_lazy("R-strategy"),
    "co2": gettext_lazy("CO2 per tonne"),
    "quantity": gettext_lazy("quantity fit"),
    "quality": gettext_lazy("data quality"),
    "feedback": gettext_lazy("experience with similar proposals"),
}


def _choice(choices: Any, value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def kind(value: str) -> str:
    return _choice(ProposalKind, value)


def status(value: str) -> str:
    return _choice(ProposalStatus, value)


def mode(value: str) -> str:
    return _choice(TransportMode, value)


def role(value: str) -> str:
    return _choice(PartyRole, value)


def response(value: str) -> str:
    return _choice(Response, value)


def reason(value: str) -> str:
    return _choice(Reason, value)


def result(value: str) -> str:
    return _choice(OutcomeResult, value)


def verdict(value: str) -> str:
    return str(VERDICTS.get(value, value))


def released(proposals: int, organisations: int) -> str:
    """ "3 proposals released. 4 organisations told." (after a release)."""
    return " ".join(
        [
            ngettext("%(n)s proposal released.", "%(n)s proposals released.", proposals)
            % {"n": proposals},
            ngettext("%(n)s organisation told.", "%(n)s organisations told.", organisations)
            % {"n": organisations},
        ]
    )


def _number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else number_format(round(value, digits), digits)


def day(value: str | None) -> str:
    """A date in the active language's short format ("" for none)."""
    parsed = parse_date(value) if value else None
    return date_format(parsed, "SHORT_DATE_FORMAT") if parsed else ""


def _date(value: str | None) -> str:
    day = parse_date(value) if value else None
    return date_format(day, "SHORT_DATE_FORMAT") if day else _("open")


def _names(codes: Iterable[str]) -> str:
    return ", ".join(label_of(c) or c for c in codes) or "—"


def _forms(values: Iterable[str]) -> str:
    return ", ".join(_choice(MaterialForm, v) for v in values) or _("any")


def facts(rule: str, found: Mapping[str, Any]) -> str:
    """The figures a rule compared, as a sentence."""
    if rule == "material":
        return _("%(offered)s; the buyer takes %(accepted)s") % {
            "offered": label_of(found["offered"]) or found["offered"],
            "accepted": _names(found["accepted"]),
        }
    if rule == "grade":
        if not found["accepted"]:
            return _("the buyer asks for no particular grade")
        return _("matching: %(matched)s (the buyer takes %(accepted)s)") % {
            "matched": ", ".join(found["matched"]) or "—",
            "accepted": ", ".join(found["accepted"]),
        }
    if rule == "legal_status":
        text = _choice(LegalStatus, found["status"])
        if found.get("waste_code"):
            permitted = _("covered by the buyer's permits") if found["permitted"] else ""
            text = f"{text}, {found['waste_code']} {permitted}".strip()
        return text
    if rule == "form":
        return _("%(offered)s; accepted: %(accepted)s") % {
            "offered": _choice(MaterialForm, found["offered"]) or "—",
            "accepted": _forms(found["accepted"]),
        }
    if rule == "time_window":
        return _("%(start)s to %(end)s") % {
            "start": _date(found["from"]),
            "end": _date(found["until"]),
        }
    if rule == "quantity":
        return _(
            "%(delivered)s t delivered of %(wanted)s t wanted in the horizon; minimum lot %(lot)s t"
        ) % {
            "delivered": _number(found["delivered_t"]),
            "wanted": _number(found["wanted_t"]),
            "lot": _number(found["min_lot_t"]),
        }
    if rule == "distance":
        return _("%(road)s km by road (%(air)s km as the crow flies); at most %(limit)s km") % {
            "road": _number(found["road_km"], 0),
            "air": _number(found["great_circle_km"], 0),
            "limit": _number(found["max_km"], 0),
        }
    if rule == "transport":
        return mode(found["mode"])
    if rule == "processor":
        return _processing(found)
    return ""


def _processing(found: Mapping[str, Any]) -> str:
    """The process and the yield of the output delivered, then any co-products."""
    text = _("%(process)s, yield %(share)s %%") % {
        "process": _choice(ProcessKind, found["process"]),
        "share": _number(found["yield"] * 100, 0),
    }
    others = found.get("co_products") or []
    if not others:
        return text
    listed = ", ".join(
        _("%(material)s %(share)s %%")
        % {
            "material": label_of(o["material"]) or o["material"],
            "share": _number(o["yield"] * 100, 0),
        }
        for o in others
    )
    return _("%(text)s; the same input also yields %(others)s") % {"text": text, "others": listed}
