"""Users, the organisations they belong to, roles and personal API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from metalloop.accounts.roles import role_has_model_perm, role_has_module_perm
from metalloop.common.models import BaseModel, TimestampedModel


class Role(models.TextChoices):
    """What a user may do on the platform."""

    MEMBER = "member", _("member")
    FACILITATOR = "facilitator", _("facilitator")
    ADMIN = "admin", _("administrator")


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("company")
    RESEARCH_INSTITUTE = "research_institute", _("research institute")
    UNIVERSITY = "university", _("university")
    ASSOCIATION = "association", _("association")
    PUBLIC_BODY = "public_body", _("public body or economic development agency")
    NETWORK = "network", _("network or cluster")


class SizeClass(models.TextChoices):
    """Size classes after the EU SME definition (Recommendation 2003/361/EC), by staff."""

    MICRO = "micro", _("micro (fewer than 10 staff)")
    SMALL = "small", _("small (10 to 49 staff)")
    MEDIUM = "medium", _("medium (50 to 249 staff)")
    LARGE = "large", _("large (250 staff or more)")


class ValueChainRole(models.TextChoices):
    """Stages of the metal value chain an organisation works in."""

    PRIMARY_PRODUCTION = "primary_production", _("primary production")
    SMELTING_REFINING = "smelting_refining", _("smelting and refining")
    SEMI_FINISHED = "semi_finished", _("semi-finished products")
    MANUFACTURING = "manufacturing", _("manufacturing")
    USE_TRADE = "use_trade", _("use and trade")
    COLLECTION = "collection", _("collection")
    SORTING_PROCESSING = "sorting_processing", _("sorting and processing")
    RECYCLING_REMELTING = "recycling_remelting", _("recycling and remelting")
    DESIGN_ENGINEERING = "design_engineering", _("design and engineering")
    SERVICES_SOFTWARE = "services_software", _("services and software")
    RESEARCH_TRANSFER = "research_transfer", _("research and transfer")
    POLICY_FUNDING = "policy_funding", _("policy and funding")


class ValueChainStage(BaseModel):
    """One row per :class:`ValueChainRole`, so organisations and barriers can refer to
    stages through ordinary many-to-many relations that filter on every database."""

    code = models.CharField(
        _("code"), max_length=40, primary_key=True, choices=ValueChainRole.choices
    )
    position = models.PositiveSmallIntegerField(_("position"), unique=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("value-chain stage")
        verbose_name_plural = _("value-chain stages")

    def __str__(self) -> str:
        return str(ValueChainRole(self.code).label)


class Organisation(TimestampedModel):
    """A legal entity taking part in a network: company, institute, association, agency."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name for addresses"), max_length=80, unique=True)
    legal_form = models.CharField(_("legal form"), max_length=60, blank=True)
    kind = models.CharField(_("type"), max_length=30, choices=OrganisationKind.choices)
    roles = models.ManyToManyField(
        ValueChainStage,
        verbose_name=_("value-chain roles"),
        blank=True,
        related_name="organisations",
    )
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Fictitious organisation of the demo network.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name=""), name="organisation_name_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("role", Role.ADMIN)
        return self.create_user(email, password, **fields)


class User(BaseModel, AbstractBaseUser):
    """A person with a login. Belongs to one organisation; the role says what they may do."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    language = models.CharField(
        _("language"), max_length=5, choices=[("de", "Deutsch"), ("en", "English")], default="de"
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="admin") | models.Q(organisation__isnull=False),
                name="user_organisation_required_unless_admin",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        if self.role != Role.ADMIN and self.organisation_id is None:
            raise ValidationError(
                {"organisation": _("Members and facilitators belong to an organisation.")},
                code="organisation_required",
            )

    @property
    def is_staff(self) -> bool:
        """Facilitators and admins may open the Django admin (scoped to their networks)."""
        return self.is_active and self.role in (Role.FACILITATOR, Role.ADMIN)

    @property
    def is_superuser(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Model permissions for the Django admin follow the role (see permissions.py)."""
        return self.is_active and role_has_model_perm(self.role, perm)

    def has_perms(self, perm_list: Any, obj: Any = None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and role_has_module_perm(self.role, app_label)


class ApiToken(BaseModel):
    """A personal API token. Only a SHA-256 digest of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class PasswordResetRequest(BaseModel):
    """A password-reset mail that was sent (or would have been, for an unknown address), kept
    for the window of the throttle. The address is kept as a SHA-256 digest only."""

    email_digest = models.CharField(max_length=64, db_index=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("password-reset request")
        verbose_name_plural = _("password-reset requests")

    def __str__(self) -> str:
        return f"{self.email_digest[:12]}… {self.requested_at:%Y-%m-%d %H:%M}"


class Notification(BaseModel):
    """A message to one user in the platform (and, if they want, by e-mail)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed = models.BooleanField(_("sent by e-mail"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title
