"""The command line: build (the default), import, check, serve, new; each accepts only the options it uses.
This module parses; what each command runs is imported once the command is known (commands.py, serve.py,
scaffold.py), so that --version and --help, and a usage error, load none of the stages: Python's start is
most of their time."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence, TextIO

from generator import __version__
from generator.guard import OutputRefused, resolve_output


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
    "verbose": Option(("-v", "--verbose"), "also list seeds already imported, and the time each stage of the "
                                           "build took"),
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
    # Each command imports its modules here, at its start (see the module's docstring); a plain build also
    # starts 0.1 s sooner without the HTTP server, the file watcher and the link checker.
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
    from generator.commands import run_command

    return run_command(root, args, out, err)
