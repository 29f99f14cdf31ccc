"""The registry: networks, memberships, sites and the competence taxonomy."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from metalloop.accounts.models import Organisation
from metalloop.common.models import BaseModel, TimestampedModel


class State(models.TextChoices):
    """German states (ISO 3166-2:DE)."""

    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


class BilingualName(BaseModel):
    """Abstract: a German and an English name; ``name`` follows the active language."""

    name_de = models.CharField(_("name (German)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "de").startswith("en") else self.name_de


class CompetenceGroup(models.TextChoices):
    SORTING_PROCESSING = "sorting_processing", _("sorting and processing")
    METALLURGY = "metallurgy", _("metallurgy and refining")
    MANUFACTURING = "manufacturing", _("manufacturing and reuse")
    DESIGN = "design", _("design and engineering")
    DIGITAL = "digital", _("data and digital")
    SUSTAINABILITY = "sustainability", _("sustainability and assessment")
    SERVICES = "services", _("services and transfer")


class Competence(BilingualName):
    """An entry of the curated bilingual competence taxonomy."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    group = models.CharField(_("group"), max_length=30, choices=CompetenceGroup.choices)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="competences"
    )

    class Meta:
        ordering = ["group", "name_de"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")


class NetworkKind(models.TextChoices):
    ROUND_TABLE = "round_table", _("topic table of a round table")
    ALLIANCE = "alliance", _("regional alliance")
    CLUSTER = "cluster", _("cluster")
    OTHER = "other", _("other network")


class Network(TimestampedModel):
    """A regional network that runs metalloop for its members."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name for addresses"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=NetworkKind.choices)
    region = models.CharField(_("region"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    founded = models.DateField(_("founded"), null=True, blank=True)
    coordinator = models.ForeignKey(
        Organisation,
        verbose_name=_("coordinating organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_networks",
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators"),
        blank=True,
        related_name="managed_networks",
    )
    members = models.ManyToManyField(
        Organisation, through="Membership", related_name="networks", verbose_name=_("members")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="network_name_not_empty")
        ]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("member")
    FOUNDING_MEMBER = "founding_member", _("founding member")
    PARTNER = "partner", _("partner")
    COORDINATOR = "coordinator", _("coordinator")


class Membership(TimestampedModel):
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined = models.DateField(_("joined"), null=True, blank=True)

    class Meta:
        ordering = ["network", "organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["network", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.network}"


class SiteKind(models.TextChoices):
    HEADQUARTERS = "headquarters", _("headquarters")
    PLANT = "plant", _("plant")
    YARD = "yard", _("scrap yard or depot")
    LAB = "lab", _("laboratory or technical centre")
    OFFICE = "office", _("office")


class CoordinateSource(models.TextChoices):
    GAZETTEER = "gazetteer", _("place centre from the gazetteer")
    GIVEN = "given", _("given by the organisation")


class Site(TimestampedModel):
    """A location of an organisation: address and coordinates."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="sites"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=20, choices=SiteKind.choices, default=SiteKind.PLANT
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    place = models.CharField(_("place"), max_length=120)
    state = models.CharField(_("state"), max_length=2, choices=State.choices)
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    coordinate_source = models.CharField(
        _("coordinates from"),
        max_length=12,
        choices=CoordinateSource.choices,
        default=CoordinateSource.GAZETTEER,
    )
    gazetteer_id = models.CharField(_("gazetteer entry"), max_length=40, blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="site_coordinates_in_range",
            ),
            models.CheckConstraint(condition=~models.Q(place=""), name="site_place_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.place}"

    def clean(self) -> None:
        super().clean()
        if self.postcode and not (len(self.postcode) == 5 and self.postcode.isdigit()):
            raise ValidationError(
                {"postcode": _("A German postcode has five digits.")}, code="postcode_invalid"
            )
