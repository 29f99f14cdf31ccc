"""Every text field of every model refuses control characters; char fields also line breaks.

The walk over the models is the guard for fields and models added later: a model that does
not derive from ``BaseModel``, or a text field it does not check, fails here.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from metalloop.common.models import BaseModel
from metalloop.common.text import (
    REFUSED_CHARACTER,
    is_single_line,
    stored_text_fields,
)

PROJECT_MODELS = [
    model
    for config in apps.get_app_configs()
    if config.name.startswith("metalloop.")
    for model in config.get_models()
]
TEXT_FIELDS = [(model, field) for model in PROJECT_MODELS for field in stored_text_fields(model)]


def field_id(value: object) -> str:
    if isinstance(value, type):
        return value._meta.label
    return value.name if isinstance(value, models.Field) else str(value)


def bad_value(field: models.Field, text: str) -> object:
    return {"key": ["ok", text]} if isinstance(field, models.JSONField) else text


def errors_when(model: type[models.Model], field: models.Field, value: object) -> dict:
    """The field errors of ``clean_fields`` on an instance holding ``value`` in ``field``."""
    instance = model()
    setattr(instance, field.attname, value)
    others = {f.name for f in model._meta.fields if f.name != field.name}
    try:
        instance.clean_fields(exclude=others)
    except ValidationError as invalid:
        return {name: [e.code for e in errors] for name, errors in invalid.error_dict.items()}
    return {}


def test_the_walk_covers_every_app_and_the_known_text_fields():
    labels = {model._meta.app_label for model in PROJECT_MODELS}
    names = {f"{model._meta.label}.{field.name}" for model, field in TEXT_FIELDS}

    assert labels == {"common", "accounts", "network", "exchange", "matching"}
    assert {
        "exchange.Listing.title",
        "exchange.Listing.description",
        "accounts.Organisation.name",
        "accounts.User.full_name",
        "network.Site.street",
        "matching.ProposalParty.comment",
        "matching.SavedSearch.filters",
    } <= names
    assert len(TEXT_FIELDS) >= 120


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=field_id)
def test_every_model_derives_from_the_base_model(model):
    assert issubclass(model, BaseModel)


@pytest.mark.parametrize(
    "text", ["Span\x00e", "Span\x07e", "Span\x1b[31me", "Span\x7fe", "\x85", "ab\u202ecba"]
)
@pytest.mark.parametrize(("model", "field"), TEXT_FIELDS, ids=field_id)
def test_every_text_field_refuses_a_control_character(model, field, text):
    assert errors_when(model, field, bad_value(field, text)) == {field.name: [REFUSED_CHARACTER]}


@pytest.mark.parametrize(("model", "field"), TEXT_FIELDS, ids=field_id)
def test_single_line_fields_refuse_line_breaks_and_the_others_keep_them(model, field):
    errors = errors_when(model, field, bad_value(field, "erste Zeile\nzweite Zeile"))

    if is_single_line(field):
        assert errors == {field.name: [REFUSED_CHARACTER]}
    else:
        assert REFUSED_CHARACTER not in errors.get(field.name, [])


def test_the_message_names_the_character_and_its_position_in_german_and_english():
    from metalloop.accounts.models import Organisation

    organisation = Organisation(name="Acme\x07 Metall", kind="company", slug="acme")
    with pytest.raises(ValidationError) as german:
        organisation.full_clean(exclude={"slug"})
    with translation.override("en"), pytest.raises(ValidationError) as english:
        organisation.full_clean(exclude={"slug"})

    assert german.value.message_dict == {
        "name": ["Der Text enthält ein Steuerzeichen (U+0007) an Stelle 5; bitte entfernen Sie es."]
    }
    assert english.value.message_dict == {
        "name": ["The text holds a control character (U+0007) at position 5; remove it."]
    }


@pytest.mark.django_db
def test_the_refusal_comes_with_the_other_field_errors_at_once():
    from metalloop.accounts.models import Organisation

    organisation = Organisation(
        name="Acme\u202eHGmb", kind="nonsense", slug="acme", website="kein Link"
    )
    with translation.override("en"), pytest.raises(ValidationError) as invalid:
        organisation.full_clean()

    assert {
        name: [e.code for e in errors] for name, errors in invalid.value.error_dict.items()
    } == {
        "name": [REFUSED_CHARACTER],
        "kind": ["invalid_choice"],
        "website": ["invalid"],
    }
