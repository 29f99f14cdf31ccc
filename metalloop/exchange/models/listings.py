"""Listings: offers and demands of scrap, by-products, residues and used components.

A listing's rules across fields are in :mod:`.listing_rules`, its grades and chemistry in
:mod:`.analysis`, its documents in :mod:`.attachments`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metalloop.accounts.models import Organisation
from metalloop.common.models import TimestampedModel
from metalloop.exchange import codes
from metalloop.exchange.models.choices import (
    AnalysisMethod,
    AttachmentKind,
    LegalStatus,
    ListingKind,
    ListingStatus,
    Logistics,
    MaterialForm,
    QuantityUnit,
    Recurrence,
    Side,
    TransportMode,
    Visibility,
)
from metalloop.exchange.models.listing_rules import listing_errors
from metalloop.exchange.models.quality import QualityFacts, QualityLevel, quality_level
from metalloop.network.models import Network, Site

MAX_DISTANCE_KM = 2000
MAX_DILUTION_PCT = 50


def _positive(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": 0})


class Listing(TimestampedModel):
    """An offer or a demand of a material, placed by an organisation in a network."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="listings"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="listings",
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="listings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    side = models.CharField(_("offer or demand"), max_length=10, choices=Side.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=ListingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    material = models.CharField(_("material"), max_length=60, validators=[codes.validate_material])
    waste_code = models.CharField(
        _("waste code"), max_length=20, blank=True, validators=[codes.validate_waste_code]
    )
    legal_status = models.CharField(_("legal status"), max_length=20, choices=LegalStatus.choices)
    form = models.CharField(_("form"), max_length=20, choices=MaterialForm.choices)
    size = models.CharField(_("size"), max_length=200, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=5, choices=QuantityUnit.choices)
    unit_mass_kg = models.DecimalField(
        _("mass per piece [kg]"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    recurrence = models.CharField(
        _("recurrence"), max_length=12, choices=Recurrence.choices, default=Recurrence.ONE_OFF
    )
    available_from = models.DateField(_("available from"))
    available_until = models.DateField(_("available until"), null=True, blank=True)
    logistics = models.CharField(
        _("logistics"), max_length=10, choices=Logistics.choices, default=Logistics.EITHER
    )
    transport_modes = models.JSONField(
        _("transport modes"),
        default=list,
        error_messages={"blank": _("Choose at least one transport mode.")},
        validators=[codes.ChoiceListValidator(TransportMode.values, required=True)],
    )
    price_eur_per_t = models.DecimalField(
        _("price indication [EUR/t]"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.ANONYMOUS
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.ACTIVE
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    analysis_method = models.CharField(
        _("analysis method"), max_length=20, choices=AnalysisMethod.choices, blank=True
    )
    analysis_date = models.DateField(_("analysis date"), null=True, blank=True)
    # --- what only a demand states ----------------------------------------------------------
    min_quantity = models.DecimalField(
        _("minimum quantity"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    min_lot_t = models.DecimalField(
        _("minimum lot per delivery [t]"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    max_distance_km = models.PositiveIntegerField(
        _("maximum distance [km]"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DISTANCE_KM)],
    )
    r_strategy = models.CharField(
        _("intended R-strategy"), max_length=10, blank=True, validators=[codes.validate_r_strategy]
    )
    max_dilution_pct = models.DecimalField(
        _("maximum dilution [%]"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_DILUTION_PCT)],
    )
    accepted_forms = models.JSONField(
        _("accepted forms"),
        default=list,
        blank=True,
        validators=[codes.ChoiceListValidator(MaterialForm.values)],
    )
    permitted_waste_codes = models.JSONField(
        _("permitted waste codes"),
        default=list,
        blank=True,
        validators=[codes.validate_waste_codes],
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        indexes = [
            models.Index(fields=["network", "status", "side"]),
            models.Index(fields=["material"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="listing_title_not_empty"),
            models.CheckConstraint(condition=~Q(material=""), name="listing_material_not_empty"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="listing_quantity_positive"),
            models.CheckConstraint(
                condition=_positive("unit_mass_kg"), name="listing_unit_mass_positive"
            ),
            models.CheckConstraint(
                condition=~Q(unit=QuantityUnit.PCS) | Q(unit_mass_kg__isnull=False),
                name="listing_pieces_need_unit_mass",
            ),
            models.CheckConstraint(
                condition=Q(available_until__isnull=True)
                | Q(available_until__gte=models.F("available_from")),
                name="listing_until_not_before_from",
            ),
            models.CheckConstraint(
                condition=~Q(side=Side.OFFER)
                | ~Q(legal_status=LegalStatus.WASTE)
                | ~Q(waste_code=""),
                name="listing_waste_offer_needs_code",
            ),
            models.CheckConstraint(
                condition=_positive("min_quantity")
                & (Q(min_quantity__isnull=True) | Q(min_quantity__lte=models.F("quantity"))),
                name="listing_min_quantity_within_quantity",
            ),
            models.CheckConstraint(
                condition=_positive("min_lot_t"), name="listing_min_lot_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_distance_km__isnull=True)
                | Q(max_distance_km__gt=0, max_distance_km__lte=MAX_DISTANCE_KM),
                name="listing_max_distance_in_range",
            ),
            models.CheckConstraint(
                condition=Q(max_dilution_pct__isnull=True)
                | Q(max_dilution_pct__gte=0, max_dilution_pct__lte=MAX_DILUTION_PCT),
                name="listing_max_dilution_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(side=Side.OFFER)
                | Q(
                    min_quantity__isnull=True,
                    min_lot_t__isnull=True,
                    max_distance_km__isnull=True,
                    max_dilution_pct__isnull=True,
                    r_strategy="",
                ),
                name="listing_offer_without_demand_fields",
            ),
            models.CheckConstraint(condition=Q(side__in=Side.values), name="listing_side_valid"),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="listing_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ListingStatus.values), name="listing_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Rules across the fields of one listing (the database constraints say the same)."""
        super().clean()
        errors = listing_errors(self)
        if errors:
            raise ValidationError(errors)

    @property
    def is_offer(self) -> bool:
        return self.side == Side.OFFER

    @property
    def mass_t(self) -> Decimal:
        """The quantity as a mass [t] (per interval for recurring listings)."""
        return mass_in_t(self.quantity, self.unit, self.unit_mass_kg)

    @property
    def min_mass_t(self) -> Decimal | None:
        """The minimum quantity as a mass [t], if given."""
        if self.min_quantity is None:
            return None
        return mass_in_t(self.min_quantity, self.unit, self.unit_mass_kg)

    def quality_facts(self) -> QualityFacts:
        """The facts of the data-quality level (uses prefetched grades, elements, attachments)."""
        return QualityFacts(
            is_offer=self.is_offer,
            has_grade=bool(self.grades.all()),
            is_waste=self.legal_status == LegalStatus.WASTE,
            has_waste_code=bool(self.waste_code if self.is_offer else self.permitted_waste_codes),
            has_chemistry=bool(self.elements.all()),
            has_method=bool(self.analysis_method),
            analysis_date=self.analysis_date,
            has_certificate=any(
                a.kind == AttachmentKind.ANALYSIS_CERTIFICATE for a in self.attachments.all()
            ),
            verified=self.verified_at is not None,
        )

    @property
    def data_quality(self) -> QualityLevel:
        """How complete and checked the listing's data are (1 declared ... 4 verified)."""
        return quality_level(self.quality_facts(), today=timezone.localdate())

    def is_current(self, today: dt.date | None = None) -> bool:
        """Active and not past its end date."""
        day = today or timezone.localdate()
        return self.status == ListingStatus.ACTIVE and (
            self.available_until is None or self.available_until >= day
        )


def mass_in_t(quantity: Decimal, unit: str, unit_mass_kg: Decimal | None) -> Decimal:
    """A quantity in ``unit`` as a mass [t]; pieces count with their mass [kg]."""
    if unit == QuantityUnit.T:
        return quantity
    if unit == QuantityUnit.KG:
        return quantity / 1000
    return quantity * (unit_mass_kg or Decimal(0)) / 1000


def attachment_path(instance: Any, filename: str) -> str:
    """Store under a random name: the original name may name the owner.

    Used by :class:`~metalloop.exchange.models.attachments.ListingAttachment`; it stays in
    this module because migration 0001 names it here.
    """
    suffix = PurePath(filename).suffix.lower()
    return f"exchange/attachments/{uuid.uuid4().hex}{suffix}"
