"""Social cards: a 1200x630 PNG for every article without an image of its own and one per language for
listings, with the title shaped and ordered by Raqm (HarfBuzz shaping, FriBiDi's Unicode bidi algorithm) in
the theme's card font, staged through the build cache like pages."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from generator import bidi
from generator.cache import CachedPage
from generator.errors import BuildError, Problem
from generator.parallel import map_parallel

# Pillow is imported by the functions that draw (a build that draws no card does not pay for its import).
if TYPE_CHECKING:
    from PIL import Image, ImageFont

    from generator.writer import Staging

# The size Facebook, LinkedIn, X and Mastodon show large cards at (1.91:1).
CARD_WIDTH = 1200
CARD_HEIGHT = 630
# The fonts a card is drawn with, in a theme's cards/ folder (never its static/: no page uses them, so they are
# not published), looked up through the theme chain, nearest theme first. They are the default theme's Noto
# Naskh Arabic and Noto Serif merged into one face per weight (see cards/OFL.txt), so that one Raqm layout
# covers an Arabic title with Latin words and digits in it, as the page's font stack does.
CARD_FOLDER = "cards"
TITLE_FONT = "warraq-card-700.woff2"
TEXT_FONT = "warraq-card-400.woff2"
STATIC = "static"
STYLESHEETS = "css"
# Colours read from the themes' stylesheets' custom properties: the nearest theme's first (a child theme's
# stylesheet overrides its parent's), within a theme css/site.css (the screen stylesheet) before the others
# (print.css has its own black-on-white palette), and in each file the first, light-scheme, definition; the
# default theme's values for any no stylesheet defines.
MAIN_STYLESHEET = "site.css"
COLOURS = {"paper": "#fbf9f4", "ink": "#1d1c1a", "muted": "#5d584f", "rule": "#ddd6c8", "accent": "#0b5a48",
           "gold": "#a0813f"}

# Layout, in pixels of the 1200x630 card.
MARGIN = 80
BAND = 14
HEADER_BASELINE = 112
HEADER_SIZE = 34
FOOTER_BASELINE = 560
FOOTER_SIZE = 30
TITLE_TOP = 150
TITLE_BOTTOM = 500
# Title sizes tried from the largest, each with the most lines it may take; the last one cuts with an ellipsis.
TITLE_SIZES = ((68, 3), (60, 3), (52, 4))
# More characters than any line of a card holds at any of its sizes (about 1,080 pixels at 30 pixels or more:
# under 200 of the narrowest glyphs); a longer line is always cut, after fewer.
MAX_LINE_CHARACTERS = 400
LINE_HEIGHT = 1.5
ELLIPSIS = "…"
# The PNG is written with a palette: the paper colour, each other colour and LEVELS - 1 anti-aliasing steps
# from the paper to it. A third of the bytes of RGB and faster to compress; sixteen steps of edge coverage
# are more than a shrunken preview shows. zlib's run-length strategy suits rows of one colour: within 15% of
# level 9's size in a fifteenth of its time (3 ms against 41 ms a card; level 6 takes 8 ms).
LEVELS = 16
PNG_LEVEL = 6
Z_RLE = 3

RAQM_MISSING = ("social cards need Pillow's Raqm layout to shape and order {script} text, and Raqm is not "
                "available (Pillow's wheels load libfribidi at run time: on Debian or Ubuntu run "
                "`apt-get install libfribidi0`)")


@dataclass(frozen=True)
class Card:
    """One card to draw: where it goes (a URL relative to the site root, e.g. "ar/cards/2017/09/slug.png"),
    its text, the language and base direction ("rtl" or "ltr") the text is laid out in, and the file its text
    comes from (for messages: the article, or site.toml for a site card)."""

    url: str
    title: str
    header: str
    footer: str
    lang: str
    direction: str
    source: str = "site.toml"


@dataclass(frozen=True)
class SocialImage:
    """What a page's og:image and twitter:image say: a full URL ("" when base_url names no host: no card is
    announced then), the size in pixels (None when unknown: a remote image) and the alternative text ("" when
    unknown); card is the Card to draw, if generated."""

    url: str
    width: int | None
    height: int | None
    alt: str
    card: Card | None = None


@dataclass(frozen=True)
class CardStyle:
    """The theme's look for cards: the two font files, the colours, and a digest of everything that changes
    a card's pixels besides its text (font bytes, colours, Pillow and its libraries' versions)."""

    title_font: Path
    text_font: Path
    colours: tuple[tuple[str, str], ...]
    digest: bytes

    def colour(self, name: str) -> str:
        return dict(self.colours)[name]


@dataclass(frozen=True)
class CardOutcome:
    """What became of one card: kept from the last build, or drawn (and staged); the cache row to record."""

    url: str
    rendered: bool
    kept: bool
    row: tuple[str, bytes, bytes]


def article_card_url(article_url: str) -> str:
    """Where an article's card goes: "ar/2017/09/slug/" -> "ar/cards/2017/09/slug.png" (beside no page, so a
    page bundle's own files can never collide with it)."""
    lang, _, rest = article_url.strip("/").partition("/")
    return f"{lang}/cards/{rest}.png"


def site_card_url(lang: str) -> str:
    """Where a language's site card goes (home, tags and archives share it): "ar/cards/site.png"."""
    return f"{lang}/cards/site.png"


def collect_cards(images: Iterable[SocialImage | None]) -> list[Card]:
    """The distinct cards to draw, in first-seen order (listings share their language's site card)."""
    found: dict[str, Card] = {}
    for image in images:
        if image and image.card and image.card.url not in found:
            found[image.card.url] = image.card
    return list(found.values())


def load_style(theme_dirs: Sequence[Path]) -> CardStyle:
    """The card fonts (cards/*.woff2) and colours (static/css/*.css) from the theme chain's folders, nearest
    theme first (themes/<name>); BuildError when no theme has the fonts."""
    title_font, text_font = find_card_file(theme_dirs, TITLE_FONT), find_card_file(theme_dirs, TEXT_FONT)
    if title_font is None or text_font is None:
        missing = TITLE_FONT if title_font is None else TEXT_FONT
        where = f"themes/{theme_dirs[0].name}" if theme_dirs else "themes"
        raise BuildError([Problem(where, 1, f"no theme has {CARD_FOLDER}/{missing}, the font social cards are drawn "
                                            "with; extend the default theme or copy its cards/warraq-card-*.woff2")])
    stylesheets = list_stylesheets([folder / STATIC for folder in theme_dirs])
    colours = read_colours([path.read_text(encoding="utf-8", errors="replace") for path in stylesheets])
    digest = hashlib.sha256()
    for path in (title_font, text_font):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(repr((colours, library_versions())).encode())
    return CardStyle(title_font, text_font, colours, digest.digest())


def find_card_file(theme_dirs: Sequence[Path], name: str) -> Path | None:
    """The nearest theme's cards/<name> that is a file, or None."""
    return next((folder / CARD_FOLDER / name for folder in theme_dirs if (folder / CARD_FOLDER / name).is_file()),
                None)


def list_stylesheets(static_dirs: Sequence[Path]) -> list[Path]:
    """Every theme's css/*.css, nearest theme first, and within a theme site.css first, then by name."""
    return [path for folder in static_dirs
            for path in sorted((folder / STYLESHEETS).glob("*.css"),
                               key=lambda path: (path.name != MAIN_STYLESHEET, path.name))
            if path.is_file()]


def read_colours(stylesheets: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """Each card colour from the first stylesheet (nearest theme first) that sets `--<name>: #rrggbb`, its first
    such line (the light scheme comes first); else the default theme's."""
    found = []
    for name, default in COLOURS.items():
        pattern = re.compile(rf"--{name}\s*:\s*(#[0-9a-fA-F]{{6}})\b")
        matches = (match.group(1).lower() for css in stylesheets if (match := pattern.search(css)))
        found.append((name, next(matches, default)))
    return tuple(found)


def library_versions() -> tuple[tuple[str, str | None], ...]:
    """Versions of everything that turns text into a card's bytes."""
    import PIL
    from PIL import features
    return (("pillow", PIL.__version__),) + tuple(
        (name, features.version(name)) for name in ("freetype2", "raqm", "fribidi", "harfbuzz", "zlib"))


def raqm_available() -> bool:
    """Whether Pillow can lay text out with Raqm (HarfBuzz and FriBiDi); without it Pillow silently falls
    back to a layout that neither joins Arabic letters nor orders right-to-left text."""
    from PIL import features
    return bool(features.check("raqm"))


def needs_raqm(card: Card) -> bool:
    """Whether a card's text needs shaping or bidi ordering: any right-to-left base direction or a letter
    outside Latin, Greek and Cyrillic."""
    text = card.title + card.header + card.footer
    return card.direction == bidi.RTL or any(ord(char) >= 0x0590 and unicodedata.category(char)[0] in "LM"
                                             for char in text)


def check_layout(cards: Sequence[Card]) -> None:
    """Refuse to draw cards that need Raqm when it is missing: an unshaped Arabic card is never written.
    Raises BuildError at the first such card's page."""
    if not cards or raqm_available():  # no card to draw: Pillow is not even imported
        return
    for card in cards:
        if needs_raqm(card):
            script = "Arabic" if any("\u0600" <= char <= "\u06ff" for char in card.title) else "right-to-left"
            raise BuildError([Problem(card.source, 1, RAQM_MISSING.format(script=script))])


def card_fingerprint(card: Card, style: CardStyle) -> bytes:
    """Everything a card's bytes are made from: its text, language, direction and the style's digest."""
    fields = (card.title, card.header, card.footer, card.lang, card.direction)
    return hashlib.sha256(style.digest + repr(fields).encode()).digest()


@dataclass(frozen=True)
class CardWorker:
    """What a process drawing cards holds: the style, what the cache knows and where to stage."""

    style: CardStyle
    known: Mapping[str, CachedPage]
    staging: Staging | None


def stage_cards(cards: Sequence[Card], style: CardStyle, known: Mapping[str, CachedPage],
                staging: Staging | None) -> list[CardOutcome]:
    """Keep each card whose inputs and file are unchanged since the last build, draw and stage the rest (over
    the machine's cores when there are many). BuildError when a card needs Raqm and it is missing."""
    # Imported here: writer imports theme, which imports plan, which imports this module for Card.
    from generator.writer import is_as_last_left, output_name
    fingerprints = [card_fingerprint(card, style) for card in cards]
    check_layout([card for card, fingerprint in zip(cards, fingerprints)
                  if getattr(known.get(card.url), "fingerprint", None) != fingerprint])
    # A card drawn from the same inputs whose file output/ holds as the last build left it is kept here, as a
    # worker would keep it, without a worker: a one-article rebuild forks none for thousands of unchanged cards.
    kept: dict[str, CardOutcome] = {}
    for card, fingerprint in zip(cards, fingerprints):
        entry = known.get(card.url)
        if staging and entry and entry.fingerprint == fingerprint and is_as_last_left(staging, output_name(card.url)):
            kept[card.url] = CardOutcome(card.url, rendered=False, kept=True, row=(card.url, fingerprint, entry.sha256))
    rest = [card for card in cards if card.url not in kept]
    staged = iter(map_parallel(stage_one_card, rest, lambda: CardWorker(style, known, staging), min_items=16))
    return [kept.get(card.url) or next(staged) for card in cards]


def stage_one_card(worker: CardWorker, card: Card) -> CardOutcome:
    """Keep one card's file when its fingerprint and bytes are the last build's, else draw and stage it."""
    # Imported here: writer imports theme, which imports plan, which imports this module for Card.
    from generator.writer import output_name, stage_if_same, stage_page
    fingerprint = card_fingerprint(card, worker.style)
    entry = worker.known.get(card.url)
    if worker.staging and entry and entry.fingerprint == fingerprint \
            and stage_if_same(worker.staging, output_name(card.url), entry.sha256):
        return CardOutcome(card.url, rendered=False, kept=True, row=(card.url, fingerprint, entry.sha256))
    content = render_card(card, worker.style)
    kept = stage_page(worker.staging, card.url, content) if worker.staging else False
    row = (card.url, fingerprint, hashlib.sha256(content).digest())
    return CardOutcome(card.url, rendered=True, kept=kept, row=row)


# ---------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TitleLayout:
    """A title broken into lines (logical order, each laid out by Raqm on its own) at one font size."""

    lines: tuple[str, ...]
    size: int
    cut: bool


@dataclass(frozen=True)
class Stroke:
    """One thing drawn on a card, in drawing order: a filled rectangle (box, inclusive corners) when text is
    empty, else one line of text at (x, baseline) with its anchor and Raqm options."""

    colour: str
    box: tuple[int, int, int, int] = (0, 0, 0, 0)
    text: str = ""
    font: ImageFont.FreeTypeFont | None = None
    x: int = 0
    baseline: int = 0
    anchor: str = "ls"
    options: tuple[tuple[str, str], ...] = ()
    # The same on every card of a language (the bands and the header): painted once per process.
    shared: bool = False


def render_card(card: Card, style: CardStyle) -> bytes:
    """A card's PNG bytes: same text and style, same bytes (no timestamp or other metadata chunk)."""
    from PIL import Image
    strokes = plan_card(card, style)
    # The palette painter makes the very image the RGB one quantizes to, without a full-card RGB image or a
    # quantizing pass; it declines (None) when strokes overlap, where only the RGB painter's blending is the reference.
    image = paint_palette(strokes, style.colours)
    if image is None:
        image = paint_rgb(strokes, style.colour("paper")).quantize(palette=card_palette(style.colours),
                                                                   dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=PNG_LEVEL, compress_type=Z_RLE)
    return buffer.getvalue()


def plan_card(card: Card, style: CardStyle) -> list[Stroke]:
    """What a card is drawn from, in order: an accent band, the header (site name) in the accent colour, the
    title in up to four lines, a rule and the footer (the date, or the site's description)."""
    strokes = [Stroke(style.colour("accent"), (0, 0, CARD_WIDTH, BAND - 1), shared=True),
               Stroke(style.colour("gold"), (0, BAND, CARD_WIDTH, BAND + 3), shared=True)]
    text_font = load_font(style.text_font, HEADER_SIZE)
    width = CARD_WIDTH - 2 * MARGIN
    if card.header:
        direction = base_direction(card.header, card)
        header = fit_line(card.header, text_font, width, card, direction)
        strokes.append(replace(line_stroke(header, text_font, HEADER_BASELINE, card, direction,
                                           style.colour("accent")), shared=True))
    layout = layout_title(card, style, width)
    title_font = load_font(style.title_font, layout.size)
    direction = base_direction(card.title, card)
    step = round(layout.size * LINE_HEIGHT)
    # The block is centred in the title area; the first baseline sits one ascent below the block's top.
    top = TITLE_TOP + (TITLE_BOTTOM - TITLE_TOP - step * len(layout.lines)) // 2
    for index, line in enumerate(layout.lines):
        baseline = top + index * step + round(layout.size * 1.05)
        strokes.append(line_stroke(line, title_font, baseline, card, direction, style.colour("ink")))
    strokes.append(Stroke(style.colour("rule"), (MARGIN, FOOTER_BASELINE - 58, CARD_WIDTH - MARGIN,
                                                 FOOTER_BASELINE - 57)))
    if card.footer:
        footer_font = load_font(style.text_font, FOOTER_SIZE)
        direction = base_direction(card.footer, card)
        strokes.append(line_stroke(fit_line(card.footer, footer_font, width, card, direction), footer_font,
                                   FOOTER_BASELINE, card, direction, style.colour("muted")))
    return strokes


def paint_rgb(strokes: Sequence[Stroke], paper: str) -> Image.Image:
    """The strokes drawn in order on an RGB card of the paper colour."""
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (CARD_WIDTH, CARD_HEIGHT), paper)
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        if stroke.text:
            draw.text((stroke.x, stroke.baseline), stroke.text, font=stroke.font, fill=stroke.colour,
                      anchor=stroke.anchor, **dict(stroke.options))
        else:
            draw.rectangle(stroke.box, fill=stroke.colour)
    return image


def paint_palette(strokes: Sequence[Stroke], colours: tuple[tuple[str, str], ...]) -> Image.Image | None:
    """The strokes painted straight into palette indices: the image paint_rgb's quantized to palette would be,
    or None when a line of text lands on anything but paper (blending over ink is the RGB painter's alone).
    Each line's coverage is drawn alone in grayscale; over paper a pixel of coverage m in colour c is exactly
    what quantizing Pillow's blend of c over paper at m gives, read from a 256-entry table per colour. The
    leading shared strokes (bands, header) are painted once per process and copied."""
    shared = 0
    while shared < len(strokes) and strokes[shared].shared:
        shared += 1
    base = paint_shared(tuple(strokes[:shared]), colours)
    if base is None:
        return None
    image, drawn = base[0].copy(), base[1].copy()
    return image if paint_strokes(image, drawn, strokes[shared:], colours) else None


@lru_cache(maxsize=8)
def paint_shared(strokes: tuple[Stroke, ...], colours: tuple[tuple[str, str], ...],
                 ) -> tuple[Image.Image, Image.Image] | None:
    """A card with only strokes painted, and its drawn mask (see paint_strokes); None when they overlap. Cached:
    every card of a language starts with the same bands and header. Callers copy both images before painting."""
    from PIL import Image
    # The paper's index is whatever the quantizer gives a paper pixel (its colour cache works on cells of
    # nearby colours, so not always the paper's own entry).
    paper = coverage_table(dict(colours)["paper"], colours)[0]
    image = Image.new("P", (CARD_WIDTH, CARD_HEIGHT), paper)
    image.putpalette(card_palette(colours).getpalette() or [])
    drawn = Image.new("L", (CARD_WIDTH, CARD_HEIGHT), 0)
    return (image, drawn) if paint_strokes(image, drawn, strokes, colours) else None


def paint_strokes(image: Image.Image, drawn: Image.Image, strokes: Sequence[Stroke],
                  colours: tuple[tuple[str, str], ...]) -> bool:
    """Paint strokes in order onto a palette card; drawn is 255 at every pixel painted so far, whatever its index
    (text may only land where it is 0). False, leaving both half painted, when a line of text lands on a pixel
    painted already."""
    from PIL import Image, ImageChops, ImageDraw
    draw = ImageDraw.Draw(image)
    mark = ImageDraw.Draw(drawn)
    layer = Image.new("L", (CARD_WIDTH, CARD_HEIGHT), 0)
    pen = ImageDraw.Draw(layer)
    for stroke in strokes:
        table = coverage_table(stroke.colour, colours)
        if not stroke.text:
            draw.rectangle(stroke.box, fill=table[255])
            mark.rectangle(stroke.box, fill=255)
            continue
        pen.text((stroke.x, stroke.baseline), stroke.text, font=stroke.font, fill=255, anchor=stroke.anchor,
                 **dict(stroke.options))
        box = layer.getbbox()
        if box is None:
            continue
        coverage = layer.crop(box)
        layer.paste(0, box)
        # Coverage to palette index and to paste mask by bytes.translate: Image.point with a list table spent
        # more time turning the table's 256 numbers into integers than mapping the pixels.
        pixels = coverage.tobytes()
        inked = Image.frombytes("L", coverage.size, pixels.translate(INKED))
        if ImageChops.darker(inked, drawn.crop(box)).getbbox() is not None:
            return False
        image.paste(Image.frombytes("P", coverage.size, pixels.translate(bytes(table))), box, inked)
        drawn.paste(255, box, inked)
    return True


# Coverage to a paste mask: every pixel any text touches.
INKED = bytes([0] + [255] * 255)


@lru_cache(maxsize=16)
def coverage_table(colour: str, colours: tuple[tuple[str, str], ...]) -> tuple[int, ...]:
    """The palette index of colour drawn over paper at each coverage 0..255, found by Pillow's own blend
    (the one text drawing uses) and its own quantizer, so it cannot drift from paint_rgb."""
    from PIL import Image
    ramp = Image.new("L", (256, 1))
    ramp.putdata(range(256))
    strip = Image.new("RGB", (256, 1), dict(colours)["paper"])
    strip.paste(colour, (0, 0, 256, 1), ramp)
    return tuple(strip.quantize(palette=card_palette(colours), dither=Image.Dither.NONE).tobytes())


def line_stroke(text: str, font: ImageFont.FreeTypeFont, baseline: int, card: Card, direction: str,
                colour: str) -> Stroke:
    """One line at its reading start: the right margin for right-to-left text, the left one otherwise."""
    rtl = direction == bidi.RTL
    return Stroke(colour, text=text, font=font, x=CARD_WIDTH - MARGIN if rtl else MARGIN, baseline=baseline,
                  anchor="rs" if rtl else "ls", options=tuple(layout_options(card, direction).items()))


@lru_cache(maxsize=4)
def card_palette(colours: tuple[tuple[str, str], ...]) -> Image.Image:
    """A palette image: the paper colour, then LEVELS - 1 steps from the paper to each other colour."""
    from PIL import Image, ImageColor
    paper = ImageColor.getrgb(dict(colours)["paper"])
    entries = [paper]
    for name, value in colours:
        target = ImageColor.getrgb(value)
        for step in range(1, LEVELS):
            entry = tuple(round(p + (t - p) * step / (LEVELS - 1)) for p, t in zip(paper, target))
            if name != "paper" and entry not in entries:
                entries.append(entry)
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for entry in entries for value in entry])
    return palette


def load_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """The font at size pixels, laid out by Raqm when available (callers have checked it is when needed)."""
    from PIL import ImageFont
    engine = ImageFont.Layout.RAQM if raqm_available() else ImageFont.Layout.BASIC
    return _load_font(str(path), size, engine)


@lru_cache(maxsize=16)
def _load_font(path: str, size: int, engine: int) -> ImageFont.FreeTypeFont:
    # Font objects are reused within a process: loading a face costs more than laying a title out.
    from PIL import ImageFont
    return ImageFont.truetype(path, size, layout_engine=engine)


def base_direction(text: str, card: Card) -> str:
    """A text's base direction, decided once for the whole text (never per line): from its content in the
    page's direction, as the page's `isolate` filter decides it."""
    return bidi.direction(text, card.direction) or card.direction  # no letters (a number): the page's


def layout_options(card: Card, direction: str) -> dict[str, str]:
    """Raqm's options: the paragraph's base direction and language (for language-specific forms)."""
    if not raqm_available():
        return {}
    return {"direction": direction, "language": card.lang}


def measure(text: str, font: ImageFont.FreeTypeFont, card: Card, direction: str) -> float:
    """The advance width of text laid out as one line, in pixels."""
    return _measure(text, font, card.lang, direction)


@lru_cache(maxsize=4096)
def _measure(text: str, font: ImageFont.FreeTypeFont, lang: str, direction: str) -> float:
    # Wrapping measures each line again (to decide a cut, to fit it) and every card measures its header.
    options = {"direction": direction, "language": lang} if raqm_available() else {}
    return font.getlength(text, **options)


def layout_title(card: Card, style: CardStyle, width: int) -> TitleLayout:
    """The largest title size whose lines fit; at the smallest size, four lines with an ellipsis if need be."""
    layout = TitleLayout((), 0, True)
    for size, max_lines in TITLE_SIZES:
        font = load_font(style.title_font, size)
        lines, cut = wrap(card.title, font, width, max_lines, card, base_direction(card.title, card))
        layout = TitleLayout(tuple(lines), size, cut)
        if not cut:
            break
    return layout


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int, card: Card,
         direction: str) -> tuple[list[str], bool]:
    """text broken at spaces into lines no wider than width, in logical order; when it takes more than max_lines
    (or a word is wider than a line) the last line is cut with an ellipsis. Returns the lines and whether cut."""
    lines: list[str] = []
    current = ""
    words = text.split()
    for index, word in enumerate(words):
        trial = f"{current} {word}" if current else word
        if current and measure(trial, font, card, direction) > width:
            lines.append(current)
            current = word
            if len(lines) == max_lines:
                # The card is full: the rest goes on the last line, which is cut. Not measured word by word (a
                # title of 100,000 words took hours).
                current = " ".join(words[index:])
                break
        else:
            current = trial
    lines.append(current)
    cut = len(lines) > max_lines or any(measure(line, font, card, direction) > width for line in lines[:max_lines])
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return [fit_line(line, font, width, card, direction) for line in lines], cut


def fit_line(text: str, font: ImageFont.FreeTypeFont, width: int, card: Card, direction: str) -> str:
    """text as it is when it fits width, else cut at a word (or, for one long word, a letter) with an ellipsis."""
    if len(text) > MAX_LINE_CHARACTERS:
        # Cut anyway (see MAX_LINE_CHARACTERS): fitting the start alone gives the same line, in bounded time.
        text = text[:MAX_LINE_CHARACTERS]
    elif measure(text, font, card, direction) <= width:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        shortened = with_ellipsis(" ".join(words))
        if measure(shortened, font, card, direction) <= width:
            return shortened
    word = words[0] if words else text
    while word:
        word = word[:-1]
        shortened = with_ellipsis(word)
        if measure(shortened, font, card, direction) <= width:
            return shortened
    return ELLIPSIS


def with_ellipsis(text: str) -> str:
    """text with an ellipsis after it, dropping trailing punctuation, spaces and lone combining marks first."""
    text = text.rstrip()
    while text and (unicodedata.category(text[-1])[0] in "PZM"):
        text = text[:-1]
    return text + ELLIPSIS


def draw_cards(cards: Sequence[Card], theme_dirs: Sequence[Path], known: Mapping[str, CachedPage],
               staging: Staging | None) -> list[CardOutcome]:
    """The build's entry: stage every card (kept or drawn) when writing; when only checking, draw none but still
    refuse cards that need Raqm when it is missing. known: the cache's record of the last build's files by URL
    (fingerprint and hash). BuildError for a missing font or missing Raqm."""
    if not cards:
        return []
    style = load_style(theme_dirs)
    if staging is None:
        check_layout(cards)
        return []
    return stage_cards(cards, style, known, staging)
