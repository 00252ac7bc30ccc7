"""`python build.py new "العنوان"`: start a draft article with complete front matter."""

from __future__ import annotations

import datetime
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import yaml

from generator.arabic import fold_for_matching, normalise_text
from generator.config import CONFIG_NAME, Config, json_quote, load_config
from generator.content import read_article, read_front_matter
from generator.errors import BuildError, Problem, relative_path
from generator.importer import create_whole, title_slug, without_controls
from generator.taxonomy import make_vocabulary

# Wide enough that PyYAML never folds a long title over several lines (as the importer writes).
YAML_WIDTH = 1_000_000
# The body a new article starts with, in its own language where we have one.
PLACEHOLDERS = {
    "ar": "اكتب نص المقال هنا.",
    "en": "Write the article here.",
}
DEFAULT_PLACEHOLDER = PLACEHOLDERS["en"]

# lang -> slug -> (file, front matter) of every article already under content/.
Articles = dict[str, dict[str, tuple[Path, dict[str, Any]]]]


@dataclass(frozen=True)
class Original:
    """The article a translation is made from: what the translation carries over."""

    path: Path
    translation_key: str
    date: datetime.date
    author: str
    tags: tuple[str, ...]


def new_article(config: Config, title: str, lang: str, translation_of: str | None,
                today: datetime.date, force: bool = False) -> Path:
    """Write content/<lang>/<yyyy>/<slug>.md as a draft dated today (a translation: dated, tagged and signed
    as its original); return its path. Raise BuildError when the language is not configured, the title is
    empty, the language already has an article with this slug or title (unless force: then the slug gets
    -2, -3, ...), or the article to translate does not exist, is translated already or cannot be read.
    Never overwrites a file, and never leaves a half-written one."""
    codes = [language.code for language in config.languages]
    if lang not in codes:
        raise BuildError([Problem(CONFIG_NAME, languages_line(config),
                                  f'language "{lang}" is not configured; configured: {", ".join(codes)}')])
    if any("\ud800" <= char <= "\udfff" for char in title):
        # Bytes the terminal could not decode reach Python as lone surrogates, which no file can hold.
        raise BuildError([Problem(f"content/{lang}", 1, "the title is not valid UTF-8 text")])
    title = clean_title(title)
    if not title:
        raise BuildError([Problem(f"content/{lang}", 1, "the title is empty")])
    slugs = existing_slugs(config)
    original = find_original(config, slugs, lang, translation_of) if translation_of is not None else None
    # A title without letters or digits ("؟؟؟", emoji) is named as import names it, by a digest of its text.
    base = title_slug(title, config.slug_style, hashlib.sha256(title.encode("utf-8")).hexdigest())
    if not force:
        refuse_namesake(config, slugs.get(lang, {}), lang, title, base)
    day = original.date if original else today
    folder = config.content_dir / lang / f"{day.year:04d}"
    folder.mkdir(parents=True, exist_ok=True)
    taken = set(slugs.get(lang, {}))
    if original is None:
        # The slug becomes the translation_key: one already used in any language would silently pair
        # the new article with an unrelated one as its "translation".
        taken |= {translation_key_of(path, meta) for by_slug in slugs.values() for path, meta in by_slug.values()}
    for number in range(1, 10_000):
        slug = base if number == 1 else f"{base}-{number}"
        if slug in taken:
            continue
        path = folder / f"{slug}.md"
        if original:
            text = render_article(title, slug, lang, day, original.translation_key, original.author,
                                  translate_tags(config, original.tags, lang))
        else:
            text = render_article(title, slug, lang, day, slug)
        try:
            # A hidden temporary linked into place: never replaces a file, never leaves half of one.
            create_whole(path, text)
        except FileExistsError:
            continue
        return path
    raise RuntimeError(f'no free slug for "{title}"')  # ten thousand namesakes: not a real site


def clean_title(title: str) -> str:
    """A title as import cleans a seed's title line (no bidi or zero-width marks, no control characters),
    with its whitespace, line breaks included, collapsed to single spaces."""
    return " ".join(without_controls(normalise_text(title)).split())


def refuse_namesake(config: Config, articles: dict[str, tuple[Path, dict[str, Any]]], lang: str, title: str,
                    slug: str) -> None:
    """Raise BuildError naming the article of this language that has this slug, or this title once both are
    folded (hamza, ta marbuta, diacritics, case), so that `new` run twice does not make a silent -2 copy."""
    folded = fold_for_matching(title)
    for found_slug, (path, meta) in sorted(articles.items(), key=lambda item: str(item[1][0])):
        found_title = meta.get("title") if isinstance(meta.get("title"), str) else ""
        if found_slug == slug:
            what = f'the slug "{slug}" (title {json_quote(found_title)})'
        elif found_title and fold_for_matching(clean_title(found_title)) == folded:
            what = f'the title {json_quote(found_title)} (slug "{found_slug}")'
        else:
            continue
        raise BuildError([Problem(relative_path(path, config.root), 1,
                                  f'already an "{lang}" article with {what}; '
                                  f"run new with --force to start another one")])


def existing_slugs(config: Config) -> Articles:
    """lang -> slug -> (file, front matter) for every article under content/ (as the loader names slugs)."""
    slugs: Articles = {}
    content = config.content_dir
    for path in sorted(content.rglob("*.md")) if content.is_dir() else []:
        parts = path.relative_to(content).parts
        if len(parts) < 2:
            continue
        meta = read_front_matter(path)
        slug = meta.get("slug") if isinstance(meta.get("slug"), str) and meta.get("slug") else path.stem
        slugs.setdefault(parts[0], {}).setdefault(slug, (path, meta))
    return slugs


def find_original(config: Config, slugs: Articles, lang: str, slug: str) -> Original:
    """The article with this slug in another language, read as the build reads it; it must not be translated
    into lang yet, and must be readable (its problems are raised otherwise)."""
    found = [(code, *slugs[code][slug]) for code in sorted(slugs) if code != lang and slug in slugs[code]]
    if not found:
        hint = f" (content/{lang}/ has it: a translation goes into another language)" if slug in slugs.get(lang, {}) else ""
        raise BuildError([Problem("content", 1, f'no article with slug "{slug}" to translate{hint}')])
    code, original, meta = found[0]
    key = translation_key_of(original, meta)
    for path, other in slugs.get(lang, {}).values():
        if translation_key_of(path, other) == key:
            raise BuildError([Problem(relative_path(path, config.root), 1,
                                      f'already the "{lang}" translation of {relative_path(original, config.root)} '
                                      f'(translation_key "{key}")')])
    problems: list[Problem] = []
    article = read_article(original, relative_path(original, config.root), code, problems)
    if article is None:
        raise BuildError(problems)
    return Original(path=original, translation_key=key, date=article.date, author=article.author or "",
                    tags=article.tags)


def translate_tags(config: Config, tags: tuple[str, ...], lang: str) -> list[str]:
    """An original's tags as the translation writes them: a vocabulary tag by its name in lang (when it has
    one), any other as written; a tag written twice (two spellings of one) once."""
    vocabulary = make_vocabulary(config.tags)
    written: dict[str, str] = {}
    for name in tags:
        tag = vocabulary.find(name)
        identity = tag.slug if tag else fold_for_matching(name)
        written.setdefault(identity, tag.names[lang] if tag and lang in tag.names else name)
    return list(written.values())


def translation_key_of(path: Path, meta: dict[str, Any]) -> str:
    """An article's translation_key as the loader reads it: the key, else the slug, else the file name."""
    return str(meta.get("translation_key") or meta.get("slug") or path.stem)


def render_article(title: str, slug: str, lang: str, day: datetime.date, translation_key: str, author: str = "",
                   tags: list[str] | None = None) -> str:
    """Front matter with every key a writer fills in, then a placeholder body."""
    meta: dict[str, Any] = {
        "title": title,
        "slug": slug,
        "lang": lang,
        "date": day,
        "author": author,
        "tags": tags or [],
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
            out: TextIO | None = None, err: TextIO | None = None, today: datetime.date | None = None,
            force: bool = False) -> int:
    """The `new` command: print the new file's path (relative to root); 0, or 1 with the problems printed
    (a file that cannot be written as "path: cannot write: reason")."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        config = load_config(root)
        path = new_article(config, title, lang or config.default_language, translation_of,
                           today or datetime.date.today(), force=force)
    except BuildError as error:
        for problem in error.problems:
            print(problem, file=err)
        return error.exit_code
    except OSError as error:
        where = relative_path(Path(error.filename), root) if error.filename else "content"
        print(f"{where}: cannot write: {error.strerror or error}", file=err)
        return 1
    print(relative_path(path, root), file=out)
    return 0
