"""Warraq: a static site generator for Arabic publishers and their English readers."""

# The one place the version is written: `python build.py --version` prints it.
__version__ = "0.1.0"
