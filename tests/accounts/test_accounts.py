"""Accounts: password hashing, login, personal API tokens, roles."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from metalloop.accounts import selectors, services
from metalloop.accounts.models import ApiToken, User
from tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.argon2
def test_passwords_are_hashed_with_argon2():
    user = services.user_create(
        actor=None,
        email="Neu@Example.org",
        password="a long enough passphrase",
        organisation=OrganisationFactory(),
    )
    assert user.email == "neu@example.org"
    assert user.password.startswith("argon2$")
    assert user.check_password("a long enough passphrase")


def test_user_create_refuses_weak_passwords_and_duplicates():
    org = OrganisationFactory()
    with pytest.raises(ValidationError) as weak:
        services.user_create(actor=None, email="a@example.org", password="123", organisation=org)
    assert "password" in weak.value.message_dict
    services.user_create(
        actor=None, email="a@example.org", password="a long enough passphrase", organisation=org
    )
    with pytest.raises(ValidationError) as taken:
        services.user_create(
            actor=None, email="A@example.org", password="a long enough passphrase", organisation=org
        )
    assert "email" in taken.value.message_dict
    assert User.objects.count() == 1


def test_members_and_facilitators_need_an_organisation_admins_do_not():
    with pytest.raises(ValidationError) as missing:
        services.user_create(
            actor=None, email="m@example.org", password="a long enough passphrase", role="member"
        )
    assert "organisation" in missing.value.message_dict
    admin = services.user_create(
        actor=None, email="x@example.org", password="a long enough passphrase", role="admin"
    )
    assert admin.is_superuser and admin.is_staff


def test_a_facilitator_may_create_members_but_not_admins(facilitator):
    org = OrganisationFactory()
    services.user_create(
        actor=facilitator,
        email="new@example.org",
        password="a long enough passphrase",
        organisation=org,
    )
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=facilitator,
            email="boss@example.org",
            password="a long enough passphrase",
            role="admin",
        )


def test_login_page_logs_in_and_out(client):
    user = UserFactory(email="ok@example.org")
    response = client.post(
        "/account/login/", {"username": "OK@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    client.post("/account/logout/")
    assert "_auth_user_id" not in client.session


def test_tokens_are_stored_as_digests_and_authenticate_until_revoked(member, other_member):
    token, raw = services.token_create(actor=member, name="ERP")
    assert raw.startswith("mlp_") and raw not in token.digest
    assert ApiToken.objects.filter(digest__contains=raw).count() == 0
    assert selectors.user_for_token(raw) == (member, token)
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=other_member, token=token)
    services.token_revoke(actor=member, token=token)
    assert selectors.user_for_token(raw) is None
    assert selectors.user_for_token(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None


def test_a_token_needs_a_name(member):
    with pytest.raises(ValidationError) as unnamed:
        services.token_create(actor=member, name="  ")
    assert "name" in unnamed.value.message_dict


def test_tokens_page_lists_creates_shows_once_and_revokes(client_for, member, other_member):
    client = client_for(member)
    created = client.post("/account/tokens/", {"name": "Skript"})
    assert created.status_code == 200
    secret = created.context["created"]
    assert secret in created.text
    listing = client.get("/account/tokens/")
    assert secret not in listing.text and "Skript" in listing.text
    token = ApiToken.objects.get(user=member)
    assert client_for(other_member).post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_tokens_page_with_empty_name_shows_the_form_again(client_for, member):
    response = client_for(member).post("/account/tokens/", {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_token_api_lists_creates_and_revokes_own_tokens(client, member, token_for):
    headers = token_for(member)
    me = client.get("/api/v1/me", headers=headers)
    assert me.json()["email"] == member.email
    created = client.post(
        "/api/v1/tokens", {"name": "CI"}, content_type="application/json", headers=headers
    )
    assert created.status_code == 201
    assert created.json()["token"].startswith("mlp_")
    listed = client.get("/api/v1/tokens", headers=headers).json()
    assert sorted(t["name"] for t in listed) == ["CI", "test"]
    assert all("token" not in t for t in listed)
    revoked = client.delete(f"/api/v1/tokens/{created.json()['id']}", headers=headers)
    assert revoked.status_code == 204
    assert client.get("/api/v1/tokens").status_code == 401


def test_role_permissions_for_the_admin_site(member, facilitator, admin_user):
    assert not member.is_staff and not member.has_module_perms("network")
    assert facilitator.is_staff and facilitator.has_perm("network.change_barrier")
    assert facilitator.has_perm("accounts.view_user") and not facilitator.has_perm(
        "accounts.change_user"
    )
    assert not facilitator.has_perm("accounts.view_apitoken")
    assert admin_user.has_perm("accounts.change_user")


def test_an_empty_password_leaves_the_account_without_a_usable_password():
    user = services.user_create(actor=None, email="nopw@example.org", password="", role="admin")
    assert not user.has_usable_password()
    request = RequestFactory().post("/account/login/")
    assert authenticate(request, email="nopw@example.org", password="") is None
