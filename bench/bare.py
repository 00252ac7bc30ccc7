"""The floor a Python generator stands on: the issue's "bare pipeline" on a benchmark corpus.

    python bench/bare.py CORPUS [--processes 2]

Front matter (python-frontmatter), Markdown (Python-Markdown, with the extensions Warraq uses), one small
Jinja template and a file write per article, spread over two processes, and nothing else: no listings,
tags, archives, feeds, dates, translations, cache or checks. Run it on a corpus that bench/run.py kept
(--keep DIR) to see, on the same machine and at the same moment, how much of a cold build is this floor.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

import frontmatter
import jinja2
import markdown

TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}" dir="{{ 'rtl' if lang == 'ar' else 'ltr' }}">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1><p>{{ date }}</p>{{ body|safe }}</main></body>
</html>
"""


def convert(job: tuple[Path, Path]) -> int:
    """Read, parse, convert, render and write one article; return the bytes written."""
    source, target = job
    post = frontmatter.loads(source.read_text(encoding="utf-8"))
    converter = CONVERTER[0]
    converter.reset()
    html = TEMPLATE_OBJECT[0].render(lang=source.parts[-3], title=post.get("title", ""), date=post.get("date"),
                                     body=converter.convert(post.content))
    target.parent.mkdir(parents=True, exist_ok=True)
    data = html.encode("utf-8")
    target.write_bytes(data)
    return len(data)


# One converter and one compiled template per process, made by the pool's initializer.
CONVERTER: list[markdown.Markdown] = []
TEMPLATE_OBJECT: list[jinja2.Template] = []


def start() -> None:
    CONVERTER.append(markdown.Markdown(extensions=["tables", "footnotes", "toc", "sane_lists"], output_format="html"))
    TEMPLATE_OBJECT.append(jinja2.Environment(autoescape=True).from_string(TEMPLATE))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Time the bare Python pipeline on a benchmark corpus.")
    parser.add_argument("corpus", type=Path, help="a corpus folder written by bench/run.py --keep")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    sources = sorted((args.corpus / "content").rglob("*.md"))
    with tempfile.TemporaryDirectory(prefix="warraq-bare-") as scratch:
        jobs = [(source, Path(scratch) / source.relative_to(args.corpus).with_suffix(".html")) for source in sources]
        started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(args.processes, initializer=start) as pool:
            written = sum(pool.imap_unordered(convert, jobs, chunksize=32))
        seconds = time.perf_counter() - started
    print(f"bare pipeline: {len(jobs)} articles, {written / 2**20:.0f} MiB written, {seconds:.2f} s "
          f"on {args.processes} processes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
