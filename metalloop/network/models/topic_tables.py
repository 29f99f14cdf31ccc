"""Topic tables of a network and what hangs off them: action fields, meetings, barriers,
needs, pilot projects and practice examples."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from metalloop.accounts.models import Organisation, ValueChainStage
from metalloop.common.models import BaseModel, TimestampedModel
from metalloop.network.models.registry import Network


class TopicTable(TimestampedModel):
    """A standing working group of a network (Thementisch)."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="topic_tables"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name for addresses"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    host = models.ForeignKey(
        Organisation,
        verbose_name=_("host"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_topic_tables",
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        ordering = ["network__name", "name"]
        verbose_name = _("topic table")
        verbose_name_plural = _("topic tables")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="topic_table_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ActionField(BaseModel):
    """A field of action of a topic table (Handlungsfeld)."""

    topic_table = models.ForeignKey(
        TopicTable,
        verbose_name=_("topic table"),
        on_delete=models.CASCADE,
        related_name="action_fields",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["topic_table", "position", "name"]
        verbose_name = _("action field")
        verbose_name_plural = _("action fields")
        constraints = [
            models.UniqueConstraint(fields=["topic_table", "name"], name="action_field_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(TimestampedModel):
    topic_table = models.ForeignKey(
        TopicTable, verbose_name=_("topic table"), on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    participants = models.ManyToManyField(
        Organisation,
        verbose_name=_("participating organisations"),
        blank=True,
        related_name="meetings",
    )
    participant_count = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True
    )
    action_fields = models.ManyToManyField(
        ActionField, verbose_name=_("action fields"), blank=True, related_name="meetings"
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d.%m.%Y})"


class BarrierCategory(models.TextChoices):
    LEGAL = "legal", _("legal")
    TECHNICAL = "technical", _("technical")
    ECONOMIC = "economic", _("economic")
    DATA = "data", _("data")
    SKILLS = "skills", _("skills")


class BarrierStatus(models.TextChoices):
    IDENTIFIED = "identified", _("identified")
    SUBSTANTIATED = "substantiated", _("substantiated")
    ADDRESSED = "addressed", _("addressed to policy")
    IN_PROGRESS = "in_progress", _("being worked on")
    RESOLVED = "resolved", _("resolved")
    DROPPED = "dropped", _("dropped")


class Barrier(TimestampedModel):
    """An entry of the barrier register (Hemmnis) that the network carries to policy."""

    topic_table = models.ForeignKey(
        TopicTable, verbose_name=_("topic table"), on_delete=models.CASCADE, related_name="barriers"
    )
    action_field = models.ForeignKey(
        ActionField,
        verbose_name=_("action field"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="barriers",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=20, choices=BarrierCategory.choices)
    stages = models.ManyToManyField(
        ValueChainStage,
        verbose_name=_("affected value-chain stages"),
        blank=True,
        related_name="barriers",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=BarrierStatus.choices, default=BarrierStatus.IDENTIFIED
    )
    addressee = models.CharField(_("addressed to"), max_length=200, blank=True)
    raised_on = models.DateField(_("raised on"), null=True, blank=True)

    class Meta:
        ordering = ["topic_table", "-raised_on", "title"]
        verbose_name = _("barrier")
        verbose_name_plural = _("barriers")

    def __str__(self) -> str:
        return self.title


class NeedKind(models.TextChoices):
    RESEARCH = "research", _("research need")
    IMPLEMENTATION = "implementation", _("implementation need")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("being worked on")
    MET = "met", _("met")


class Need(TimestampedModel):
    """A research or implementation need raised at a topic table."""

    topic_table = models.ForeignKey(
        TopicTable, verbose_name=_("topic table"), on_delete=models.CASCADE, related_name="needs"
    )
    action_field = models.ForeignKey(
        ActionField,
        verbose_name=_("action field"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
    )
    kind = models.CharField(_("type"), max_length=20, choices=NeedKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )

    class Meta:
        ordering = ["topic_table", "kind", "title"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return self.title


class PilotKind(models.TextChoices):
    PILOT = "pilot", _("pilot project")
    PRACTICE = "practice", _("practice example")


class PilotStatus(models.TextChoices):
    IDEA = "idea", _("idea")
    PLANNED = "planned", _("planned")
    RUNNING = "running", _("running")
    COMPLETED = "completed", _("completed")


class PilotProject(TimestampedModel):
    """A pilot project started at a topic table, or a practice example presented there."""

    topic_table = models.ForeignKey(
        TopicTable, verbose_name=_("topic table"), on_delete=models.CASCADE, related_name="pilots"
    )
    action_field = models.ForeignKey(
        ActionField,
        verbose_name=_("action field"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pilots",
    )
    kind = models.CharField(_("type"), max_length=20, choices=PilotKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PilotStatus.choices, default=PilotStatus.IDEA
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partners"), blank=True, related_name="pilots"
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["topic_table", "kind", "title"]
        verbose_name = _("pilot project or practice example")
        verbose_name_plural = _("pilot projects and practice examples")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True)
                | models.Q(end__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="pilot_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title
