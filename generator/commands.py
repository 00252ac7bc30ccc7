"""What the commands build, check and import do once the command line is parsed: run the stages under the
project lock and print what they did. The no-change check runs first; the stages that read and render
(pipeline.py: Jinja, Markdown, PyYAML...) and the importer are imported only when there is work for them,
so a build with nothing to do, like --version and --help, loads none of them."""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Sequence, TextIO

from generator import unchanged
from generator.import_record import import_state, is_imported, list_seeds
from generator.config import load_config
from generator.errors import BuildError, Problem, relative_path
from generator.guard import OutputRefused, resolve_output
from generator.lock import LockBusy, project_lock
from generator.scan import ContentWalk, walk_content
from generator.unchanged import BuildOptions, BuildResult, Opened, Survey, check_output_folder, open_build, \
    try_unchanged
from generator.writer import WriteFailed

if TYPE_CHECKING:
    from generator.importer import ImportReport


def run_command(root: Path, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run build, import or check; a refused output folder, a busy lock or an output folder that cannot be
    written is one line and its exit code, Ctrl-C exit 130 (see cli.EXIT_CODES)."""
    try:
        if args.command == "check":
            return run_check(root, args, out, err)
        return run_build(root, args, out, err)
    except (OutputRefused, LockBusy, WriteFailed) as error:
        print(error, file=err)
        return error.exit_code
    except KeyboardInterrupt:
        # The build removed its staging folder on the way out; files already moved in are repaired next time.
        print("interrupted; the next build finishes the job", file=err)
        return 130


def run_build(root: Path, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """import, or import then build: print what was done, the problems, and a closing line that agrees with
    the exit code (0, or 1 on problems)."""
    output = resolve_output(args.output) if getattr(args, "output", None) else None
    if args.command == "build":
        # Before the import writes content/ and before waiting for the lock: a refused folder is said at once.
        check_output_folder(output or root / "output", root)
    try:
        with project_lock(root, wait=not args.no_wait, err=err):
            # content/'s stats, taken once for the import's check and the build's no-change check.
            walk = walk_content(str(root / "content")) if args.command == "build" else None
            report = run_import(root, getattr(args, "force", []), args.command, args.verbose, walk)
            import_failed = report_import(report, args, out, err) if report else False
            if args.command == "import":
                return 1 if import_failed else 0  # each seed's line says what happened to it
            result = build_site(root, BuildOptions(output=output, base_url=args.base_url, strict=args.strict,
                                                   include_drafts=args.drafts, include_future=args.future),
                                walk if report is None else None)  # an import ran: content/ may differ now
    except BuildError as error:
        print_problems(error.problems, err)
        if args.command == "import":
            print(f"import stopped: {count_problems(error.problems, args.strict)}", file=err)
        else:
            print(f"build stopped: {count_problems(error.problems, args.strict)}; output/ left as it was", file=err)
        return error.exit_code
    print_problems(result.warnings, err)
    if not args.quiet:
        print(build_summary(result, len(report.problems) if report else 0), file=out)
    if args.verbose and result.stages:
        print(stage_summary(result), file=out)
    if args.verbose and result.indexed:
        print(search_summary(result), file=out)
    if report and import_failed:
        print(f"build: problems in the import: {count_problems(report.problems, args.strict)}; the site was built "
              f"from content/ as it is", file=err)
        return 1
    return 0


def run_check(root: Path, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """check: every article read and rendered as if published (drafts and future ones too, their problems
    marked), nothing written; with --site, the site as published built into a temporary folder and its links
    checked. Ends with "check: fine: ..." (0) or "check: problems: ..." (1)."""
    # Drafts and future articles are checked like the rest; pipeline marks their problems.
    # One date for the whole command (its builds would otherwise each read the clock, maybe across midnight).
    options = unchanged.dated(BuildOptions(base_url=args.base_url, strict=args.strict, include_drafts=True,
                                           include_future=True, write=False))
    site_lines: list[str] = []
    day = options.today
    try:
        # Plain check reads only (it writes nothing, not even the lock file); check --site holds the lock.
        with project_lock(root, wait=not args.no_wait, err=err) if args.site else nullcontext():
            if args.site:
                published, site_lines, day = check_built_site(
                    root, dataclasses.replace(options, include_drafts=False, include_future=False))
                # The published site had no draft or future article: it was the whole check. Otherwise drafts
                # and future articles are told apart as of the day of the site checked.
                result = build(root, dataclasses.replace(options, today=day)) \
                    if published.drafts or published.future else published
            else:
                result = build(root, options)
    except BuildError as error:
        print_problems(error.problems, err)
        print(f"check: problems: {count_problems(error.problems, args.strict)}", file=err)
        return error.exit_code
    print_problems(result.warnings, err)
    if not args.quiet:
        for line in result.coverage:
            print(f"translations: {line}", file=out)
    if site_lines:
        for line in site_lines:
            print(line, file=err)
        # Broken links, anchors, assets and feed entries, and pages the sitemap leaves out.
        print(f"check: problems: {count(len(site_lines), 'site problem')} as published, "
              f"{count(len(result.warnings), 'warning')}", file=err)
        return 1
    if not args.quiet:
        if day != options.today:
            print(f"check: output/ as built on {day}; build again to publish what is due since", file=out)
        print(check_summary(result), file=out)
    return 0


def check_built_site(root: Path, options: BuildOptions) -> tuple[BuildResult, list[str], datetime.date]:
    """Check the site as it will be served: output/ itself when the last build left there what a build of the
    published site would make on the day that build ran (the no-change check: nothing it read has changed
    since), else a build into a temporary folder as of options.today (check writes nothing to the project).
    Returns the result, the site's problems and the day of the site checked."""
    import tempfile

    from generator.linkcheck import site_report

    options = unchanged.dated(options)
    current = published_output(root, options)
    if current:
        return current[0], site_report(current[1].output, current[1].config.base_url), current[1].today
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "output"
        result = build(root, dataclasses.replace(options, write=True, output=output, use_cache=False))
        return result, site_report(output, load_config(root, options.base_url).base_url), options.today


def published_output(root: Path, options: BuildOptions) -> tuple[BuildResult, Opened] | None:
    """The last build's result and its opening (with that build's date as today) when output/ holds what
    `build` with options' base URL wrote on that day and would write again (nothing it read or wrote has
    changed since, and it was such a build: no --drafts, --future or --output); None otherwise, or when
    output/ is not a build's. The last build's day, not today: what is checked is what gets published, and
    the Pages workflow checks output/ in a step of its own, which may run after midnight."""
    published = BuildOptions(base_url=options.base_url, strict=options.strict, today=options.today)
    if not (root / "output").is_dir():
        return None
    try:
        opened = open_build(root, published)
    except OutputRefused:
        return None
    if opened.last_build and opened.last_build.today:
        opened = dataclasses.replace(opened, today=opened.last_build.today)
    found = try_unchanged(opened, published)
    if opened.cache:
        opened.cache.close()
    if not isinstance(found, BuildResult) or not output_as_recorded(opened):
        return None
    return found, opened


def output_as_recorded(opened: Opened) -> bool:
    """Whether output/ holds exactly the files the last build recorded leaving there, each with its recorded
    size, modification time and inode (the marker aside: every build touches it). A build trusts that record
    without looking (unchanged.is_as_recorded); a check of output/ in place must look, since a file added,
    edited or deleted there by hand would change what it finds. A file edited by hand with its size and
    modification time put back is not noticed."""
    from generator.guard import MARKER
    from generator.writer import list_files

    if opened.cache is None:
        return False
    opened.cache.reopen()
    try:
        state = opened.cache.fast_state()
    finally:
        opened.cache.close()
    if state is None:
        return False
    recorded = {file for file in state.outputs if file[0] != MARKER}
    return {file for file in list_files(opened.output) if file[0] != MARKER} == recorded


def build_site(root: Path, options: BuildOptions, walk: ContentWalk | None = None) -> BuildResult:
    """pipeline.build after the no-change check, which returns the last build's result when nothing has changed
    without the stages that read and render ever being imported; otherwise the build goes on from the check.
    walk: content/'s stats when taken already (and nothing written there since)."""
    opened = open_build(root, options)
    found = try_unchanged(opened, options, walk)
    if isinstance(found, BuildResult):
        return found
    return build(root, options, opened=opened, survey=found)


def build(root: Path, options: BuildOptions, opened: Opened | None = None, survey: Survey | None = None) -> BuildResult:
    """pipeline.build, imported here, when a build has work to do (opened and survey: the no-change check's)."""
    from generator import pipeline  # Jinja, Markdown, PyYAML, Babel's catalogs, Pillow: see the docstring

    return pipeline.build(root, options, opened=opened, survey=survey)


def run_import(root: Path, force: list[Path], command: str, verbose: bool = False,
               walk: ContentWalk | None = None) -> ImportReport | None:
    """Import new seeds (and forced ones) into content/. None, without loading the importer (PyYAML, the tag
    matcher, the date reader), when there is nothing to import: a build whose seeds/ holds no seed, or any
    command (but --verbose's, which lists every seed) when every seed is imported and neither seeds/ nor
    content/ changed since, as the import's record tells from file stats alone."""
    state = None
    if not force:
        seeds, problems = list_seeds(root / "seeds")
        # seeds/ and content/ as the record compares them, taken once: the import, if it runs, starts from it.
        state = import_state(root, seeds, walk) if seeds and not problems and not verbose else None
        # --verbose lists every seed imported already: only a build with no seed at all has nothing to say.
        if not problems and (command == "build" and not seeds or not verbose and is_imported(root, seeds, state)):
            if command == "import":
                load_config(root)  # `import` alone still says what is wrong with site.toml (a build does it later)
            return None
    from generator.importer import import_seeds  # the importer's own stage boundary (see run_import's doc)

    # A name is the current folder's when it is there, else the project's: the hint for a changed seed names it
    # from the project folder ("--force seeds/x.txt"), and a user may run with --root from elsewhere.
    return import_seeds(load_config(root), force=[(f if os.path.exists(f) else root / f).resolve() for f in force],
                        before=state)


def report_import(report: ImportReport, args: argparse.Namespace, out: TextIO, err: TextIO) -> bool:
    """Print what the import did; True when it failed: a seed could not be imported (or, with --strict, a
    warning)."""
    if not args.quiet:
        for path in report.created:
            print(f"imported {relative_path(path, args.root)}", file=out)
    if args.verbose:
        for path in report.skipped:
            print(f"already imported {relative_path(path, args.root)}", file=out)
    print_problems(report.problems, err)
    return any(not p.is_warning or args.strict for p in report.problems)


# The plural of each word the summary lines count; "other" stays as it is.
PLURALS = {"article": "articles", "listing": "listings", "feed": "feeds", "other": "other", "file": "files",
           "error": "errors", "warning": "warnings", "draft": "drafts", "future article": "future articles",
           "site problem": "site problems"}


def count(number: int, word: str) -> str:
    """"1 article", "2 articles": a number and the word in the right number."""
    return f"{number} {word if number == 1 else PLURALS[word]}"


def count_problems(problems: Sequence[Problem], strict: bool) -> str:
    """"1 error, 2 warnings", saying when --strict made the warnings errors."""
    warnings = sum(1 for p in problems if p.is_warning)
    text = f"{count(len(problems) - warnings, 'error')}, {count(warnings, 'warning')}"
    return f"{text} (errors under --strict)" if strict and warnings else text


def count_files(result: BuildResult) -> str:
    """"61 files (2 articles, 24 listings, 14 feeds, 21 other)": the parts add up to the total."""
    parts = ", ".join(count(number, kind) for kind, number in result.files_by_kind)
    return f"{count(sum(number for _, number in result.files_by_kind), 'file')} ({parts})"


def build_summary(result: BuildResult, import_warnings: int = 0) -> str:
    """The line a good build ends with: every file by kind, then written + unchanged = that total, then every
    warning printed (the import's too) and the time."""
    written = f"{result.written} written" if result.written else "nothing written"
    return (f"built {count_files(result)}: {written}, {result.unchanged} unchanged, "
            f"{count(len(result.warnings) + import_warnings, 'warning')}, {result.seconds:.2f} s")


def stage_summary(result: BuildResult) -> str:
    """"stages: start 0.32 s, survey 0.10 s, read 11.52 s, ...": where a build's time went (-v), every stage
    in the order it ran; they add up to the summary line's time."""
    return "stages: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.stages)


def search_summary(result: BuildResult) -> str:
    """"search: Pagefind indexed pagefind/ar/2017/ (272 articles) in 1.48 s, beside the stages": what the search
    stage cost (-v), which the stages show only in part (Pagefind runs in its own process while they go on);
    with several shards, their count, articles and Pagefind's seconds summed, and the longest."""
    if len(result.indexed) == 1:
        [(folder, records, seconds)] = result.indexed
        return f"search: Pagefind indexed {folder} ({count(records, 'article')}) in {seconds:.2f} s, beside the stages"
    folder, records, seconds = max(result.indexed, key=lambda shard: (shard[2], shard[0]))
    articles = count(sum(shard[1] for shard in result.indexed), "article")
    return (f"search: Pagefind indexed {len(result.indexed)} shards ({articles}) in "
            f"{sum(shard[2] for shard in result.indexed):.2f} s of its time, the longest {folder} "
            f"({count(records, 'article')}, {seconds:.2f} s)")


def check_summary(result: BuildResult) -> str:
    """The line a good check ends with: every file it rendered by kind, the drafts and future articles among
    the articles, the warnings and the time."""
    return (f"check: fine: {count_files(result)}, {count(result.drafts, 'draft')} and "
            f"{count(result.future, 'future article')} among them, {count(len(result.warnings), 'warning')}, "
            f"{result.seconds:.2f} s")


def print_problems(problems: Sequence[Problem], err: TextIO) -> None:
    """Each problem on its own line as path:line: message."""
    for problem in problems:
        print(problem, file=err)
