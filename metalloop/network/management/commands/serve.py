"""``metalloop serve``: serve the platform with gunicorn (a production-grade WSGI server).

``--setup`` first applies the migrations and loads the demo network into an empty database,
then prints the address and the demo logins.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from metalloop.network.demo import DEMO_USERS, demo_load


class Command(BaseCommand):
    help = "Serve metalloop with gunicorn; --setup migrates and loads the demo network first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--setup", action="store_true", help="migrate and load the demo data first"
        )
        parser.add_argument("--host", default=os.environ.get("METALLOOP_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("METALLOOP_PORT", "8000"))
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("METALLOOP_WORKERS", "3"))
        )
        # An upload of the largest table (METALLOOP_IMPORT_MAX_ROWS) is checked row by row in
        # its request, about a minute for 20,000 listings on a small server; gunicorn's own
        # 30 s would kill the worker halfway. The database is not locked meanwhile.
        parser.add_argument(
            "--timeout",
            type=int,
            default=int(os.environ.get("METALLOOP_REQUEST_TIMEOUT", "180")),
            help="seconds a request may take before its worker is restarted (default 180)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["setup"]:
            self._setup()
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which(
            "gunicorn"
        )
        if gunicorn is None:
            raise CommandError("gunicorn is not installed in this environment; run `make run`.")
        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(
            self.style.SUCCESS(f"metalloop serves on {url}  (API docs: {url}/api/v1/docs)")
        )
        self.stdout.flush()
        os.execv(gunicorn, self._gunicorn_argv(gunicorn, options))  # noqa: S606 - replaces this process

    def _setup(self) -> None:
        call_command("migrate", "--noinput", verbosity=0)
        result = demo_load(if_empty=True)
        self.stdout.write(result.summary())
        self.stdout.write("Demo logins (demo data only; change or remove them before real use):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.role:<12} {user.email:<40} password: {user.password}")

    @staticmethod
    def _gunicorn_argv(gunicorn: str, options: dict[str, Any]) -> list[str]:
        return [
            gunicorn,
            "metalloop.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--timeout",
            str(options["timeout"]),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("METALLOOP_FORWARDED_ALLOW_IPS", "127.0.0.1"),
            "--chdir",
            str(settings.BASE_DIR),
        ]
