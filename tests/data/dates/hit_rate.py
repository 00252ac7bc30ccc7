"""How many lines of real_dates.tsv (collected while building the reader), real_dates_heldout.tsv
(collected after, measured before any change for it) and real_dates_review.tsv (collected in review:
52/54 before the fixes it led to) a parse_date reads right: a date that matches,
or a refusal where "error" is expected. Usage, from the project root:

    python tests/data/dates/hit_rate.py                      # generator.arabic as it is now
    git show HEAD:generator/arabic.py > /tmp/old_arabic.py
    python tests/data/dates/hit_rate.py /tmp/old_arabic.py   # an older single-file arabic.py
    add -v to list the misses
"""

from __future__ import annotations

import csv
import datetime
import importlib
import importlib.util
import inspect
import sys
from pathlib import Path

TABLES = tuple(
    Path(__file__).with_name(name)
    for name in ("real_dates.tsv", "real_dates_heldout.tsv", "real_dates_review.tsv")
)
TODAY = datetime.date(2026, 11, 30)  # the day the set was collected; later dates would be "future"


def load_parse_date(path: str | None):
    """parse_date from generator.arabic, or from a standalone module file."""
    if not path:
        sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
        return importlib.import_module("generator.arabic").parse_date
    spec = importlib.util.spec_from_file_location("measured_arabic", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["measured_arabic"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module.parse_date


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    paths = [arg for arg in argv if arg != "-v"]
    parse_date = load_parse_date(paths[0] if paths else None)
    takes_today = "today" in inspect.signature(parse_date).parameters
    for table in TABLES:
        with table.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        hits = 0
        for row in rows:
            try:
                day = parse_date(row["text"], today=TODAY) if takes_today else parse_date(row["text"])
                got, reason = day.isoformat(), ""
            except ValueError as error:
                got, reason = "error", str(error)
            hits += got == row["expected"]
            if verbose and got != row["expected"]:
                print(f"miss: {row['text']}  expected {row['expected']}, got {got} {reason}")
        print(f"{table.name}: {hits}/{len(rows)} read right")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
