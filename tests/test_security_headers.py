"""Security headers: the Content-Security-Policy on every answer; on an https deployment a
redirect from plain HTTP (not for the health check) and HSTS with subdomains."""

from __future__ import annotations

import json

import pytest

from tests.test_platform import run_python

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

READ_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({name: getattr(s, name, None) for name in ["
    "'SECURE_SSL_REDIRECT', 'SECURE_REDIRECT_EXEMPT', 'SECURE_PROXY_SSL_HEADER', "
    "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD']} "
    "| {'img-src': s.SECURE_CSP['img-src']}))"
)


def settings_for(**env: str) -> dict:
    result = run_python(
        READ_SETTINGS,
        DJANGO_SETTINGS_MODULE="metalloop.settings",
        METALLOOP_SECRET_KEY="k" * 50,
        METALLOOP_DATABASE_URL="sqlite:///:memory:",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_an_https_deployment_redirects_plain_http_and_sends_hsts_with_subdomains():
    assert settings_for(METALLOOP_PUBLIC_BASE_URL="https://metalloop.example.org") == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_REDIRECT_EXEMPT": ["^api/v1/health$"],
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "img-src": ["'self'", "data:"],
    }


def test_a_plain_http_deployment_neither_redirects_nor_sends_hsts():
    assert settings_for(METALLOOP_PUBLIC_BASE_URL="http://127.0.0.1:8000") == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_REDIRECT_EXEMPT": [],
        "SECURE_PROXY_SSL_HEADER": None,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "img-src": ["'self'", "data:"],
    }


@pytest.mark.parametrize(
    ("tile_url", "source"),
    [
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("https://tiles.example.org/osm/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("https://a.{s}.example.org/{z}/{x}/{y}.png", "https:"),
    ],
)
def test_a_configured_tile_server_may_serve_images(tile_url, source):
    assert settings_for(METALLOOP_MAP_TILE_URL=tile_url)["img-src"] == ["'self'", "data:", source]


def test_every_answer_carries_the_policy(client, organisation):
    for path in ("/", "/organisations/", "/api/v1/health", "/api/v1/docs", "/account/login/"):
        assert client.get(path)["Content-Security-Policy"] == POLICY, path


def test_plain_http_is_redirected_behind_the_proxy_and_https_gets_hsts(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    plain = client.get("/organisations/?q=stahl")
    health = client.get("/api/v1/health")
    secure = client.get("/organisations/", headers={"X-Forwarded-Proto": "https"})

    assert (plain.status_code, plain["Location"]) == (
        301,
        "https://testserver/organisations/?q=stahl",
    )
    assert (health.status_code, health.json()["status"]) == (200, "ok")
    assert "Strict-Transport-Security" not in plain
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
