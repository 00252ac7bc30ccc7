"""The command line: build (the default), import, check, serve, new."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Sequence, TextIO

from generator.config import load_config
from generator.errors import BuildError, Problem, relative_path
from generator.guard import OutputRefused, resolve_output
from generator.importer import ImportReport, import_seeds
from generator.lock import LockBusy, project_lock
from generator.pipeline import BuildOptions, BuildResult, build, check_output_folder
from generator.writer import WriteFailed



def add_options(parser: argparse.ArgumentParser, for_site: bool, top_level: bool, locks: bool = True) -> None:
    """Options accepted both before and after the command; only the top level sets defaults,
    so that `--root X build` is not undone by the subcommand's own default."""
    default = (lambda value: value) if top_level else (lambda value: argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, default=default(Path(".")), help="the project folder (default: .)")
    parser.add_argument("--strict", action="store_true", default=default(False), help="treat warnings as errors")
    noise = parser.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_true", default=default(False), help="print only problems")
    noise.add_argument("-v", "--verbose", action="store_true", default=default(False),
                       help="also list seeds already imported")
    if locks:
        parser.add_argument("--no-wait", action="store_true", default=default(False),
                            help="when another build of this project is running, exit (code 2) instead of waiting")
    if for_site:
        parser.add_argument("--output", type=Path, default=default(None),
                            help="where to write the site (default: <root>/output)")
        parser.add_argument("--base-url", default=default(None),
                            help="override base_url from site.toml, e.g. https://user.github.io/repo/")
        parser.add_argument("--drafts", action="store_true", default=default(False),
                            help="include articles marked draft: true")
        parser.add_argument("--future", action="store_true", default=default(False),
                            help="include articles dated after today")


def make_parser() -> argparse.ArgumentParser:
    """The argument parser, with a subcommand for each stage a user runs on its own."""
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Warraq: import new seeds, then build the site. With no command: import + build.",
    )
    add_options(parser, for_site=True, top_level=True)
    commands = parser.add_subparsers(dest="command", metavar="{build,import,check,serve,new}")
    build_parser = commands.add_parser("build", help="import new seeds, then build the site into output/")
    add_options(build_parser, for_site=True, top_level=False)
    importer = commands.add_parser("import", help="import new seeds from seeds/ into content/")
    add_options(importer, for_site=False, top_level=False)
    importer.add_argument("--force", nargs="+", type=Path, default=[], metavar="FILE",
                          help="re-import these seeds even if their article exists (the old file is kept as .bak)")
    check = commands.add_parser("check", help="validate config, content and templates; write nothing")
    add_options(check, for_site=True, top_level=False)
    check.add_argument("--site", action="store_true",
                       help="also build into a temporary folder and check every link, anchor, asset and feed "
                            "as served under base_url, and that the sitemap lists every page")
    server = commands.add_parser("serve", help="build with drafts, serve on 127.0.0.1, rebuild and reload on every change")
    add_options(server, for_site=True, top_level=False, locks=False)
    server.add_argument("--port", type=int, default=8000, help="the port on 127.0.0.1 (default: 8000)")
    server.add_argument("--no-drafts", action="store_true", help="leave out draft: true articles (shown by default)")
    new_parser = commands.add_parser("new", help="start a draft article: content/<lang>/<yyyy>/<slug>.md")
    add_options(new_parser, for_site=False, top_level=False, locks=False)
    new_parser.add_argument("title", help="the article's title (its slug is transliterated from it)")
    new_parser.add_argument("--lang", default=None, help="the article's language (default: default_language)")
    new_parser.add_argument("--translation-of", metavar="SLUG", default=None,
                            help="the slug of the article (in another language) this one translates")
    return parser


def main(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; return the exit code (0 fine; 1 problems in the input, or output/ cannot be
    written; 2 usage, an output folder the guard refuses, or another build running under --no-wait)."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = make_parser().parse_args(list(argv))
    root = args.root.resolve()
    # serve, new and check --site import their modules on use: a plain build starts 0.1 s sooner without
    # the HTTP server, the file watcher and the link checker.
    if args.command == "serve":
        from generator.serve import serve

        try:
            output = resolve_output(args.output) if args.output else None
        except OutputRefused as error:
            print(error, file=err)
            return error.exit_code
        return serve(root, args.port, include_drafts=not args.no_drafts, output=output, base_url=args.base_url,
                     include_future=args.future, strict=args.strict, out=out, err=err)
    if args.command == "new":
        from generator.scaffold import run_new

        return run_new(root, args.title, args.lang, args.translation_of, out, err)
    try:
        output = resolve_output(args.output) if getattr(args, "output", None) else None
        if args.command != "import" and args.command != "check":
            # Before the import writes content/ and before waiting for the lock: a refused folder is said at once.
            check_output_folder(output or root / "output", root)
        # Plain check reads only (it writes nothing, not even the lock file); everything else holds the lock.
        reads_only = args.command == "check" and not args.site
        with nullcontext() if reads_only else project_lock(root, wait=not getattr(args, "no_wait", False), err=err):
            if args.command == "import":
                return report_import(run_import(root, args.force), args, out, err)
            # check writes nothing, not even content/: it validates what is already there.
            code = report_import(run_import(root, []), args, out, err) if args.command != "check" else 0
            options = BuildOptions(output=output, base_url=args.base_url,
                                   strict=args.strict, include_drafts=args.drafts,
                                   include_future=args.future, write=args.command != "check")
            site_lines: list[str] = []
            if args.command == "check" and args.site:
                result, site_lines = check_built_site(root, options)
            else:
                result = build(root, options)
    except (OutputRefused, LockBusy, WriteFailed) as error:
        print(error, file=err)
        return error.exit_code
    except KeyboardInterrupt:
        # The build removed its staging folder on the way out; files already moved in are repaired next time.
        print("interrupted; the next build finishes the job", file=err)
        return 130
    except BuildError as error:
        print_problems(error.problems, err)
        errors = sum(1 for p in error.problems if not p.is_warning)
        print(f"build stopped: {errors} error(s), {len(error.problems) - errors} warning(s); output/ left as it was",
              file=err)
        return error.exit_code
    report_build(result, args, out, err)
    if site_lines:
        for line in site_lines:
            print(line, file=err)
        print(f"site check: {len(site_lines)} problem(s)", file=err)
        return 1
    return code


def check_built_site(root: Path, options: BuildOptions) -> tuple[BuildResult, list[str]]:
    """Build into a temporary folder (check writes nothing to the project) and check it as it will be served."""
    import tempfile

    from generator.linkcheck import site_report

    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "output"
        result = build(root, dataclasses.replace(options, write=True, output=output, use_cache=False))
        return result, site_report(output, load_config(root, options.base_url).base_url)


def run_import(root: Path, force: list[Path]) -> ImportReport:
    """Import new seeds (and forced ones) into content/."""
    return import_seeds(load_config(root), force=[(Path.cwd() / f).resolve() for f in force])


def report_import(report: ImportReport, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print what the import did; 1 when a seed could not be imported (or, with --strict, on warnings)."""
    if not args.quiet:
        for path in report.created:
            print(f"imported {relative_path(path, args.root)}", file=out)
    if args.verbose:
        for path in report.skipped:
            print(f"already imported {relative_path(path, args.root)}", file=out)
    print_problems(report.problems, err)
    failed = any(not p.is_warning or args.strict for p in report.problems)
    return 1 if failed else 0


def report_build(result: BuildResult, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    """Warnings, then the one summary line every build ends with."""
    print_problems(result.warnings, err)
    if args.quiet:
        return
    if args.command == "check":
        for line in result.coverage:
            print(f"translations: {line}", file=out)
        print(f"check: {result.pages} pages fine, {len(result.warnings)} warning(s), {result.seconds:.2f} s", file=out)
    else:
        kinds = ", ".join(f"{count} {kind}" for kind, count in result.written_by_kind if count) or "nothing"
        print(f"built {result.pages} pages: {kinds} written, {result.unchanged} unchanged, "
              f"{len(result.warnings)} warning(s), {result.seconds:.2f} s", file=out)


def print_problems(problems: Sequence[Problem], err: TextIO) -> None:
    """Each problem on its own line as path:line: message."""
    for problem in problems:
        print(problem, file=err)
