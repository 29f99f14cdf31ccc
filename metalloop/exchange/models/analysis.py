"""A listing's grades and alloys (what it is or accepts) and its analysis, element by element."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from metalloop.common.models import BaseModel
from metalloop.exchange import codes
from metalloop.exchange.models.listings import Listing


class ListingGrade(BaseModel):
    """A scrap grade or alloy: what an offer is, or what a demand accepts."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), on_delete=models.CASCADE, related_name="grades"
    )
    code = models.CharField(_("grade or alloy"), max_length=60, validators=[codes.validate_grade])

    class Meta:
        ordering = ["listing", "code"]
        verbose_name = _("grade or alloy")
        verbose_name_plural = _("grades and alloys")
        constraints = [
            models.UniqueConstraint(fields=["listing", "code"], name="listing_grade_unique"),
        ]

    def __str__(self) -> str:
        return self.code


class ListingElement(BaseModel):
    """The share of one element: an offer's analysed range, or a demand's limit [wt-%]."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), on_delete=models.CASCADE, related_name="elements"
    )
    element = models.CharField(_("element"), max_length=3, validators=[codes.validate_element])
    min_pct = models.DecimalField(
        _("minimum [wt-%]"),
        max_digits=9,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    max_pct = models.DecimalField(
        _("maximum [wt-%]"),
        max_digits=9,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["listing", "element"]
        verbose_name = _("element share")
        verbose_name_plural = _("chemistry")
        constraints = [
            models.UniqueConstraint(fields=["listing", "element"], name="listing_element_unique"),
            models.CheckConstraint(
                condition=Q(min_pct__isnull=False) | Q(max_pct__isnull=False),
                name="listing_element_has_a_bound",
            ),
            models.CheckConstraint(
                condition=(Q(min_pct__isnull=True) | Q(min_pct__gte=0, min_pct__lte=100))
                & (Q(max_pct__isnull=True) | Q(max_pct__gte=0, max_pct__lte=100)),
                name="listing_element_shares_in_range",
            ),
            models.CheckConstraint(
                condition=Q(min_pct__isnull=True)
                | Q(max_pct__isnull=True)
                | Q(min_pct__lte=models.F("max_pct")),
                name="listing_element_min_not_above_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element} {self.min_pct}–{self.max_pct}"
