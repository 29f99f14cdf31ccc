"""Matching runs, their proposals, the parties' answers, outcomes and saved searches."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from metalloop.accounts.models import Organisation
from metalloop.common.models import BaseModel, TimestampedModel
from metalloop.exchange.models import Listing, Processor
from metalloop.network.models import Network


class Objective(models.TextChoices):
    CO2 = "co2", _("net CO2 saved")
    TONNES = "tonnes", _("tonnes moved")
    SCORE = "score", _("score (R-strategy, CO2, fit, data quality, experience)")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class NetworkMatching(BaseModel):
    """A network's matching settings: its default objective and its reporting shares."""

    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, related_name="matching", verbose_name=_("network")
    )
    objective = models.CharField(
        _("objective"), max_length=10, choices=Objective.choices, default=Objective.CO2
    )
    horizon_months = models.PositiveSmallIntegerField(
        _("horizon [months]"), default=12, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    deadweight_pct = models.DecimalField(
        _("deadweight [%]"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of exchanges that would have happened without the network."),
    )
    attribution_pct = models.DecimalField(
        _("attribution [%]"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(100),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of the remaining saving the network credits to itself."),
    )

    class Meta:
        verbose_name = _("matching settings")
        verbose_name_plural = _("matching settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadweight_pct__gte=0, deadweight_pct__lte=100)
                & Q(attribution_pct__gte=0, attribution_pct__lte=100),
                name="matching_shares_in_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.network)


class MatchingRun(TimestampedModel):
    """One run of the matching engine over a network's current listings."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="matching_runs", verbose_name=_("network")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    objective = models.CharField(_("objective"), max_length=10, choices=Objective.choices)
    horizon_start = models.DateField(_("horizon from"))
    horizon_months = models.PositiveSmallIntegerField(_("horizon [months]"))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    step = models.CharField(_("step"), max_length=40, blank=True)
    progress = models.FloatField(_("progress"), default=0.0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=1), name="run_progress_in_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.network} #{self.pk}"


class ProposalKind(models.TextChoices):
    DIRECT = "direct", _("direct")
    CHAIN = "chain", _("chain through a processor")
    AGGREGATION = "aggregation", _("aggregation of small offers")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed (facilitator reviews)")
    DROPPED = "dropped", _("dropped by the facilitator")
    RELEASED = "released", _("released to the parties")
    INTRODUCED = "introduced", _("introduced (all parties interested)")
    DECLINED = "declined", _("declined")
    SETTLED = "settled", _("settled (deal)")
    FAILED = "failed", _("failed after introduction")
    SUPERSEDED = "superseded", _("superseded by a later run")


OPEN_STATUSES = (ProposalStatus.PROPOSED, ProposalStatus.DROPPED)
"""Statuses a new run replaces: what was never released."""


class Proposal(TimestampedModel):
    """A proposed delivery to one demand: from one offer, a pool of offers, or through a
    processor."""

    run = models.ForeignKey(
        MatchingRun, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("run")
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("network")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ProposalKind.choices)
    demand = models.ForeignKey(
        Listing,
        on_delete=models.CASCADE,
        related_name="proposals_as_demand",
        verbose_name=_("demand"),
    )
    processor = models.ForeignKey(
        Processor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("processor"),
    )
    tonnes = models.DecimalField(_("tonnes"), max_digits=14, decimal_places=3)
    great_circle_km = models.FloatField(_("distance as the crow flies [km]"))
    mode = models.CharField(_("transport mode"), max_length=20)
    co2_t = models.FloatField(_("net CO2 saved [t]"), null=True, blank=True)
    score = models.FloatField(_("score"))
    verdict = models.CharField(_("chemistry"), max_length=24)
    dilution = models.FloatField(_("dilution needed"), default=0.0)
    explanation = models.JSONField(_("explanation"), default=dict)
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    note = models.TextField(_("facilitator's note"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    introduced_at = models.DateTimeField(_("introduced"), null=True, blank=True)

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["network", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(tonnes__gt=0), name="proposal_tonnes_positive"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="proposal_score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} → {self.demand_id} ({self.tonnes} t)"


class ProposalInput(BaseModel):
    """An offer's part in a proposal [t]."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="inputs", verbose_name=_("proposal")
    )
    offer = models.ForeignKey(
        Listing,
        on_delete=models.CASCADE,
        related_name="proposals_as_offer",
        verbose_name=_("offer"),
    )
    tonnes = models.DecimalField(_("tonnes"), max_digits=14, decimal_places=3)
    great_circle_km = models.FloatField(_("distance as the crow flies [km]"))
    mode = models.CharField(_("transport mode"), max_length=20)

    class Meta:
        ordering = ["-tonnes", "pk"]
        verbose_name = _("proposal input")
        verbose_name_plural = _("proposal inputs")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "offer"], name="proposal_input_unique"),
            models.CheckConstraint(condition=Q(tonnes__gt=0), name="proposal_input_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.tonnes} t"


class PartyRole(models.TextChoices):
    SUPPLIER = "supplier", _("supplier")
    PROCESSOR = "processor", _("processor")
    RECEIVER = "receiver", _("receiver")


class Response(models.TextChoices):
    PENDING = "pending", _("no answer yet")
    INTERESTED = "interested", _("interested")
    DECLINED = "declined", _("declined")


class Reason(models.TextChoices):
    QUALITY = "quality", _("quality")
    QUANTITY = "quantity", _("quantity")
    DISTANCE = "distance", _("distance")
    PRICE = "price", _("price")
    LEGAL = "legal", _("legal")
    TIMING = "timing", _("timing")
    OTHER = "other", _("other")


class ProposalParty(BaseModel):
    """An organisation taking part in a proposal, and its answer."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="parties", verbose_name=_("proposal")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="proposal_parties",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=10, choices=PartyRole.choices)
    response = models.CharField(
        _("answer"), max_length=10, choices=Response.choices, default=Response.PENDING
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"], name="proposal_party_unique"
            ),
            models.CheckConstraint(
                condition=~Q(response="declined") | ~Q(reason=""),
                name="party_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(comment=""),
                name="party_other_reason_has_text",
                violation_error_message=_("Say in a few words why you decline."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} ({self.role}): {self.response}"


class OutcomeResult(models.TextChoices):
    DEAL = "deal", _("deal")
    FAILED = "failed", _("no deal")


class Outcome(TimestampedModel):
    """What became of an introduced proposal; a deal is counted once in the impact."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="outcome", verbose_name=_("proposal")
    )
    result = models.CharField(_("result"), max_length=10, choices=OutcomeResult.choices)
    tonnes = models.DecimalField(
        _("tonnes delivered"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    settled_on = models.DateField(_("date"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    impact = models.JSONField(_("impact"), default=dict, blank=True)
    co2_net_t = models.FloatField(_("net CO2 saved [t]"), null=True, blank=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(result="deal") | Q(tonnes__gt=0, settled_on__isnull=False),
                name="outcome_deal_has_tonnes_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(result="failed") | ~Q(reason=""),
                name="outcome_failure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.result}"


class SavedSearch(TimestampedModel):
    """A member's search over listings; new listings that fit it are notified."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("user"),
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="saved_searches", verbose_name=_("network")
    )
    name = models.CharField(_("name"), max_length=100)
    filters = models.JSONField(_("filters"), default=dict)
    email = models.BooleanField(_("also by e-mail"), default=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="saved_search_name_not_empty")
        ]

    def __str__(self) -> str:
        return self.name
