"""The choices of the exchange: what a listing or processor may say about its material."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    OFFER = "offer", _("offer")
    DEMAND = "demand", _("demand")


class ListingKind(models.TextChoices):
    SCRAP = "scrap", _("scrap")
    BY_PRODUCT = "by_product", _("by-product")
    PRODUCTION_RESIDUE = "production_residue", _("production residue")
    SECONDARY_RAW_MATERIAL = "secondary_raw_material", _("secondary raw material")
    USED_COMPONENT = "used_component", _("used component or product for reuse")


class LegalStatus(models.TextChoices):
    WASTE = "waste", _("waste")
    BY_PRODUCT = "by_product", _("by-product (KrWG § 4)")
    END_OF_WASTE = "end_of_waste", _("end of waste (KrWG § 5, Reg. 333/2011, 715/2013)")
    PRODUCT = "product", _("product (used component for reuse)")


class MaterialForm(models.TextChoices):
    LUMPS = "lumps", _("lumps")
    SHEET = "sheet", _("sheet and stampings")
    TURNINGS = "turnings", _("turnings and swarf")
    BALES = "bales", _("bales")
    SHREDDED = "shredded", _("shredded")
    BRIQUETTES = "briquettes", _("briquettes")
    POWDER = "powder", _("powder and dust")
    SLUDGE = "sludge", _("sludge")
    GRANULES = "granules", _("granules")
    COMPONENTS = "components", _("components")
    CABLE = "cable", _("cable")
    MIXED = "mixed", _("mixed")


class QuantityUnit(models.TextChoices):
    T = "t", _("t")
    KG = "kg", _("kg")
    PCS = "pcs", _("pieces")


class Recurrence(models.TextChoices):
    ONE_OFF = "one_off", _("one-off")
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    YEARLY = "yearly", _("yearly")


class Logistics(models.TextChoices):
    PICK_UP = "pick_up", _("pick-up")
    DELIVERY = "delivery", _("delivery")
    EITHER = "either", _("pick-up or delivery")


class TransportMode(models.TextChoices):
    ROAD = "road", _("road")
    RAIL = "rail", _("rail")
    INLAND_WATERWAY = "inland_waterway", _("inland waterway")
    SEA = "sea", _("sea")


class Visibility(models.TextChoices):
    ANONYMOUS = "anonymous", _("members, without the owner")
    NAMED = "named", _("members, with the owner")
    FACILITATOR = "facilitator", _("facilitators only")


class ListingStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    WITHDRAWN = "withdrawn", _("withdrawn")
    FULFILLED = "fulfilled", _("fulfilled")
    EXPIRED = "expired", _("expired")


class AnalysisMethod(models.TextChoices):
    XRF = "xrf", _("X-ray fluorescence (XRF)")
    OES_SPARK = "oes_spark", _("spark optical emission spectrometry (OES)")
    ICP_OES = "icp_oes", _("ICP-OES")
    WET_CHEMISTRY = "wet_chemistry", _("wet chemistry")
    LIBS = "libs", _("laser-induced breakdown spectroscopy (LIBS)")
    DECLARATION = "declaration", _("declaration of the producer")


class AttachmentKind(models.TextChoices):
    ANALYSIS_CERTIFICATE = "analysis_certificate", _("analysis certificate")
    PHOTO = "photo", _("photo")
    OTHER = "other", _("other document")


class ProcessKind(models.TextChoices):
    SORTING = "sorting", _("sorting")
    BRIQUETTING = "briquetting", _("briquetting")
    SHREDDING = "shredding", _("shredding")
    REFINING = "refining", _("refining")
    REMANUFACTURING = "remanufacturing", _("remanufacturing")
    OTHER = "other", _("other processing")


class ProcessorStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    WITHDRAWN = "withdrawn", _("withdrawn")
