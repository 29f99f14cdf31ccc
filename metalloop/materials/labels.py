from django.utils.translation import gettext_lazy as _

from metalloop.core.materials.entries import Kind

KIND_LABELS = {
    Kind.ELEMENTS: _("Chemical elements"),
    Kind.MATERIALS: _("Material taxonomy"),
    Kind.ALLOYS: _("Alloys"),
    Kind.SCRAP_GRADES: _("Scrap grades"),
    Kind.WASTE_CODES: _("Waste codes"),
    Kind.CUSTOMS_CODES: _("Customs codes"),
    Kind.CROSSWALK: _("Crosswalk"),
    Kind.END_OF_WASTE: _("End-of-waste criteria"),
    Kind.EMISSION_FACTORS: _("Emission factors"),
    Kind.R_STRATEGIES: _("R-strategies"),
}

CONFIDENCE_LABELS = {
    "standard": _("from the standard or regulation"),
    "secondary": _("from a secondary source"),
    "estimate": _("estimate"),
}

VERDICT_LABELS = {
    "fits": _("fits"),
    "fits_after_dilution": _("fits after dilution"),
    "does_not_fit": _("does not fit"),
}

STATUS_LABELS = {
    "ok": _("within the limit"),
    "too_high": _("too high"),
    "too_low": _("too low"),
    "missing": _("missing"),
    "unexpected": _("not part of the specification"),
    "not_analysed": _("not analysed"),
}
