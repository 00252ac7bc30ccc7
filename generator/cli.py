"""The command line: build (the default), import, check, serve, new; each accepts only the options it uses."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence, TextIO

from generator import __version__
from generator.config import load_config
from generator.errors import BuildError, Problem, relative_path
from generator.guard import OutputRefused, resolve_output
from generator.importer import ImportReport, import_seeds
from generator.lock import LockBusy, project_lock
from generator.pipeline import BuildOptions, BuildResult, build, check_output_folder
from generator.writer import WriteFailed


@dataclass(frozen=True)
class Option:
    """An option several commands share: its flags, help, default, and how its value is read."""

    flags: tuple[str, ...]
    help: str
    default: Any = False
    type: Callable[[str], Any] | None = None
    metavar: str | None = None


SHARED_OPTIONS: dict[str, Option] = {
    "root": Option(("--root",), "the project folder (default: .)", Path("."), Path, "DIR"),
    "output": Option(("--output",), "where to write the site (default: <root>/output)", None, Path, "DIR"),
    "base_url": Option(("--base-url",), "override base_url from site.toml, e.g. https://user.github.io/repo/",
                       None, str, "URL"),
    "drafts": Option(("--drafts",), "include articles marked draft: true"),
    "future": Option(("--future",), "include articles dated after today"),
    "strict": Option(("--strict",), "treat warnings as errors (exit 1)"),
    "quiet": Option(("-q", "--quiet"), "print only problems"),
    "verbose": Option(("-v", "--verbose"), "also list seeds already imported"),
    "no_wait": Option(("--no-wait",), "when another build of this project is running, exit (code 2) instead of "
                                      "waiting"),
}

# The shared options each command uses, and so accepts; every other one is a usage error (exit 2). The top
# level (no command) is `build`: its options may also come before any command that uses them.
COMMAND_OPTIONS: dict[str, tuple[str, ...]] = {
    "build": ("root", "output", "base_url", "drafts", "future", "strict", "quiet", "verbose", "no_wait"),
    "import": ("root", "strict", "quiet", "verbose", "no_wait"),
    # check reads drafts and future articles always; it writes nothing, and takes the lock only with --site.
    "check": ("root", "base_url", "strict", "quiet", "no_wait"),
    # serve's own --drafts/--no-drafts replaces the shared --drafts; it prints every rebuild, so no -q/-v.
    "serve": ("root", "output", "base_url", "future", "strict"),
    "new": ("root",),
}
DEFAULT_COMMAND = "build"
# Where an option given before the command waits until it is known which command it belongs to.
TOP = "top_level_"

EXIT_CODES = """exit codes:
  0    success (warnings alone do not fail, unless --strict)
  1    problems in the input, each printed as path:line: message, all together; or an output
       folder that cannot be written (a full disk, a read-only folder)
  2    usage error; an output folder that is refused; another build of the project running
       (with --no-wait); serve's port taken
  130  interrupted (Ctrl-C)"""


def add_shared(parser: argparse.ArgumentParser, names: Sequence[str], top_level: bool) -> None:
    """Add shared options with no default (SUPPRESS): a value in the namespace was given. At the top level
    they go under TOP+name, so that `--root X build` and `build --root X` can be told apart."""
    for name in names:
        option = SHARED_OPTIONS[name]
        dest = TOP + name if top_level else name
        if option.type is None:
            parser.add_argument(*option.flags, dest=dest, action="store_true", default=argparse.SUPPRESS,
                                help=option.help)
        else:
            parser.add_argument(*option.flags, dest=dest, type=option.type, metavar=option.metavar,
                                default=argparse.SUPPRESS, help=option.help)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser, with a subcommand for each stage a user runs on its own."""
    parser = argparse.ArgumentParser(
        prog="python build.py", epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Warraq: import new seeds, then build the site.\n"
                    "With no command: import + build, with the options below (which may also come before\n"
                    "a command that uses them; `python build.py COMMAND --help` lists each command's own).",
    )
    parser.add_argument("--version", action="version", version=f"warraq {__version__}",
                        help="print the version and exit")
    add_shared(parser, COMMAND_OPTIONS[DEFAULT_COMMAND], top_level=True)
    commands = parser.add_subparsers(dest="command", metavar="{build,import,check,serve,new}")
    build_parser = commands.add_parser("build", help="import new seeds, then build the site into output/")
    add_shared(build_parser, COMMAND_OPTIONS["build"], top_level=False)
    importer = commands.add_parser("import", help="import new seeds from seeds/ into content/")
    add_shared(importer, COMMAND_OPTIONS["import"], top_level=False)
    importer.add_argument("--force", nargs="+", type=Path, default=[], metavar="FILE",
                          help="re-import these seeds even if their article exists (the old file is kept as .bak)")
    check = commands.add_parser(
        "check", help="validate config, content (drafts and future articles too) and templates; write nothing",
        description="Validate the configuration, every article (drafts and future-dated ones too: a problem in "
                    "one is marked (draft) or (future)) and the templates, rendering every page; write nothing.")
    add_shared(check, COMMAND_OPTIONS["check"], top_level=False)
    check.add_argument("--site", action="store_true", default=False,
                       help="also build the site as published into a temporary folder and check every link, "
                            "anchor, asset and feed as served under base_url, and that the sitemap lists every "
                            "page (--no-wait applies to this build)")
    server = commands.add_parser("serve", help="build with drafts, serve on 127.0.0.1, rebuild and reload on "
                                               "every change")
    add_shared(server, COMMAND_OPTIONS["serve"], top_level=False)
    server.add_argument("--drafts", action=argparse.BooleanOptionalAction, default=argparse.SUPPRESS,
                        help="show articles marked draft: true (default: --drafts; --no-drafts leaves them out)")
    server.add_argument("--port", type=int, default=8000, help="the port on 127.0.0.1 (default: 8000)")
    new_parser = commands.add_parser("new", help="start a draft article: content/<lang>/<yyyy>/<slug>.md")
    add_shared(new_parser, COMMAND_OPTIONS["new"], top_level=False)
    new_parser.add_argument("title",
                            help="the article's title (its slug is made from it as slug_style in site.toml says)")
    new_parser.add_argument("--lang", default=None, help="the article's language (default: default_language)")
    new_parser.add_argument("--translation-of", metavar="SLUG", default=None,
                            help="the slug of the article (in another language) this one translates")
    new_parser.add_argument("--force", action="store_true", default=False,
                            help="add another article even when one with this title exists")
    return parser


# The defaults of a command's own options that share a name with a top-level one: serve shows drafts unless
# told --no-drafts.
COMMAND_DEFAULTS: dict[str, dict[str, Any]] = {"serve": {"drafts": True}}


def parse_arguments(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace:
    """Parse argv: the command (default build), an option given before it moved to it when it uses that
    option (one given after the command wins), a usage error (SystemExit 2) when it does not, then the
    defaults of every option the command uses."""
    args, unknown = parser.parse_known_args(list(argv))
    command = args.command or DEFAULT_COMMAND
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)} (the options of `{command}`: "
                     f"python build.py {command} --help)")
    args.command = command
    for key, value in sorted(vars(args).copy().items()):
        if not key.startswith(TOP):
            continue
        name = key[len(TOP):]
        delattr(args, key)
        # A command's own option of a shared name (serve's --drafts/--no-drafts) takes the top level's value too.
        if name not in COMMAND_OPTIONS[command] and name not in COMMAND_DEFAULTS.get(command, {}):
            parser.error(f"{'/'.join(SHARED_OPTIONS[name].flags)} does not apply to `{command}`"
                         f" (see python build.py {command} --help)")
        if not hasattr(args, name):
            setattr(args, name, value)
    defaults = {name: SHARED_OPTIONS[name].default for name in COMMAND_OPTIONS[command]}
    for name, value in {**defaults, **COMMAND_DEFAULTS.get(command, {})}.items():
        if not hasattr(args, name):
            setattr(args, name, value)
    if getattr(args, "quiet", False) and getattr(args, "verbose", False):
        parser.error("-q/--quiet and -v/--verbose cannot be used together")
    return args


def main(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; return the exit code (see EXIT_CODES)."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = parse_arguments(make_parser(), argv)
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
        return serve(root, args.port, include_drafts=args.drafts, output=output, base_url=args.base_url,
                     include_future=args.future, strict=args.strict, out=out, err=err)
    if args.command == "new":
        from generator.scaffold import run_new

        return run_new(root, args.title, args.lang, args.translation_of, out, err, force=args.force)
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
            report = run_import(root, getattr(args, "force", []))
            import_failed = report_import(report, args, out, err)
            if args.command == "import":
                return 1 if import_failed else 0  # each seed's line says what happened to it
            result = build(root, BuildOptions(output=output, base_url=args.base_url, strict=args.strict,
                                              include_drafts=args.drafts, include_future=args.future))
    except BuildError as error:
        print_problems(error.problems, err)
        if args.command == "import":
            print(f"import stopped: {count_problems(error.problems, args.strict)}", file=err)
        else:
            print(f"build stopped: {count_problems(error.problems, args.strict)}; output/ left as it was", file=err)
        return error.exit_code
    print_problems(result.warnings, err)
    if not args.quiet:
        print(build_summary(result, len(report.problems)), file=out)
    if import_failed:
        print(f"build: problems in the import: {count_problems(report.problems, args.strict)}; the site was built "
              f"from content/ as it is", file=err)
        return 1
    return 0


def run_check(root: Path, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """check: every article read and rendered as if published (drafts and future ones too, their problems
    marked), nothing written; with --site, the site as published built into a temporary folder and its links
    checked. Ends with "check: fine: ..." (0) or "check: problems: ..." (1)."""
    # Drafts and future articles are checked like the rest; pipeline marks their problems.
    options = BuildOptions(base_url=args.base_url, strict=args.strict, include_drafts=True, include_future=True,
                           write=False)
    site_lines: list[str] = []
    try:
        # Plain check reads only (it writes nothing, not even the lock file); check --site holds the lock.
        with project_lock(root, wait=not args.no_wait, err=err) if args.site else nullcontext():
            if args.site:
                published, site_lines = check_built_site(root, dataclasses.replace(options, include_drafts=False,
                                                                                   include_future=False))
                # The published site had no draft or future article: it was the whole check.
                result = build(root, options) if published.drafts or published.future else published
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
        print(check_summary(result), file=out)
    return 0


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
