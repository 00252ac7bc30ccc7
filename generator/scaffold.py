"""`python build.py new "العنوان"`: start a draft article with complete front matter."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Any, TextIO

import yaml

from generator.arabic import make_slug
from generator.config import CONFIG_NAME, Config, load_config
from generator.content import read_front_matter
from generator.errors import BuildError, Problem, relative_path

# Wide enough that PyYAML never folds a long title over several lines (as the importer writes).
YAML_WIDTH = 1_000_000
# The body a new article starts with, in its own language where we have one.
PLACEHOLDERS = {
    "ar": "اكتب نص المقال هنا.",
    "en": "Write the article here.",
}
DEFAULT_PLACEHOLDER = PLACEHOLDERS["en"]


def new_article(config: Config, title: str, lang: str, translation_of: str | None,
                today: datetime.date) -> Path:
    """Write content/<lang>/<yyyy>/<slug>.md as a draft dated today; return its path.
    Raise BuildError when the language is not configured, the title gives no slug, or the article
    to translate does not exist. Never overwrites a file."""
    codes = [language.code for language in config.languages]
    if lang not in codes:
        raise BuildError([Problem(CONFIG_NAME, languages_line(config),
                                  f'language "{lang}" is not configured; configured: {", ".join(codes)}')])
    title = " ".join(title.split())
    slugs = existing_slugs(config)
    translation_key = None
    if translation_of is not None:
        translation_key = find_translation_key(config, slugs, lang, translation_of)
    base = make_slug(title, config.slug_style)
    if not base:
        raise BuildError([Problem(f"content/{lang}", 1, f'title "{title}" has no letters or digits to make a slug from')])
    folder = config.content_dir / lang / f"{today.year:04d}"
    folder.mkdir(parents=True, exist_ok=True)
    taken = set(slugs.get(lang, {}))
    if translation_key is None:
        # The slug becomes the translation_key: one already used in any language would silently pair
        # the new article with an unrelated one as its "translation".
        taken |= {translation_key_of(path, meta) for by_slug in slugs.values() for path, meta in by_slug.values()}
    for number in range(1, 10_000):
        slug = base if number == 1 else f"{base}-{number}"
        if slug in taken:
            continue
        path = folder / f"{slug}.md"
        text = render_article(title, slug, lang, today, translation_key or slug)
        try:
            # "x" mode: creation fails rather than replace a file that is already there.
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError:
            continue
        return path
    raise RuntimeError(f'no free slug for "{title}"')  # ten thousand namesakes: not a real site


def existing_slugs(config: Config) -> dict[str, dict[str, tuple[Path, dict[str, Any]]]]:
    """lang -> slug -> (file, front matter) for every article under content/ (as the loader names slugs)."""
    slugs: dict[str, dict[str, tuple[Path, dict[str, Any]]]] = {}
    content = config.content_dir
    for path in sorted(content.rglob("*.md")) if content.is_dir() else []:
        parts = path.relative_to(content).parts
        if len(parts) < 2:
            continue
        meta = read_front_matter(path)
        slug = meta.get("slug") if isinstance(meta.get("slug"), str) and meta.get("slug") else path.stem
        slugs.setdefault(parts[0], {}).setdefault(slug, (path, meta))
    return slugs


def find_translation_key(config: Config, slugs: dict[str, dict[str, tuple[Path, dict[str, Any]]]],
                         lang: str, slug: str) -> str:
    """The translation_key of the article with this slug in another language; it must not be translated yet."""
    found = [(code, *slugs[code][slug]) for code in sorted(slugs) if code != lang and slug in slugs[code]]
    if not found:
        hint = f" (content/{lang}/ has it: a translation goes into another language)" if slug in slugs.get(lang, {}) else ""
        raise BuildError([Problem("content", 1, f'no article with slug "{slug}" to translate{hint}')])
    _, original, meta = found[0]
    key = translation_key_of(original, meta)
    for path, other in slugs.get(lang, {}).values():
        if translation_key_of(path, other) == key:
            raise BuildError([Problem(relative_path(path, config.root), 1,
                                      f'already the "{lang}" translation of {relative_path(original, config.root)} '
                                      f'(translation_key "{key}")')])
    return key


def translation_key_of(path: Path, meta: dict[str, Any]) -> str:
    """An article's translation_key as the loader reads it: the key, else the slug, else the file name."""
    return str(meta.get("translation_key") or meta.get("slug") or path.stem)


def render_article(title: str, slug: str, lang: str, today: datetime.date, translation_key: str) -> str:
    """Front matter with every key a writer fills in, then a placeholder body."""
    meta: dict[str, Any] = {
        "title": title,
        "slug": slug,
        "lang": lang,
        "date": today,
        "author": "",
        "tags": [],
        "summary": "",
        "translation_key": translation_key,
        "draft": True,
    }
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=YAML_WIDTH)
    return f"---\n{front}---\n\n{PLACEHOLDERS.get(lang, DEFAULT_PLACEHOLDER)}\n"


def languages_line(config: Config) -> int:
    """The line of site.toml where the languages start, for the unknown-language message."""
    try:
        lines = (config.root / CONFIG_NAME).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    return next((n for n, line in enumerate(lines, start=1) if line.strip().startswith("[languages")), 1)


def run_new(root: Path, title: str, lang: str | None, translation_of: str | None,
            out: TextIO | None = None, err: TextIO | None = None, today: datetime.date | None = None) -> int:
    """The `new` command: print the new file's path (relative to root); 0, or 1 with the problems printed."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        config = load_config(root)
        path = new_article(config, title, lang or config.default_language, translation_of,
                           today or datetime.date.today())
    except BuildError as error:
        for problem in error.problems:
            print(problem, file=err)
        return error.exit_code
    print(relative_path(path, root), file=out)
    return 0
