"""The ``metalloop`` command: Django's management commands with local defaults.

``metalloop serve``, ``metalloop migrate``, ``metalloop demo load``, ``metalloop user create``,
``metalloop token create``, ``metalloop import``/``export`` ... are management commands of
the apps; this wrapper only prepares the environment of a local installation.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def var_dir() -> Path:
    return Path(os.environ.get("METALLOOP_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))


def ensure_local_secret_key() -> None:
    """Give a local installation a persistent random secret key in var/secret_key.

    A deployment sets METALLOOP_SECRET_KEY itself; settings refuse to start without one.
    """
    if os.environ.get("METALLOOP_SECRET_KEY") or os.environ.get("METALLOOP_DEBUG"):
        return
    path = var_dir() / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    os.environ["METALLOOP_SECRET_KEY"] = path.read_text().strip()


def main(argv: list[str] | None = None) -> int:
    """Run a management command: ``metalloop COMMAND [ARGS]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metalloop.settings")
    ensure_local_secret_key()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["metalloop", *args])
    return 0
