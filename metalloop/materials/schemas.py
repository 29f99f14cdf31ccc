"""API schemas of the knowledge base."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class SourceOut(Schema):
    document: str = Field(..., description="Title of the document, in the language of the request.")
    edition: str = Field(..., description="Edition, version or date.")
    section: str = Field(..., description="Table, annex or page; empty if not given.")
    url: str = Field(..., description="Where the source was read; empty if not online.")
    reproduces: str = Field(
        ..., description="The primary text a secondary source reproduces; empty if none."
    )
    accessed: str = Field(..., description="Date the source was read (YYYY-MM-DD); may be empty.")


CONFIDENCE = "How the figure was obtained: standard, secondary or estimate."
CONFIDENCE_LABEL = (
    "The confidence in words of the request's language (for example 'standard or legal text',"
    " 'Sekundärquelle')."
)
CONFIRMED = "false: the figure could not be confirmed in the source."
NOTE = "A note for the reader, in the language of the request; empty if none."


class EntryOut(Schema):
    code: str
    kind: str
    name: str = Field(..., description="Name in the language of the request.")
    name_de: str
    name_en: str
    source: SourceOut
    confidence: str = Field(..., description=CONFIDENCE)
    confidence_label: str = Field(..., description=CONFIDENCE_LABEL)
    confirmed: bool = Field(..., description=CONFIRMED)
    note: str = Field(..., description=NOTE)
    data: dict[str, Any] = Field(..., description="Kind-specific fields; compositions in wt-%.")


class EntryPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[EntryOut]


class SearchIn(Schema):
    q: str = Field(
        "", description="Words that must all occur in code, names, aliases or description."
    )


AnalysisValue = float | list[float]


class CheckIn(Schema):
    specification: str = Field(..., description="Code (or alias) of an alloy or scrap grade.")
    analysis: dict[str, AnalysisValue] | str = Field(
        ...,
        description='Element shares in wt-%: {"Cr": 18.1, "Ni": [8.0, 10.5]} or "Cr=18.1, Ni=8.3".',
    )


class CheckLineOut(Schema):
    subject: str = Field(..., description="Element, sum of elements (Cu+Sn) or 'others'.")
    limit: str
    value_min: float | None = Field(None, description="Analysed share, lower bound [wt-%].")
    value_max: float | None = Field(None, description="Analysed share, upper bound [wt-%].")
    headroom: float | None = Field(
        None, description="Distance to the nearest limit [wt-%], negative when broken."
    )
    status: str = Field(
        ..., description="ok, too_high, too_low, missing, unexpected, not_analysed."
    )


class DiluentOut(Schema):
    code: str = Field(..., description="Knowledge-base code; empty for the pure base metal.")
    name: str


class AdditionOut(Schema):
    element: str
    kg_per_t: float = Field(..., description="Least addition per tonne of the lot [kg/t].")


class CheckOut(Schema):
    specification: str
    name: str
    verdict: str = Field(
        ..., description="fits, fits_after_dilution, fits_after_alloying or does_not_fit."
    )
    failing: list[str]
    not_analysed: list[str]
    max_share: float | None = Field(
        None, description="Largest share of the lot in a diluted charge [-]."
    )
    dilution: float | None = Field(None, description="Share of diluent needed [-].")
    diluent: DiluentOut | None = Field(
        None, description="What the charge is thinned with (fits_after_dilution only)."
    )
    additions: list[AdditionOut] = Field(
        ..., description="Alloying additions needed (fits_after_alloying only)."
    )
    explanation: str
    lines: list[CheckLineOut]
    source: SourceOut
    confidence: str = Field(..., description=CONFIDENCE)
    confidence_label: str = Field(..., description=CONFIDENCE_LABEL)
    confirmed: bool = Field(..., description=CONFIRMED)
    note: str = Field(..., description=NOTE)


class ClassifyIn(Schema):
    analysis: dict[str, AnalysisValue] | str


class MatchOut(Schema):
    code: str
    kind: str
    name: str
    verdict: str
    dilution: float | None
    matched_elements: int
    closeness: float
    confidence: str = Field(..., description=CONFIDENCE)
    confidence_label: str = Field(..., description=CONFIDENCE_LABEL)
    confirmed: bool = Field(..., description=CONFIRMED)


class ClassifyOut(Schema):
    count: int
    items: list[MatchOut]


class EndOfWasteIn(Schema):
    rule: str = Field(..., description="Code of the rule, e.g. EOW:333-2011-I.")
    foreign_materials_wt_pct: float | None = Field(None, description="Foreign materials [wt-%].")
    metal_yield_pct: float | None = Field(None, description="Metal yield [%].")
    declarations: list[str] = Field(
        default_factory=list, description="Declarations the holder confirms."
    )


class CriterionOut(Schema):
    id: str
    text: str
    check: str
    attribute: str
    outcome: str = Field(..., description="met, not_met or unknown.")


class EndOfWasteOut(Schema):
    rule: str
    regulation: str
    outcome: str = Field(..., description="met (every criterion), not_met, or unknown (some open).")
    open_criteria: list[str]
    criteria: list[CriterionOut]
    source: SourceOut
    confidence: str = Field(..., description=CONFIDENCE)
    confidence_label: str = Field(..., description=CONFIDENCE_LABEL)
    confirmed: bool = Field(..., description=CONFIRMED)
    note: str = Field(..., description=NOTE)
