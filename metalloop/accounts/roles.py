"""What each role may do in the Django admin, by model permission (no model imports,
so that ``User.has_perm`` can ask without a cycle)."""

from __future__ import annotations

# What facilitators may curate in the Django admin; rows are scoped to their networks
# by each ModelAdmin.
FACILITATOR_APPS = frozenset({"network", "accounts", "common", "exchange"})
FACILITATOR_READ_ONLY_MODELS = frozenset({"accounts.user", "common.auditevent"})
HIDDEN_FROM_FACILITATORS = frozenset(
    {"accounts.apitoken", "accounts.passwordresetrequest", "accounts.valuechainstage"}
)


def role_has_model_perm(role: str, perm: str) -> bool:
    """Tell whether ``role`` holds the Django model permission ``perm`` ("app.verb_model")."""
    if role == "admin":
        return True
    if role != "facilitator":
        return False
    app_label, _, codename = perm.partition(".")
    verb, _, model = codename.partition("_")
    label = f"{app_label}.{model}"
    if app_label not in FACILITATOR_APPS or label in HIDDEN_FROM_FACILITATORS:
        return False
    if label in FACILITATOR_READ_ONLY_MODELS:
        return verb == "view"
    return True


def role_has_module_perm(role: str, app_label: str) -> bool:
    return role == "admin" or (role == "facilitator" and app_label in FACILITATOR_APPS)
