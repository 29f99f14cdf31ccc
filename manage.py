#!/usr/bin/env python
"""Django's command-line utility; `metalloop` (metalloop.cli) is the same with local defaults."""

import sys

from metalloop.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
