"""Benchmark the build: cold, no-change, one-article and one-template rebuilds, and peak memory.

    python bench/run.py [--sizes 1000 5000 20000] [--keep DIR] [--profile] [--repeat 1] [--seed 1]

For each N a corpus is generated with bench/make_corpus.py (N Arabic articles, 30% translated)
into a temporary folder (or DIR/n<N> with --keep), then `python build.py --root CORPUS --quiet`
of this repository runs as a subprocess:

- cold:          output/ and the build cache (.warraq-cache/) deleted first;
- no-change:     the same build again, nothing touched;
- one-article:   a sentence appended to one Arabic article;
- one-template:  an HTML comment appended to themes/default/templates/article.html.

Every build runs inside a small wrapper process of its own, which times it and reports its
descendants' peak memory: `peak MiB` is the largest resident set of any single process of the
build (getrusage RUSAGE_CHILDREN ru_maxrss, exact); `tree MiB` is the largest sum of the
proportional set sizes (PSS) of all the build's processes at once, sampled from /proc every 20 ms:
the memory the whole build holds, counting pages that forked workers share with the main
process once rather than once per process. `cold CPU s` is the cold build's user + system time over all its processes
(less sensitive than wall time to other work on the machine) and `load` the 1-minute load
average when the size started: a load above the number of CPUs means the times are inflated
by other processes. --repeat R reports the fastest of R runs of each kind. Rows are printed as
each size finishes, so a run stopped by a time limit still reports the sizes it completed.

`search index s` is the search stage alone (bench/search_recall.py's index_seconds: every article's record
folded and Pagefind run over every shard, no cache), in this process after the builds.

Before the sizes, `python build.py import` of --import-seeds raw seeds (default 2,000, made by
bench/make_seeds.py; 0 skips it) into an empty content/ is timed three times (or --repeat times if
more), and the median is printed next to the target of 2.5 s.

--profile runs one more cold build per size under cProfile and prints the top 25 entries by
cumulative time (and the top 15 by own time). cProfile sees only the main process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from make_corpus import make_corpus  # noqa: E402
from make_seeds import make_seeds  # noqa: E402
from search_recall import index_seconds  # noqa: E402

BUILD = REPO / "build.py"
CACHE = ".warraq-cache"
TEMPLATE = Path("themes/default/templates/article.html")

# Runs one command, waits for it, then prints one JSON line: exit code, wall seconds, the peak
# resident set of its largest descendant (ru_maxrss, KiB on Linux) and the sampled peak sum of
# the whole process tree. A fresh wrapper per build keeps RUSAGE_CHILDREN to that one build.
WRAPPER = r"""
import json, os, resource, subprocess, sys, threading, time

def pss(pid):
    # Proportional set size: a page shared by n processes (forked workers share most of theirs with the
    # main process) counts 1/n in each, so the sum over the tree is the memory the build really holds.
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0

def tree_pss(root):
    parents = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            parents[int(name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            pass
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += pss(pid)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total

peak = [0]
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
done = threading.Event()

def sample():
    while not done.wait(0.02):
        peak[0] = max(peak[0], tree_pss(child.pid))

sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
err = child.stderr.read()
code = child.wait()
seconds = time.perf_counter() - started
done.set()
sampler.join()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "seconds": seconds, "maxrss_kib": usage.ru_maxrss, "tree_bytes": peak[0],
                  "cpu": usage.ru_utime + usage.ru_stime,
                  "stderr": err.decode("utf-8", "replace")[-4000:]}))
"""


class BuildFailed(Exception):
    pass


def timed_build(root: Path, extra: tuple[str, ...] = ()) -> dict:
    """Run one build of root through the wrapper; return its measurements."""
    command = [sys.executable, "-c", WRAPPER, sys.executable, str(BUILD), "--root", str(root), "--quiet", *extra]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BuildFailed(f"wrapper failed ({done.returncode}): {done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise BuildFailed(f"build exited {result['code']}:\n{result['stderr']}")
    return result


def age(root: Path, seconds: float = 86400) -> None:
    """Date every file of a fresh corpus a day back, as an archive's files are. Files written within two seconds
    of a build cannot be trusted by their stat (generator.cache.RACY_NS) and are re-hashed by every build until
    one records them again; a corpus generated just before its cold build would measure that, not an editor's
    rebuild."""
    when = time.time() - seconds
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (when, when))


def clean(root: Path) -> None:
    """Remove output/ and the build cache, for a cold build."""
    for name in ("output", CACHE):
        if (root / name).exists():
            shutil.rmtree(root / name)


def count_pages(root: Path) -> int:
    return sum(1 for _ in (root / "output").rglob("*.html"))


def first_article(root: Path) -> Path:
    return sorted((root / "content" / "ar").rglob("*.md"))[0]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(root: Path, repeat: int = 1) -> dict:
    """Cold, no-change, one-article and one-template builds of the corpus at root (best of `repeat`)."""
    row: dict = {"load": os.getloadavg()[0]}
    colds = []
    for _ in range(repeat):
        clean(root)
        colds.append(timed_build(root))
    cold = min(colds, key=lambda result: result["seconds"])
    row["pages"] = count_pages(root)
    row["cold"] = cold["seconds"]
    row["cpu"] = cold["cpu"]
    row["peak_mib"] = max(result["maxrss_kib"] for result in colds) / 1024
    row["tree_mib"] = max(result["tree_bytes"] for result in colds) / 2**20
    log(f"  cold {row['cold']:.2f} s ({row['cpu']:.2f} s CPU), {row['pages']} pages, peak {row['peak_mib']:.0f} MiB")
    nochange = min((timed_build(root) for _ in range(repeat)), key=lambda result: result["seconds"])
    row["nochange"] = nochange["seconds"]
    log(f"  no-change {row['nochange']:.2f} s ({nochange['cpu']:.2f} s CPU)")
    article = first_article(root)
    edited = min((edit_and_build(root, article, "\nجملة أضيفت لقياس إعادة البناء بعد تعديل مقال واحد.\n")
                  for _ in range(repeat)), key=lambda result: result["seconds"])
    row["article"] = edited["seconds"]
    log(f"  one-article {row['article']:.2f} s ({edited['cpu']:.2f} s CPU; {article.relative_to(root)})")
    edited = min((edit_and_build(root, root / TEMPLATE, "\n<!-- bench: one-template rebuild -->\n")
                  for _ in range(repeat)), key=lambda result: result["seconds"])
    row["template"] = edited["seconds"]
    log(f"  one-template {row['template']:.2f} s ({edited['cpu']:.2f} s CPU)")
    row["search"] = index_seconds(root)  # the search stage alone, cold: records folded and Pagefind run
    log(f"  search index {row['search']:.2f} s (cold, no cache)")
    return row


def edit_and_build(root: Path, path: Path, addition: str) -> dict:
    """Append text to a file, rebuild, return the build's measurements."""
    with path.open("a", encoding="utf-8") as file:
        file.write(addition)
    return timed_build(root)


IMPORT_TARGET_SECONDS = 2.5


def measure_import(root: Path, seeds: int, repeat: int = 3, seed: int = 1) -> dict:
    """Time `build.py import` of `seeds` generated seeds into an empty content/, repeat times; the median and
    fastest wall seconds, the median CPU seconds of all its processes, and how many articles it wrote."""
    make_seeds(seeds, root, seed)
    runs = []
    for _ in range(repeat):
        shutil.rmtree(root / "content")
        (root / "content").mkdir()
        command = [sys.executable, "-c", WRAPPER, sys.executable, str(BUILD), "import", "--root", str(root), "--quiet"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        result = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else {"code": -1}
        if result["code"] not in (0, 1):  # 1: the seeds' own warnings (an undated seed), not a failure
            raise BuildFailed(f"import exited {result['code']}:\n{result.get('stderr', done.stderr)}")
        runs.append(result)
    walls = sorted(result["seconds"] for result in runs)
    cpus = sorted(result["cpu"] for result in runs)
    return {"seeds": seeds, "median": walls[len(walls) // 2], "fastest": walls[0], "cpu": cpus[len(cpus) // 2],
            "articles": sum(1 for _ in (root / "content").rglob("*.md"))}


def format_import(row: dict) -> str:
    verdict = "met" if row["median"] <= IMPORT_TARGET_SECONDS else "missed"
    return (f"Import of {row['seeds']:,} seeds: {row['median']:.2f} s median (fastest {row['fastest']:.2f} s, "
            f"{row['cpu']:.2f} s CPU, {row['articles']:,} articles); target ≤ {IMPORT_TARGET_SECONDS} s: {verdict}")


HEADER = ("| N | pages | cold s | no-change s | one-article s | one-template s | peak MiB | tree MiB "
          "| cold CPU s | load | search index s |\n"
          "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")


def format_row(n: int, row: dict) -> str:
    return (f"| {n:,} | {row['pages']:,} | {row['cold']:.2f} | {row['nochange']:.2f} | {row['article']:.2f} "
            f"| {row['template']:.2f} | {row['peak_mib']:.0f} | {row['tree_mib']:.0f} | {row['cpu']:.2f} "
            f"| {row['load']:.1f} | {row['search']:.2f} |")


def profile(root: Path, top: int = 25) -> str:
    """One cold build under cProfile; the top entries by cumulative and by own time, as text."""
    import io
    import pstats

    clean(root)
    with tempfile.TemporaryDirectory() as scratch:
        stats_file = Path(scratch) / "build.prof"
        command = [sys.executable, "-m", "cProfile", "-o", str(stats_file), str(BUILD), "--root", str(root), "--quiet"]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if done.returncode != 0 or not stats_file.exists():
            return f"profiled build of {root} failed ({done.returncode}):\n{done.stderr[-4000:]}\n"
        text = io.StringIO()
        stats = pstats.Stats(str(stats_file), stream=text)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(15)
        return (f"\n### cProfile, cold build of {root.name} ({seconds:.2f} s under the profiler)\n\n"
                f"```\n{text.getvalue().strip()}\n```\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Benchmark Warraq builds on generated corpora.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000], metavar="N",
                        help="numbers of Arabic articles (default: 1000 5000 20000)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write the corpora to DIR/n<N> and keep them")
    parser.add_argument("--seed", type=int, default=1, help="corpus random seed (default: 1)")
    parser.add_argument("--profile", action="store_true", help="also profile one cold build per size")
    parser.add_argument("--repeat", type=int, default=1, metavar="R",
                        help="run each kind of build R times and report the fastest (default: 1)")
    parser.add_argument("--import-seeds", type=int, default=2000, metavar="S",
                        help="time the import of S generated seeds first (default: 2000; 0 skips it)")
    args = parser.parse_args(argv)

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, build.py of {REPO}\n", flush=True)
    failures = 0
    profiles: list[str] = []
    scratch = None if args.keep else tempfile.TemporaryDirectory(prefix="warraq-bench-")
    base = args.keep if args.keep else Path(scratch.name)
    try:
        if args.import_seeds > 0:
            try:
                print(format_import(measure_import(base / "import", args.import_seeds, max(3, args.repeat),
                                                   args.seed)) + "\n", flush=True)
            except BuildFailed as error:
                failures += 1
                print(f"Import of {args.import_seeds:,} seeds: failed\n", flush=True)
                log(str(error))
        print(HEADER, flush=True)
        for n in args.sizes:
            root = base / f"n{n}"
            if root.exists():
                shutil.rmtree(root)
            started = time.perf_counter()
            counts = make_corpus(n, root, args.seed)
            age(root)
            log(f"N={n}: corpus of {counts['ar']} ar + {counts['en']} en articles in "
                f"{time.perf_counter() - started:.1f} s at {root}")
            try:
                row = measure(root, max(1, args.repeat))
            except BuildFailed as error:
                failures += 1
                print(f"| {n:,} | build failed | | | | | | | | | |", flush=True)
                log(str(error))
                continue
            print(format_row(n, row), flush=True)
            if args.profile:
                log("  profiling a cold build")
                profiles.append(profile(root))
        for text in profiles:
            print(text, flush=True)
    finally:
        if scratch:
            scratch.cleanup()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
