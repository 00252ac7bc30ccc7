"""Tags: one identity across languages, resolved from names in either language or from slugs; a tag the
vocabulary lacks is warned about, naming the nearest vocabulary tag."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import yaml

from generator import inputs
from generator.arabic import fold_for_matching, transliterate
from generator.config import CONFIG_NAME, TagDef
from generator.content import Article, FrontMatterError, split_front_matter
from generator.errors import Problem

# How close (difflib's ratio, 0..1, over folded text) a written tag must come to a vocabulary spelling to be
# named as its nearest: "Iraqq"/"Iraq" 0.89, "سورية"/"سوريا" 0.8, "Terror"/"terrorism" 0.8, while unrelated
# words sharing only an ending ("اللاجئون"/"العراقيون" 0.62 once the article is set aside) stay below.
NEAREST_CUTOFF = 0.75
# Words shorter than this are never compared alone ("war" would be near "Iran"); whole tags always are.
MIN_WORD_LENGTH = 4
ARABIC_ARTICLE = "ال"
# `tags:` at the start of a front-matter line, and one item of a block list (`- سوريا`, `  - "Iraq"`).
TAGS_KEY = re.compile(r"tags\s*:")
LIST_ITEM = re.compile(r"\s*-\s+(\S.*?)\s*$")


@dataclass(frozen=True)
class Tag:
    """A tag's stable slug and its name in each language that names it."""

    slug: str
    names: Mapping[str, str]

    def name(self, lang: str) -> str:
        """The tag's name in lang, falling back to any name it has."""
        return self.names.get(lang) or next(iter(self.names.values()), self.slug)


# Punctuation a tag may be written with by mistake ("سوريا.", "«سوريا»"): never part of a vocabulary name.
TAG_PUNCTUATION = " .,;:!?،؛؟\"'«»“”()[]"


@dataclass(frozen=True)
class Vocabulary:
    """Lookup from any spelling of a tag (slug, or a name in any language) to the tag, and every spelling a
    near miss is compared with (slug, names, words; folded, without the Arabic article), in site.toml order."""

    by_key: Mapping[str, Tag]
    spellings: tuple[tuple[str, Tag], ...] = ()
    by_slug: Mapping[str, Tag] = field(default_factory=dict)

    def find(self, written: str) -> Tag | None:
        """The vocabulary tag written this way (slug or a name, any language, folded), or None."""
        return self.by_key.get(fold_for_matching(written))

    def same_slug(self, written: str) -> Tag | None:
        """The vocabulary tag a tag it lacks stands for: the one whose slug it would get ("SYRIA." and "Syriä"
        are syria), or whose name it is but for punctuation around it ("سوريا." is سوريا); else None."""
        return self.by_slug.get(transliterate(written) or "tag") or (
            self.find(stripped) if (stripped := written.strip(TAG_PUNCTUATION)) != written and stripped else None)

    def resolve(self, written: str, lang: str) -> Tag:
        """The vocabulary tag written this way; else the one whose slug it would get (its page is at that URL:
        a tag of its own there would rename the vocabulary tag's page); else a new tag named as written, in lang
        only."""
        found = self.find(written) or self.same_slug(written)
        if found:
            return found
        return Tag(slug=transliterate(written) or "tag", names={lang: written})

    def nearest(self, written: str) -> Tag | None:
        """The vocabulary tag closest to a tag it lacks: the best difflib ratio of the whole written tag, or of
        one of its words, against any spelling; None when none reaches NEAREST_CUTOFF. Ties go to the tag
        first in site.toml."""
        whole = comparable(written)
        pieces = [whole] + [word for word in whole.split() if len(word) >= MIN_WORD_LENGTH and word != whole]
        best_score, best_tag = 0.0, None
        for spelling, tag in self.spellings:
            for piece in pieces:
                matcher = difflib.SequenceMatcher(None, piece, spelling)
                bar = max(best_score, NEAREST_CUTOFF)
                # The cheap upper bounds first: most pairs are far apart.
                if matcher.real_quick_ratio() < bar or matcher.quick_ratio() < bar:
                    continue
                score = matcher.ratio()
                if score >= NEAREST_CUTOFF and score > best_score:
                    best_score, best_tag = score, tag
        return best_tag


def comparable(text: str) -> str:
    """text folded for matching, hyphens as spaces, and the Arabic article off each word, so that near misses
    are measured on the words themselves rather than on a shared "ال"."""
    words = fold_for_matching(text.replace("-", " ")).split()
    # Only off a word that keeps three letters: "الم" or "الي" are words, not the article and a stub.
    return " ".join(word[len(ARABIC_ARTICLE):] if word.startswith(ARABIC_ARTICLE) and len(word) > 4 else word
                    for word in words)


def make_vocabulary(tags: tuple[TagDef, ...]) -> Vocabulary:
    """Index every tag by its slug and its names, folded so hamza or ta-marbuta spelling does not matter."""
    by_key: dict[str, Tag] = {}
    spellings: dict[str, Tag] = {}
    for definition in tags:
        tag = Tag(slug=definition.slug, names=dict(definition.names))
        for key in (definition.slug, *definition.names.values()):
            by_key.setdefault(fold_for_matching(key), tag)
        for key in (definition.slug, *definition.names.values(), *definition.words):
            spellings.setdefault(comparable(key), tag)
    return Vocabulary(by_key=by_key, spellings=tuple((key, tag) for key, tag in spellings.items() if key),
                      by_slug={tag.slug: tag for tag in by_key.values()})


def resolve_tags(written: tuple[str, ...], lang: str, vocabulary: Vocabulary) -> tuple[Tag, ...]:
    """Resolve an article's tags, dropping repeats (two spellings of one tag count once)."""
    seen: dict[str, Tag] = {}
    for name in written:
        tag = vocabulary.resolve(name, lang)
        seen.setdefault(tag.slug, tag)
    return tuple(seen.values())


class VocabularyCheck:
    """Warns about the tags of one build's articles that the vocabulary lacks. Many articles carry the same
    tags written the same way: which of them are unknown, and the nearest tag of each, are found once per
    spelling (folding costs about 20 µs a tag; a nearest search, a hundred comparisons)."""

    def __init__(self, vocabulary: Vocabulary, root: Path) -> None:
        self.vocabulary = vocabulary
        self.root = root
        self.unknown: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {}
        self.nearest: dict[str, Tag | None] = {}

    def check(self, article: Article) -> list[Problem]:
        """One warning per tag of the article that the vocabulary lacks (spellings that fold alike count
        once), at the line of the tag in the front matter (else of `tags:`), naming the nearest vocabulary tag."""
        if article.tags not in self.unknown:
            self.unknown[article.tags] = unknown_tags(article.tags, self.vocabulary)
        unknown = self.unknown[article.tags]
        if not unknown:
            return []
        key_line, item_lines = tag_lines(self.root / article.path)
        problems = []
        for folded, written in unknown:
            if folded not in self.nearest:
                self.nearest[folded] = self.vocabulary.nearest(written)
            problems.append(Problem(article.path, item_lines.get(written, key_line),
                                    unknown_tag_message(written, self.nearest[folded], article.lang,
                                                        self.vocabulary.same_slug(written)), is_warning=True))
        return problems


class SlugCheck:
    """Warns where two tags the vocabulary lacks, not spellings of one name, share a slug ("C++", "C#" and "C"
    are all c): they would be one tag page under the first name, the others gone from it and from their
    articles. Spellings that fold alike ("مؤتمر", "موتمر"; "C", "c") are one tag, as intended. Checked once per
    name."""

    def __init__(self, vocabulary: Vocabulary, root: Path) -> None:
        self.vocabulary = vocabulary
        self.root = root
        # (lang, slug) -> the name seen first, and the comparable forms of every name seen with it; names looked
        # at already.
        self.names: dict[tuple[str, str], tuple[str, set[str]]] = {}
        self.seen: set[tuple[str, str]] = set()

    def check(self, article: Article) -> list[Problem]:
        """A warning for each tag of the article whose slug an earlier, other tag of its language has."""
        problems = []
        for written in article.tags:
            if (article.lang, written) in self.seen:
                continue
            self.seen.add((article.lang, written))
            if self.vocabulary.find(written) is not None or self.vocabulary.same_slug(written) is not None:
                continue
            slug, form = transliterate(written) or "tag", comparable(written)
            first, forms = self.names.setdefault((article.lang, slug), (written, set()))
            if forms and form not in forms:
                key_line, item_lines = tag_lines(self.root / article.path)
                problems.append(Problem(article.path, item_lines.get(written, key_line),
                                        f'tag "{written}" has the slug "{slug}", as the tag "{first}" has: one tag '
                                        f"page for both; add one of them to the tags of {CONFIG_NAME} with a slug of "
                                        f"its own",
                                        is_warning=True))
            forms.add(form)
        return problems


def unknown_tags(written: tuple[str, ...], vocabulary: Vocabulary) -> tuple[tuple[str, str], ...]:
    """(folded, as written) for each tag the vocabulary lacks, the first spelling of each folded one."""
    unknown: dict[str, str] = {}
    for name in written:
        if vocabulary.find(name) is None:
            unknown.setdefault(fold_for_matching(name), name)
    return tuple(unknown.items())


def unknown_tag_message(written: str, near: Tag | None, lang: str, same_slug: Tag | None = None) -> str:
    """'tag "X" is not in the vocabulary of site.toml; nearest: "Y" (slug y)', or '...; no close tag'; for a tag
    listed under the vocabulary tag whose slug it has, that tag and its name to write instead."""
    if same_slug:
        return (f'tag "{written}" is not in the vocabulary of {CONFIG_NAME}, but stands for '
                f'"{same_slug.name(lang)}" '
                f'(slug {same_slug.slug}): listed as that tag; write "{same_slug.name(lang)}" to say so')
    hint = f'nearest: "{near.name(lang)}" (slug {near.slug})' if near else "no close tag"
    return f'tag "{written}" is not in the vocabulary of {CONFIG_NAME}; {hint}'


def tag_lines(path: Path) -> tuple[int, dict[str, int]]:
    """(line of `tags:`, tag as the reader strips it -> line of its block-list item `- tag`) in a content file;
    (1, {}) when the file cannot be read again (the reader reported it). The front matter is scanned line by
    line rather than composed again (a thirtieth of the time); a tag it cannot place, in a flow list
    `[a, b]` or written over several lines, is at the line of `tags:`."""
    try:
        yaml_text, _, offset = split_front_matter(inputs.read_text(path).replace("\r\n", "\n").replace("\r", "\n"))
    except (inputs.InputError, FrontMatterError):
        return 1, {}
    lines = (yaml_text or "").split("\n")
    key = next((index for index, line in enumerate(lines) if TAGS_KEY.match(line)), None)
    if key is None:
        return 1, {}
    items: dict[str, int] = {}
    for index in range(key + 1, len(lines)):
        line = lines[index]
        if line.strip() and not line[0].isspace() and not line.startswith("-"):
            break  # the next key
        item = LIST_ITEM.match(line)
        if item and (value := item_text(item.group(1))):
            items.setdefault(value, index + offset)
    return key + offset, items


def item_text(written: str) -> str | None:
    """The text of a one-line list item as YAML reads it (plain, or quoted), stripped; None when unsure."""
    if written[:1] in "'\"":
        try:
            value = yaml.safe_load(written)
        except yaml.YAMLError:
            return None
        return value.strip() if isinstance(value, str) else None
    if written[:1] in "[{&*!|>%@`":
        return None
    return written.split(" #", 1)[0].strip() or None
