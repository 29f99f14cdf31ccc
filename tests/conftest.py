"""Shared fixtures: users of every role, API clients with tokens."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import NetworkFactory, OrganisationFactory, UserFactory


@pytest.fixture
def network(db):
    return NetworkFactory()


@pytest.fixture
def organisation(db, network):
    org = OrganisationFactory()
    network.memberships.create(organisation=org)
    return org


@pytest.fixture
def other_organisation(db, network):
    org = OrganisationFactory()
    network.memberships.create(organisation=org)
    return org


@pytest.fixture
def member(db, organisation):
    return UserFactory(organisation=organisation, role="member")


@pytest.fixture
def other_member(db, other_organisation):
    return UserFactory(organisation=other_organisation, role="member")


@pytest.fixture
def facilitator(db, network):
    user = UserFactory(organisation=OrganisationFactory(), role="facilitator")
    network.facilitators.add(user)
    return user


@pytest.fixture
def admin_user(db):
    return UserFactory(organisation=None, role="admin")


@pytest.fixture
def client_for(db):
    """Return a logged-in browser client for a user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(scope="session", autouse=True)
def collected_static_files():
    """Pages render with the manifest storage, as in production: collect once if needed."""
    from django.conf import settings
    from django.core.management import call_command

    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", verbosity=0)
