"""versus: a static site of fund comparison pages built from daily market data."""

__version__ = "0.1.0"
