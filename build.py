"""Warraq's entry point: python build.py [--version] [build|import|check|serve|new] --help."""

import sys

from generator.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
