"""Run a ``metalloop`` command that stops at one moment of an import, for the tests that
kill or race a real import process: ``python -m tests.cli.import_probe MOMENT COMMAND…``.

MOMENT is one of

- ``setup``: create the network ``probe-netz``, its member ``probe-gmbh`` with the site
  ``Werk`` in Duisburg, and the member ``probe@example.org`` (COMMAND is not run);
- ``checking``: print ``CHECKING`` when the import checks its first row, then wait until the
  file named by the environment variable ``PROBE_GO`` exists, and go on;
- ``writing``: print ``WRITING`` once the import has written its first table inside its
  write transaction, then wait to be killed;
- ``none``: run COMMAND as it is.

Only the test scaffolding waits; the import itself runs as in production.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

WAIT_S = 300


def main(moment: str, command: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metalloop.settings")
    import django

    django.setup()
    if moment == "setup":
        _setup()
        return
    if moment == "checking":
        _pause_when_checking()
    elif moment == "writing":
        _pause_when_writing()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["metalloop", *command])


def _setup() -> None:
    from metalloop.accounts.models import User
    from metalloop.network import services
    from metalloop.network.models import Network

    network = Network.objects.create(name="Probe-Netz", slug="probe-netz", kind="alliance")
    organisation = services.organisation_create(
        actor=None, name="Probe GmbH", slug="probe-gmbh", kind="company", networks=[network.slug]
    )
    services.site_create(actor=None, organisation=organisation, name="Werk", place="Duisburg")
    User.objects.create_user("probe@example.org", organisation=organisation)


def _pause_when_checking() -> None:
    from metalloop.common import imports

    plan_one = imports.plan_one
    go = Path(os.environ["PROBE_GO"])
    paused = []

    def plan_and_wait_once(*args: Any) -> Any:
        if not paused:
            paused.append(True)
            print("CHECKING", flush=True)
            deadline = time.monotonic() + WAIT_S
            while not go.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        return plan_one(*args)

    imports.plan_one = plan_and_wait_once


def _pause_when_writing() -> None:
    from metalloop.common.bulk import BulkWrite

    write_insert = BulkWrite._write_insert

    def write_and_wait(self: BulkWrite, insert: Any) -> None:
        write_insert(self, insert)
        print("WRITING", insert.model._meta.label, flush=True)
        time.sleep(WAIT_S)

    BulkWrite._write_insert = write_and_wait  # type: ignore[method-assign]


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
