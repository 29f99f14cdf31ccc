"""Processors: sorting, briquetting, shredding, refining and remanufacturing capabilities."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from metalloop.accounts.models import Organisation
from metalloop.common.models import BaseModel, TimestampedModel
from metalloop.exchange import codes
from metalloop.exchange.errors import ErrorCode
from metalloop.exchange.models.choices import (
    LegalStatus,
    MaterialForm,
    ProcessKind,
    ProcessorStatus,
    TransportMode,
    Visibility,
)
from metalloop.exchange.models.listings import MAX_DISTANCE_KM
from metalloop.network.models import Network, Site


class Processor(TimestampedModel):
    """What an organisation can do with material: inputs it accepts, outputs with yields."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="processors"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="processors",
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="processors"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    process = models.CharField(_("process"), max_length=20, choices=ProcessKind.choices)
    description = models.TextField(_("description"), blank=True)
    capacity_t_per_year = models.DecimalField(
        _("capacity [t/year]"), max_digits=12, decimal_places=3
    )
    max_distance_km = models.PositiveIntegerField(
        _("maximum distance [km]"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DISTANCE_KM)],
    )
    transport_modes = models.JSONField(
        _("transport modes"),
        default=list,
        error_messages={"blank": _("Choose at least one transport mode.")},
        validators=[codes.ChoiceListValidator(TransportMode.values, required=True)],
    )
    permitted_waste_codes = models.JSONField(
        _("permitted waste codes"),
        default=list,
        blank=True,
        validators=[codes.validate_waste_codes],
    )
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.ANONYMOUS
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProcessorStatus.choices,
        default=ProcessorStatus.ACTIVE,
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("processor")
        verbose_name_plural = _("processors")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="processor_name_not_empty"),
            models.CheckConstraint(
                condition=Q(capacity_t_per_year__gt=0), name="processor_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_distance_km__isnull=True)
                | Q(max_distance_km__gt=0, max_distance_km__lte=MAX_DISTANCE_KM),
                name="processor_max_distance_in_range",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="processor_visibility_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Rules across fields (the database constraints say the same)."""
        super().clean()
        if self.capacity_t_per_year is not None and self.capacity_t_per_year <= 0:
            raise ValidationError(
                {
                    "capacity_t_per_year": ValidationError(
                        _("The capacity must be greater than zero."),
                        code=ErrorCode.QUANTITY_INVALID,
                    )
                }
            )


class ProcessorInput(BaseModel):
    """A material a processor accepts, optionally narrowed to a grade or a waste code."""

    processor = models.ForeignKey(
        Processor, verbose_name=_("processor"), on_delete=models.CASCADE, related_name="inputs"
    )
    material = models.CharField(_("material"), max_length=60, validators=[codes.validate_material])
    grade = models.CharField(
        _("grade or alloy"), max_length=60, blank=True, validators=[codes.validate_grade]
    )
    waste_code = models.CharField(
        _("waste code"), max_length=20, blank=True, validators=[codes.validate_waste_code]
    )

    class Meta:
        ordering = ["processor", "id"]
        verbose_name = _("processor input")
        verbose_name_plural = _("processor inputs")

    def __str__(self) -> str:
        return " ".join(part for part in (self.material, self.grade, self.waste_code) if part)


class ProcessorOutput(BaseModel):
    """What a processor makes of its inputs, with the yield [% of the input mass]."""

    processor = models.ForeignKey(
        Processor, verbose_name=_("processor"), on_delete=models.CASCADE, related_name="outputs"
    )
    material = models.CharField(_("material"), max_length=60, validators=[codes.validate_material])
    grade = models.CharField(
        _("grade or alloy"), max_length=60, blank=True, validators=[codes.validate_grade]
    )
    form = models.CharField(_("form"), max_length=20, choices=MaterialForm.choices)
    legal_status = models.CharField(
        _("legal status after processing"), max_length=20, choices=LegalStatus.choices
    )
    waste_code = models.CharField(
        _("waste code"), max_length=20, blank=True, validators=[codes.validate_waste_code]
    )
    yield_pct = models.DecimalField(
        _("yield [%]"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0.01), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["processor", "id"]
        verbose_name = _("processor output")
        verbose_name_plural = _("processor outputs")
        constraints = [
            models.CheckConstraint(
                condition=Q(yield_pct__gt=0, yield_pct__lte=100), name="processor_yield_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material} {self.grade} ({self.yield_pct} %)".replace("  ", " ")

    def clean(self) -> None:
        """An output that is waste names its waste code, as an offer of waste does: without
        it no receiver's permit can cover it."""
        if self.legal_status == LegalStatus.WASTE and not self.waste_code:
            raise ValidationError(
                {"waste_code": _("Waste needs its waste code (AVV).")},
                code=ErrorCode.WASTE_CODE_REQUIRED,
            )
