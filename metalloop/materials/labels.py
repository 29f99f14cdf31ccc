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
    Kind.DILUENTS: _("Diluents"),
    Kind.PROCESS_TYPES: _("Process types"),
}

# The words for how far a figure can be trusted: the one place for pages, API, CLI and the
# other apps (``confidence_label`` in the API answers, the badges on the pages).
CONFIDENCE_LABELS = {
    "standard": _("standard or legal text"),
    "secondary": _("secondary source"),
    "estimate": _("estimate"),
}
UNCONFIRMED = _("unconfirmed")
"""A figure that could not be checked against its cited source."""
REPRODUCES = _("reproduces")
"""Before the primary text a secondary source reproduces: "reproduces: EN 10088-2:2014"."""
ACCESSED = _("accessed")
"""Before the date a source was read: "accessed 8 December 2026"."""

VERDICT_LABELS = {
    "fits": _("fits"),
    "fits_after_dilution": _("fits after dilution"),
    "fits_after_alloying": _("fits after alloying"),
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

FIELD_LABELS = {
    "designation": _("Designation"),
    "balance": _("Base metal"),
    "analysis": _("Analysis (wt-%, min and max)"),
    "aliases": _("Other designations"),
    "material": _("Material family"),
    "description_de": _("Description (German)"),
    "description_en": _("Description (English)"),
    "bulk_density_t_m3": _("Bulk density (t/m³)"),
    "metal_yield_pct": _("Metal yield (%)"),
    "symbol": _("Symbol"),
    "number": _("Number"),
    "atomic_mass": _("Atomic mass (g/mol)"),
    "parent": _("Parent"),
    "level": _("Level"),
    "hazardous": _("Hazardous (*)"),
    "mirror": _("Mirror entry"),
    "materials": _("Materials"),
    "waste_codes": _("Waste codes"),
    "scrap_grades": _("Scrap grades"),
    "customs_codes": _("Customs codes"),
    "regulation": _("Regulation"),
    "annex": _("Annex"),
    "criteria": _("Criteria"),
    "activity": _("Activity"),
    "route": _("Route or mode"),
    "value": _("Value"),
    "unit": _("Unit"),
    "year": _("Year"),
    "region": _("Region"),
    "boundary": _("System boundary"),
    "definition_de": _("Definition (German)"),
    "definition_en": _("Definition (English)"),
    "inputs": _("Typical inputs"),
    "products": _("Main products"),
    "co_products": _("Co-products"),
    "r_strategy": _("R-strategy"),
    "competence": _("Competence in the network registry"),
}

LIMIT_WORDS = {
    "wt-%": _("wt-%"),
    "(each)": _("(each)"),
    "(total)": _("(total)"),
    "not part of this specification": _("not part of this specification"),
}
