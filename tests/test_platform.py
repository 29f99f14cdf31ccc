"""The platform as a whole: settings, migrations, health, purity of the core."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("METALLOOP_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=False
    )


def test_importing_the_core_does_not_load_django():
    result = run_python(
        "import sys, metalloop.core, metalloop.core.geo; "
        "print('django' in sys.modules or 'ninja' in sys.modules)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_settings_refuse_debug_off_with_the_development_secret_key():
    result = run_python(
        "import django; django.setup()", DJANGO_SETTINGS_MODULE="metalloop.settings"
    )
    assert result.returncode != 0
    assert "refuses to start with debug off and the development secret key" in result.stderr


def test_settings_start_with_debug_on_and_the_development_key():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        DJANGO_SETTINGS_MODULE="metalloop.settings",
        METALLOOP_DEBUG="1",
        METALLOOP_DATABASE_URL="sqlite:///:memory:",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_settings_refuse_an_unknown_language():
    result = run_python(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="metalloop.settings",
        METALLOOP_DEBUG="1",
        METALLOOP_LANGUAGE="fr",
    )
    assert result.returncode != 0
    assert "METALLOOP_LANGUAGE='fr' is not offered" in result.stderr


@pytest.mark.django_db
def test_models_and_migrations_do_not_drift():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


@pytest.mark.django_db
def test_health_answers_ok(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
