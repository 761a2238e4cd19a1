"""The ``helpmate`` command: Helpmate's own commands plus all of Django's.

``helpmate demo``, ``serve``, ``worker``, ``createagent``, ``token``, ``generate`` and Django's
``migrate``, ``shell``, ``createsuperuser``... are management commands run through here.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpmate.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["helpmate", *argv])
    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"helpmate: configuration problem: {exc}\n")
        raise SystemExit(2) from exc


if __name__ == "__main__":
    main()
