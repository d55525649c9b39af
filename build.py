#!/usr/bin/env python3
"""Build the versus site. Run ``python build.py --help`` for options."""
import sys

from versus.cli import main

if __name__ == "__main__":
    sys.exit(main())
