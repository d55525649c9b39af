"""``python -m versus COMMAND [options]``: the same as the ``versus`` console script."""
import sys

from .cli import console

if __name__ == "__main__":
    sys.exit(console())
