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


def test_cookies_are_secure_outside_debug_and_can_be_opted_out():
    code = "import django; django.setup(); from django.conf import settings as s; " + (
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)"
    )
    production = run_python(
        code, DJANGO_SETTINGS_MODULE="metalloop.settings", METALLOOP_SECRET_KEY="k" * 50
    )
    assert production.stdout.split() == ["True", "True", "True"], production.stderr
    debug = run_python(code, DJANGO_SETTINGS_MODULE="metalloop.settings", METALLOOP_DEBUG="1")
    assert debug.stdout.split() == ["False", "False", "True"], debug.stderr


def test_the_sqlite_database_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection as c; cur = c.cursor(); "
        "print(*[cur.execute(f'PRAGMA {p}').fetchone()[0] for p in "
        "('journal_mode', 'foreign_keys', 'busy_timeout')])"
    )
    result = run_python(
        code,
        DJANGO_SETTINGS_MODULE="metalloop.settings",
        METALLOOP_DEBUG="1",
        METALLOOP_DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.stdout.split() == ["wal", "1", "20000"], result.stderr
