"""The data-quality level of a listing: how complete and how checked its data are.

Computed from what a listing holds, never entered: a pure function of the facts, so the
matching engine, the pages and the API agree on it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

ANALYSIS_VALID_MONTHS = 24
"""An analysis older than this [months] no longer counts as current."""


class QualityLevel(models.IntegerChoices):
    DECLARED = 1, _("declared")
    CLASSIFIED = 2, _("classified")
    ANALYSED = 3, _("analysed")
    VERIFIED = 4, _("verified")


QUALITY_MEANINGS = {
    QualityLevel.DECLARED: _("Material and quantity only."),
    QualityLevel.CLASSIFIED: _(
        "Scrap grade or alloy named, and the waste code where the material is waste."
    ),
    QualityLevel.ANALYSED: _(
        "Chemistry given with the analysis method and a date not older than 24 months."
    ),
    QualityLevel.VERIFIED: _(
        "Analysed, an analysis certificate attached, and checked by a facilitator of the network."
    ),
}


@dataclass(frozen=True)
class QualityFacts:
    """What the level depends on."""

    is_offer: bool
    has_grade: bool
    is_waste: bool
    has_waste_code: bool
    has_chemistry: bool
    has_method: bool
    analysis_date: dt.date | None
    has_certificate: bool
    verified: bool


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the month's last day where that month is shorter)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quality_level(facts: QualityFacts, *, today: dt.date) -> QualityLevel:
    """The highest level whose conditions hold (each level includes the ones below).

    Levels 3 and 4 describe an offered material's analysis; a demand reaches at most 2
    (acceptable grades named).
    """
    classified = facts.has_grade and (facts.has_waste_code or not facts.is_waste)
    if not classified:
        return QualityLevel.DECLARED
    current = facts.analysis_date is not None and facts.analysis_date >= months_before(
        today, ANALYSIS_VALID_MONTHS
    )
    analysed = facts.is_offer and facts.has_chemistry and facts.has_method and current
    if not analysed:
        return QualityLevel.CLASSIFIED
    if facts.has_certificate and facts.verified:
        return QualityLevel.VERIFIED
    return QualityLevel.ANALYSED
