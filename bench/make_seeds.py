"""Write a deterministic import benchmark: a Warraq project whose seeds/ holds N raw seed texts.

    python bench/make_seeds.py --seeds 2000 --out /tmp/seeds-project [--seed 1]

The project gets a copy of this repository's site.toml and themes/, an empty content/ and N seeds in
the format the importer reads (README "Seeds"): a title line carrying الكاتب:/التاريخ:/المشاهدات: (or
Author:/Date:/Views: for one seed in six, written in English), about 370 words of paragraphs (as many as
the shipped sample seed) with a subheading now and then, a list, quotations, vocabulary words with
attached prefixes (والرقة, بسوريا, للعراق) and diacritics, then the report footer and the sources. Dates
and view counts are sometimes written with Arabic-Indic digits. Only random.Random(seed) decides
anything: the same arguments always write the same bytes.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

from make_corpus import (
    ARABIC_HEADINGS, ARABIC_WORDS, AUTHORS_AR, AUTHORS_EN, ENGLISH_HEADINGS, ENGLISH_WORDS, REPO, SLUG_WORDS,
)

ENGLISH_SHARE = 1 / 6
SEED_WORDS = 330
MONTHS_AR = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
             "نوفمبر", "ديسمبر")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
# Vocabulary words of site.toml as texts write them: with و ف ب ك ل, the article, لل, and diacritics.
ARABIC_MENTIONS = ("داعش", "تنظيم الدولة", "سوريا", "بسوريا", "والرقة", "لدمشق", "دير الزور", "العراق",
                   "للعراق", "والموصل", "ببغداد", "روسيا", "الروس", "وموسكو", "بوتين", "الولايات المتحدة",
                   "واشنطن", "الأمريكيين", "الإرهاب", "والإرهابيين", "تركيا", "أنقرة", "إيران", "وطهران",
                   "الرَّقَّة", "سوريّا", "العـراق")
ENGLISH_MENTIONS = ("ISIS", "Syria", "Syrian", "Damascus", "Raqqa", "Iraq", "Mosul", "Baghdad", "Russia",
                    "Moscow", "Putin", "United States", "Washington", "terrorism", "Turkey", "Ankara", "Iran",
                    "Tehran")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def sentence(rng: random.Random, words: tuple[str, ...] | list[str], mentions: tuple[str, ...], arabic: bool) -> str:
    """8-20 words, one vocabulary mention in three, a quotation now and then, ending in a full stop."""
    picked = rng.choices(words, k=rng.randint(8, 20))
    if rng.random() < 0.35:
        picked.insert(rng.randrange(len(picked)), rng.choice(mentions))
    if rng.random() < 0.15:
        start = rng.randrange(len(picked) - 2)
        picked[start] = '"' + picked[start]
        picked[start + 2] += '"'
    if len(picked) > 11 and rng.random() < 0.5:
        picked[rng.randint(4, len(picked) - 4)] += "،" if arabic else ","
    text = " ".join(picked)
    return (text if arabic else text[0].upper() + text[1:]) + "."


def header(rng: random.Random, arabic: bool) -> str:
    """The title line with author, date and views labels; one seed in four puts them on their own lines."""
    words = ARABIC_WORDS if arabic else ENGLISH_WORDS
    mentions = ARABIC_MENTIONS if arabic else ENGLISH_MENTIONS
    title = " ".join(rng.choices(words, k=rng.randint(4, 9)) + [rng.choice(mentions)])
    if not arabic:
        title = title[0].upper() + title[1:]
    day, month, year = rng.randint(1, 28), rng.randrange(12), rng.randint(2005, 2024)
    views = f"{rng.randint(50, 50000):,}"
    author = rng.choice(AUTHORS_AR if arabic else AUTHORS_EN)
    if arabic:
        date = f"{day} {MONTHS_AR[month]} {year} م"
        if rng.random() < 0.3:
            date, views = date.translate(ARABIC_DIGITS), views.replace(",", "٬").translate(ARABIC_DIGITS)
        labels = (f"الكاتب: {author}", f"التاريخ: {date}", f"المشاهدات: {views}")
    else:
        labels = (f"Author: {author}", f"Date: {MONTHS_EN[month]} {day}, {year}", f"Views: {views}")
    return f"{title}\n" + "\n".join(labels) if rng.random() < 0.25 else f"{title} " + " ".join(labels)


def body(rng: random.Random, arabic: bool) -> list[str]:
    """Paragraphs of about SEED_WORDS words, a subheading or two and sometimes a list."""
    words = ARABIC_WORDS if arabic else ENGLISH_WORDS
    mentions = ARABIC_MENTIONS if arabic else ENGLISH_MENTIONS
    headings = ARABIC_HEADINGS if arabic else ENGLISH_HEADINGS
    blocks: list[str] = []
    count = 0
    while count < SEED_WORDS:
        if blocks and rng.random() < 0.12:
            blocks.append(rng.choice(headings))
        if blocks and rng.random() < 0.08:
            numbered = rng.random() < 0.5
            items = [" ".join(rng.choices(words, k=rng.randint(3, 8))) for _ in range(rng.randint(2, 5))]
            blocks.append("\n".join(f"{n}. {item}" if numbered else f"- {item}" for n, item in enumerate(items, 1)))
        text = " ".join(sentence(rng, words, mentions, arabic) for _ in range(rng.randint(2, 5)))
        count += text.count(" ") + 1
        blocks.append(text)
    return blocks


def footer(rng: random.Random, arabic: bool) -> str:
    """The report footer and the sources with one to three links."""
    links = "\n".join(f"https://example.org/{rng.choice(SLUG_WORDS)}/{rng.randint(1, 9999)}"
                      for _ in range(rng.randint(1, 3)))
    if arabic:
        return (f"للاطلاع على التقرير كاملاً: التقرير الاستراتيجي العدد {rng.randint(1, 99)} "
                f"إعداد: {rng.choice(AUTHORS_AR)}\n\nالمصادر:\n{links}")
    return f"For the full report: Strategic report no. {rng.randint(1, 99)}\n\nSources:\n{links}"


def seed_text(rng: random.Random) -> str:
    """One raw seed, as a news site's export writes it."""
    arabic = rng.random() >= ENGLISH_SHARE
    return "\n\n".join((header(rng, arabic), *body(rng, arabic), footer(rng, arabic))) + "\n"


def make_seeds(count: int, out: Path, seed: int = 1) -> int:
    """Write the project into out (its seeds/, content/ and themes/ are replaced); return the seed count."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for folder in ("seeds", "content", "themes"):
        if (out / folder).exists():
            shutil.rmtree(out / folder)
    shutil.copy(REPO / "site.toml", out / "site.toml")
    shutil.copytree(REPO / "themes", out / "themes", ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    (out / "content").mkdir()
    (out / "seeds").mkdir()
    for number in range(count):
        (out / "seeds" / f"{number:05d}_{rng.getrandbits(64):016x}.txt").write_text(seed_text(rng), encoding="utf-8")
    return count


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Write a deterministic Warraq import benchmark.")
    parser.add_argument("--seeds", type=int, required=True, help="number of seed files")
    parser.add_argument("--out", type=Path, required=True, help="the project folder to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    make_seeds(args.seeds, args.out, args.seed)
    print(f"{args.out}: {args.seeds} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
