"""Page bundles: an article written as <folder>/index.md publishes the files beside it next to its page, and
the images its Markdown refers to are found (with their lines) for images.py. Stat only; nothing is decoded."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from generator import inputs
from generator.errors import Problem, relative_path

if TYPE_CHECKING:  # reading.py reads content.py, which takes find_images and bundle_slug from here
    from generator.scan import ContentFile

BUNDLE_FILE = "index.md"
# A bundle file is read whole into the build; a report PDF is a few MiB, a video does not belong here.
MAX_BUNDLE_BYTES = 100 * inputs.MIB


@dataclass(frozen=True)
class ImageRef:
    """An image written in an article's Markdown: its address as written (src) and its 1-based file line."""

    src: str
    line: int


@dataclass(frozen=True)
class BundleFile:
    """One file of a bundle: its name inside the bundle folder ("figures/chart.png", "/" separated), its path,
    its size and modification time (for the unchanged-build check)."""

    name: str
    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Bundle:
    """A page bundle: the index.md's name as problems give it, its folder, and the files published with it."""

    rel: str
    folder: str
    files: tuple[BundleFile, ...]

    def find(self, name: str) -> BundleFile | None:
        """The bundle file called name ("photo.jpg", "figures/chart.png"), or None."""
        return next((found for found in self.files if found.name == name), None)


def is_bundle_file(rel: str) -> bool:
    """Whether a content file (by its name as problems give it) is a page bundle's article."""
    return rel.rsplit("/", 1)[-1] == BUNDLE_FILE


def bundle_slug(rel: str) -> str:
    """The slug a content file gives its article when front matter has none: a bundle's folder name, else the
    file name without .md."""
    parts = rel.split("/")
    return parts[-2] if is_bundle_file(rel) and len(parts) > 1 else Path(parts[-1]).stem


def find_bundles(content: Sequence[ContentFile], root: Path) -> tuple[dict[str, Bundle], list[Problem]]:
    """Every page bundle among the scanned content files, by the
    index.md's rel, and the problems met: an index.md in a folder with other articles (an error), a special
    file or a link leaving the project inside a bundle (skipped with a warning), an unreadable folder."""
    files = [found for found in content if not found.problem]
    # Most sites have no bundle: the folders below are worked out only when some file may be one.
    suffix = "/" + BUNDLE_FILE
    if not any(found.rel == BUNDLE_FILE or found.rel.endswith(suffix) for found in files):
        return {}, []
    markdown_folders: dict[str, list[str]] = {}
    holding: set[str] = set()  # every folder with Markdown in it or below it
    for found in files:
        folder = os.path.dirname(found.path)
        markdown_folders.setdefault(folder, []).append(found.path)
        while folder and folder not in holding:
            holding.add(folder)
            parent = os.path.dirname(folder)
            folder = parent if parent != folder else ""
    bundles: dict[str, Bundle] = {}
    problems: list[Problem] = []
    for found in files:
        path, rel = found.path, found.rel
        if not is_bundle_file(rel):
            continue
        folder = os.path.dirname(path)
        others = sorted(os.path.basename(other) for other in markdown_folders[folder] if other != path)
        if others:
            problems.append(Problem(rel, 1, f"index.md makes its folder a page bundle, which holds one article, but "
                                            f"{others[0]} is beside it; move index.md into a folder of its own, or "
                                            f"rename it"))
            continue
        bundle_files, skipped = list_bundle_files(folder, holding, root)
        problems += skipped
        bundles[rel] = Bundle(rel, folder, tuple(bundle_files))
    return bundles, problems


def list_bundle_files(folder: str, holding: set[str], root: Path) -> tuple[list[BundleFile], list[Problem]]:
    """The files a bundle folder publishes: every regular file in it and in its sub-folders that hold no
    Markdown (those are other articles), except Markdown and hidden files, sorted by name. Special files and
    links that loop, dangle or leave the project are skipped unopened, with a warning (as in static/)."""
    found: list[BundleFile] = []
    problems: list[Problem] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError as error:
            problems.append(Problem(relative_path(Path(current), root), 1,
                                    f"cannot read the folder: {error.strerror or error}"))
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name.endswith(".md"):
                continue
            shown = relative_path(Path(entry.path), root) if not entry.is_symlink() else \
                f"{relative_path(Path(current), root)}/{entry.name}"
            try:
                inputs.check_link(entry.path, (root,))
                info = os.stat(entry.path)
            except inputs.InputError as error:
                problems.append(Problem(shown, error.line, error.message, is_warning=True))
                continue
            except OSError as error:
                problems.append(Problem(shown, 1, f"cannot read the file: {error.strerror or error}"))
                continue
            kind = inputs.special_kind(info.st_mode)
            if kind == "a folder":
                # A linked folder is not followed: a bundle's files are the ones inside it.
                if entry.path not in holding and not entry.is_symlink():
                    pending.append(entry.path)
                continue
            if kind:
                problems.append(Problem(shown, 1, f"is {kind}, not a regular file; skipped", is_warning=True))
                continue
            name = os.path.relpath(entry.path, folder).replace(os.sep, "/")
            found.append(BundleFile(name, entry.path, info.st_size,
                                    inputs.reached_changed_ns(entry.path, info, entry.is_symlink())))
    return sorted(found, key=lambda item: item.name), problems


def bundle_inputs(bundles: dict[str, Bundle]) -> tuple[tuple[str, int, int], ...]:
    """Every bundle file with its size and modification time, for the unchanged-build check."""
    return tuple(sorted((item.path, item.size, item.mtime_ns) for bundle in bundles.values() for item in bundle.files))


# ---------------------------------------------------------------------------
# Images in Markdown
# ---------------------------------------------------------------------------

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
# ![alt](address "title"): the parenthesis may hold one level of nested parentheses, and spaces (Python-Markdown
# takes "my photo.jpg" whole).
INLINE_IMAGE = re.compile(r"!\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\]\(([^()\n]*(?:\([^()\n]*\)[^()\n]*)*)\)")
REFERENCE_IMAGE = re.compile(r"!\[((?:[^\[\]\\]|\\.)*)\](?:\[([^\[\]]*)\])?(?!\()")
DEFINITION = re.compile(r"^ {0,3}\[([^\[\]]+)\]:[ \t]*(<[^>\n]*>|\S+)")
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
TITLE = re.compile(r"""\s+(?:"[^"]*"|'[^']*'|\([^()]*\))\s*$""")
# HTML comments (one line or many) hide what they hold; indented code shows it as code. Neither shows an image.
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
QUOTE_MARKS = re.compile(r"^(?: {0,3}> ?)+")
LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d+[.])[ \t]")


def find_images(body: str, first_line: int) -> tuple[ImageRef, ...]:
    """Every image a Markdown body shows (inline ![alt](src "title") and reference ![alt][id] forms), in order,
    with its file line (the body's first line is first_line). Fenced code blocks and code spans are left out."""
    lines = drop_indented_code(COMMENT.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), body).split("\n"))
    kept: list[str] = []
    fence = ""
    for line in lines:
        opening = FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            kept.append("")
        elif opening:
            fence = opening.group(1)
            kept.append("")
        else:
            kept.append(CODE_SPAN.sub(lambda match: " " * len(match.group(0)), line))
    definitions = {match.group(1).strip().lower(): strip_brackets(match.group(2))
                   for line in kept if (match := DEFINITION.match(line))}
    found: list[tuple[int, int, str]] = []
    for number, line in enumerate(kept):
        for match in INLINE_IMAGE.finditer(line):
            src = strip_brackets(TITLE.sub("", match.group(1).strip()))
            if src:
                found.append((number, match.start(), src))
        for match in REFERENCE_IMAGE.finditer(line):
            key = (match.group(2) or match.group(1)).strip().lower()
            if key in definitions:
                found.append((number, match.start(), definitions[key]))
    return tuple(ImageRef(src, number + first_line) for number, _, src in sorted(found))


def drop_indented_code(lines: list[str]) -> list[str]:
    """lines with Python-Markdown's indented code blocks blanked: lines indented 4 spaces (8 inside a list item,
    whose paragraphs are indented 4) after a blank line or another such line, inside quotes too."""
    kept: list[str] = []
    in_list = after_blank = in_code = False
    for line in lines:
        content = QUOTE_MARKS.sub("", line).expandtabs(4)
        if not content.strip():
            after_blank = True
            kept.append(line)
            continue
        indent = len(content) - len(content.lstrip(" "))
        in_code = (after_blank or in_code) and indent >= (8 if in_list else 4)
        if LIST_ITEM.match(content):
            in_list = True
        elif indent < 4 and after_blank:
            in_list = False
        after_blank = False
        kept.append("" if in_code else line)
    return kept


def strip_brackets(address: str) -> str:
    """An address as Markdown means it: <my photo.jpg> without its angle brackets, backslash escapes (a\\_b.png)
    undone as Python-Markdown undoes them."""
    address = address.strip()
    address = address[1:-1].strip() if address.startswith("<") and address.endswith(">") else address
    return ESCAPED.sub(r"\1", address)


def body_line(text: str, body: str) -> int:
    """The file line a body (the stripped end of the file's text, \\n line ends) starts on."""
    position = text.rfind(body) if body else -1
    return text.count("\n", 0, position) + 1 if position >= 0 else 1
