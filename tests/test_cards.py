"""Social cards: Arabic shaped and ordered (measured by glyph joins and against Chromium), wrapping, the PNG's
bytes, og:image on pages, the build cache and a missing Raqm."""

from __future__ import annotations

import io
import struct
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont, features

from generator import cards
from generator.cards import CARD_HEIGHT, CARD_WIDTH, MARGIN, Card, load_style, render_card, wrap
from generator.guard import STAGING
from tests.conftest import REPO

DEFAULT = REPO / "themes" / "default"
STATIC = DEFAULT / "static"
TITLE_FONT = DEFAULT / "cards" / cards.TITLE_FONT
MIXED = "الرقة بعد داعش: ISIS و 2017"
HOST = 'base_url = "https://example.org/repo/"'


def arabic_card(title: str = MIXED, **changes: str) -> Card:
    fields = dict(url="ar/cards/2017/09/x.png", title=title, header="المرصد", footer="الخميس 28 سبتمبر 2017 م",
                  lang="ar", direction="rtl")
    return Card(**{**fields, **changes})


def draw_word(text: str, size: int = 64, width: int = 700, direction: str = "rtl") -> Image.Image:
    """text in the card's title font, white on black, its reading start 40 px from the image's edge."""
    font = ImageFont.truetype(str(TITLE_FONT), size, layout_engine=ImageFont.Layout.RAQM)
    image = Image.new("L", (width, 160), 0)
    x, anchor = (width - 40, "rs") if direction == "rtl" else (40, "ls")
    ImageDraw.Draw(image).text((x, 110), text, font=font, fill=255, direction=direction, language="ar", anchor=anchor)
    return image


def bodies(image: Image.Image, min_area: int = 150) -> list[tuple[int, int]]:
    """(left, right) of every 8-connected blob of ink of at least min_area pixels (letters and joined groups of
    letters; dots and hamzas are smaller), left to right."""
    width, height = image.size
    pixels = image.load()
    seen: set[tuple[int, int]] = set()
    found = []
    for y in range(height):
        for x in range(width):
            if pixels[x, y] < 128 or (x, y) in seen:
                continue
            stack, blob = [(x, y)], []
            seen.add((x, y))
            while stack:
                a, b = stack.pop()
                blob.append(a)
                for na in (a - 1, a, a + 1):
                    for nb in (b - 1, b, b + 1):
                        if 0 <= na < width and 0 <= nb < height and (na, nb) not in seen and pixels[na, nb] >= 128:
                            seen.add((na, nb))
                            stack.append((na, nb))
            if len(blob) >= min_area:
                found.append((min(blob), max(blob)))
    return sorted(found)


def ink_runs(columns: list[bool], min_gap: int) -> list[tuple[int, int]]:
    """Runs of inked columns, merging runs separated by fewer than min_gap blank columns."""
    runs: list[list[int]] = []
    for x, inked in enumerate(columns):
        if not inked:
            continue
        if runs and x - runs[-1][1] <= min_gap:
            runs[-1][1] = x
        else:
            runs.append([x, x])
    return [(a, b) for a, b in runs]


def inked_columns(image: Image.Image, dark_ink: bool) -> list[bool]:
    grey = image.convert("L")
    width, height = grey.size
    pixels = grey.load()
    return [any((pixels[x, y] < 128) == dark_ink for y in range(height)) for x in range(width)]


# ---------------------------------------------------------------------------
# Shaping and order, measured
# ---------------------------------------------------------------------------


def test_raqm_is_available_here() -> None:
    # Pillow's wheel bundles Raqm and HarfBuzz and loads FriBiDi at run time (Debian: libfribidi0, which .ci/run
    # installs); the tests below are meaningless without it, so its absence fails rather than skips.
    assert features.check("raqm"), "Raqm is missing: apt-get install libfribidi0"
    assert "libfribidi0" in (REPO / ".ci" / "run").read_text()


def test_letters_of_a_word_join() -> None:
    # سوريا joins س to و and ي to ا (و and ر never join the letter after them): three bodies of ink. The
    # same letters kept apart by zero-width non-joiners are five. An unshaped layout draws five as well.
    assert len(bodies(draw_word("سوريا"))) == 3
    assert len(bodies(draw_word("\u200c".join("سوريا")))) == 5
    # The shaped advance from a known-good run (Raqm 0.11, HarfBuzz 14.5, the card font at 64 px): contextual
    # forms are narrower than isolated ones (182.7 px).
    font = ImageFont.truetype(str(TITLE_FONT), 64, layout_engine=ImageFont.Layout.RAQM)
    assert font.getlength("سوريا", direction="rtl", language="ar") == pytest.approx(140.55, abs=0.5)


def test_first_letter_in_reading_order_is_at_the_right_edge() -> None:
    found = bodies(draw_word("سوريا"))
    # The rightmost body is سو (the first two letters), the leftmost يا, each as wide as drawn alone.
    first, last = found[-1], found[0]
    alone_first, alone_last = bodies(draw_word("سو"))[0], bodies(draw_word("يا"))[0]
    assert abs((first[1] - first[0]) - (alone_first[1] - alone_first[0])) <= 1
    assert abs((last[1] - last[0]) - (alone_last[1] - alone_last[0])) <= 1
    # And it ends where the line starts: at the right, 40 px in (within the glyph's side bearing).
    assert 700 - 40 - 6 <= first[1] <= 700 - 40


def test_latin_and_digits_inside_arabic_follow_the_bidi_algorithm() -> None:
    # "سوريا ISIS 2017" in a right-to-left paragraph: سوريا at the right; "ISIS 2017" is one left-to-right run
    # at the left (rule W7: digits after a Latin word take its direction), ISIS first. In "سوريا 2017 و ISIS"
    # the Arabic و splits them: 2017 next to سوريا, then و, then ISIS at the far left.
    def words(text: str) -> list[tuple[int, int]]:
        return ink_runs(inked_columns(draw_word(text, width=900), dark_ink=False), min_gap=10)

    def width_alone(word: str) -> int:
        (left, right), = ink_runs(inked_columns(draw_word(word, width=900, direction="ltr"), dark_ink=False), 10)
        return right - left

    expected = [width_alone(word) for word in ("ISIS", "2017", "سوريا")]
    assert [right - left for left, right in words("سوريا ISIS 2017")] == pytest.approx(expected, abs=1)
    expected = [width_alone(word) for word in ("ISIS", "و", "2017", "سوريا")]
    assert [right - left for left, right in words("سوريا 2017 و ISIS")] == pytest.approx(expected, abs=1)
    # ISIS keeps its letters' order inside the line (not reversed to SISI): its ink matches ISIS drawn alone.
    line = draw_word("سوريا ISIS 2017", width=900)
    left, right = words("سوريا ISIS 2017")[0]
    alone = draw_word("ISIS", width=900, direction="ltr")
    (a, b), = ink_runs(inked_columns(alone, dark_ink=False), 10)
    ours, reference = line.crop((left, 0, right + 1, 160)), alone.crop((a, 0, b + 1, 160))
    assert ours.size == reference.size
    difference = sum(abs(x - y) for x, y in zip(ours.tobytes(), reference.tobytes())) / (255 * ours.width * 160)
    assert difference < 0.01


# What the browser is given: the theme's two fonts under the theme's own unicode-ranges (so Chromium falls
# back from Naskh to Noto Serif for Latin, digits and spaces exactly as on the site's pages), black on white.
BROWSER_PAGE = """<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><style>
@font-face {{ font-family: "Noto Naskh Arabic"; font-weight: 700; src: url("noto-naskh-arabic-arabic-700-normal.woff2");
  unicode-range: U+0600-06FF, U+0750-077F, U+0870-088E, U+0890-0891, U+0897-08E1, U+08E3-08FF, U+200C-200E,
  U+2010-2011, U+204F, U+2E41, U+FB50-FDFF, U+FE70-FE74, U+FE76-FEFC; }}
@font-face {{ font-family: "Noto Serif"; font-weight: 700; src: url("noto-serif-latin-700-normal.woff2");
  unicode-range: U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, U+0329,
  U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD; }}
html, body {{ margin: 0; background: #fff; }}
p {{ position: absolute; right: 40px; top: 20px; margin: 0; font: 700 64px/1.5 "Noto Naskh Arabic", "Noto Serif";
  color: #000; white-space: nowrap; font-kerning: normal; }}
</style></head><body><p id="t">{text}</p></body></html>"""


@pytest.mark.parametrize("text", [MIXED, "مداولات دولية حول مرحلة ما بعد سقوط \"داعش\"",
                                  "سوريا: 14 تقريراً عن (BBC) عام ٢٠١٧"])
def test_card_line_matches_chromium(browser, tmp_path: Path, text: str) -> None:
    from tests.browser import serve
    for name in ("noto-naskh-arabic-arabic-700-normal.woff2", "noto-serif-latin-700-normal.woff2"):
        (tmp_path / name).write_bytes((STATIC / "fonts" / name).read_bytes())
    (tmp_path / "line.html").write_text(BROWSER_PAGE.format(text=text.replace("<", "&lt;")), encoding="utf-8")
    with serve(tmp_path) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 160}, device_scale_factor=1)
        page.goto(url + "line.html")
        page.evaluate("document.fonts.ready")
        shot = Image.open(io.BytesIO(page.screenshot()))
        page.close()
    ours = draw_word(text, width=1400)
    # Glyph positions compared through the ink's columns: every run of ink (a letter or joined group, a Latin
    # word, a number) separated by at least 3 blank columns must start and end within 2 px of Chromium's
    # (HarfBuzz shapes in both; bidi is ICU's there and FriBiDi's here; anti-aliasing and hinting differ).
    browser_runs = ink_runs(inked_columns(shot, dark_ink=True), min_gap=3)
    card_runs = ink_runs(inked_columns(ours, dark_ink=False), min_gap=3)
    assert len(card_runs) == len(browser_runs), (card_runs, browser_runs)
    for (a, b), (c, d) in zip(card_runs, browser_runs):
        assert abs(a - c) <= 2 and abs(b - d) <= 2, (card_runs, browser_runs)


# ---------------------------------------------------------------------------
# Layout and bytes
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def style() -> cards.CardStyle:
    return load_style([DEFAULT])


def test_long_title_wraps_to_four_lines_with_an_ellipsis(style: cards.CardStyle) -> None:
    title = " ".join(["الرقة بعد داعش: كيف تعيد المدينة بناء نفسها بعد سنوات من الحرب والحصار"] * 4)
    card = arabic_card(title)
    layout = cards.layout_title(card, style, CARD_WIDTH - 2 * MARGIN)
    assert (layout.size, len(layout.lines), layout.cut) == (52, 4, True)
    assert layout.lines[-1].endswith("…") and not layout.lines[-1].endswith(" …")
    font = ImageFont.truetype(str(style.title_font), 52, layout_engine=ImageFont.Layout.RAQM)
    assert all(font.getlength(line, direction="rtl", language="ar") <= CARD_WIDTH - 2 * MARGIN for line in layout.lines)
    # Every word shown is the title's, in order.
    assert " ".join(layout.lines).removesuffix("…").split() == title.split()[:len(" ".join(layout.lines).split())]


def test_short_title_keeps_the_largest_size(style: cards.CardStyle) -> None:
    layout = cards.layout_title(arabic_card("سوريا"), style, CARD_WIDTH - 2 * MARGIN)
    assert (layout.lines, layout.size, layout.cut) == (("سوريا",), 68, False)


def test_one_word_wider_than_the_card_is_cut(style: cards.CardStyle) -> None:
    font = ImageFont.truetype(str(style.title_font), 52, layout_engine=ImageFont.Layout.RAQM)
    lines, cut = wrap("Pneumonoultramicroscopicsilicovolcanoconiosis" * 2, font, 1040, 4, arabic_card(lang="en"), "ltr")
    assert cut and len(lines) == 1 and lines[0].endswith("…")
    assert font.getlength(lines[0]) <= 1040


def test_a_title_or_word_of_any_length_is_laid_out_from_its_start_alone(style: cards.CardStyle) -> None:
    # A 100,000-word title ran for hours: every word was measured again with the whole rest of the title.
    sentence = "الرقة بعد داعش: كيف تعيد المدينة بناء نفسها بعد سنوات من الحرب والحصار "
    width = CARD_WIDTH - 2 * MARGIN
    started = time.perf_counter()
    for short, long in ((sentence * 8, sentence * 8000), ("ع" * 500, "ع" * 200_000)):
        assert cards.layout_title(arabic_card(short), style, width) == cards.layout_title(arabic_card(long), style, width)
        assert render_card(arabic_card(short), style) == render_card(arabic_card(long), style)
    assert time.perf_counter() - started < 20


def test_card_png_is_deterministic_and_carries_no_metadata(style: cards.CardStyle) -> None:
    first, second = render_card(arabic_card(), style), render_card(arabic_card(), style)
    assert first == second
    image = Image.open(io.BytesIO(first))
    assert (image.size, image.format, image.mode) == ((CARD_WIDTH, CARD_HEIGHT), "PNG", "P")
    chunks, offset = [], 8
    while offset < len(first):
        length, kind = struct.unpack(">I4s", first[offset:offset + 8])
        chunks.append(kind.decode())
        offset += 12 + length
    assert chunks[0] == "IHDR" and chunks[-1] == "IEND"
    assert set(chunks) <= {"IHDR", "PLTE", "IDAT", "IEND"}
    # A different title, date or site name gives a different card.
    assert render_card(arabic_card("سوريا"), style) != first
    assert render_card(arabic_card(footer="2018"), style) != first


@pytest.mark.parametrize("card", [
    arabic_card(),
    arabic_card("مداولاتٌ دوليّةٌ حولَ مرحلةِ ما بعدَ سقوطِ «داعش» في الرقّة ودير الزور والموصل وما تبقّى " * 2),
    arabic_card("سوريا", header="", footer=""),
    Card("en/cards/2017/09/x.png", "Raqqa after ISIS: \u0627\u0644\u0631\u0642\u0629 and 2017 in review", "Observatory",
         "Thursday 28 September 2017", "en", "ltr"),
    Card("en/cards/site.png", "W" * 90, "Observatory", "A long description " * 8, "en", "ltr"),
], ids=["mixed", "long-marked", "bare", "english", "one-long-word"])
@pytest.mark.parametrize("theme", ["default", "research", "dark"])
def test_the_palette_painter_gives_the_rgb_painter_s_image(tmp_path: Path, card: Card, theme: str) -> None:
    # The fast painter writes palette indices straight; quantizing the RGB drawing is the reference it must equal,
    # whatever the palette (the quantizer's colour cache maps some themes' paper to a neighbouring entry).
    dirs = [REPO / "themes" / "research", DEFAULT] if theme == "research" else [DEFAULT]
    if theme == "dark":
        (tmp_path / "static" / "css").mkdir(parents=True)
        (tmp_path / "static" / "css" / "site.css").write_text(
            ":root { --paper: #121417; --ink: #e8e4dc; --muted: #9a958c; --rule: #2a2d31; --accent: #7fd1b9; }")
        dirs = [tmp_path, DEFAULT]
    style = load_style(dirs)
    strokes = cards.plan_card(card, style)
    fast = cards.paint_palette(strokes, style.colours)
    reference = cards.paint_rgb(strokes, style.colour("paper")).quantize(
        palette=cards.card_palette(style.colours), dither=Image.Dither.NONE)
    assert fast is not None
    assert fast.tobytes() == reference.tobytes() and fast.getpalette() == reference.getpalette()


def test_overlapping_lines_fall_back_to_the_rgb_painter(style: cards.CardStyle) -> None:
    # Two lines drawn over each other: blending ink over ink is the RGB painter's alone.
    font = cards.load_font(style.title_font, 68)
    card = arabic_card()
    first = cards.line_stroke("الرقة بعد داعش", font, 300, card, "rtl", style.colour("ink"))
    strokes = [first, cards.line_stroke("سوريا", font, 310, card, "rtl", style.colour("accent"))]
    assert cards.paint_palette(strokes, style.colours) is None
    # Text over a rectangle too; and render_card's bytes are the reference's whatever painter drew them.
    assert cards.paint_palette([cards.Stroke(style.colour("gold"), (0, 200, 1200, 400)), first], style.colours) is None
    drawn = cards.render_card(arabic_card(), style)
    reference = cards.paint_rgb(cards.plan_card(arabic_card(), style), style.colour("paper")).quantize(
        palette=cards.card_palette(style.colours), dither=Image.Dither.NONE)
    assert Image.open(io.BytesIO(drawn)).tobytes() == reference.tobytes()


def test_the_shared_bands_and_header_are_painted_once_and_never_changed(style: cards.CardStyle) -> None:
    # The bands and header are painted once per process and copied for each card: marking them shared changes
    # no pixel, and drawing one card never leaves its title in the next card's copy.
    import dataclasses
    first, second = arabic_card(), arabic_card("سوريا", footer="2018")
    strokes = cards.plan_card(first, style)
    assert [stroke.shared for stroke in strokes][:4] == [True, True, True, False]
    unshared = [dataclasses.replace(stroke, shared=False) for stroke in strokes]
    assert cards.paint_palette(strokes, style.colours).tobytes() == \
        cards.paint_palette(unshared, style.colours).tobytes()
    alone = render_card(second, style)
    render_card(first, style)
    assert render_card(second, style) == alone
    # A card without a header shares only the bands.
    assert [stroke.shared for stroke in cards.plan_card(arabic_card(header=""), style)][:3] == [True, True, False]


def test_a_build_that_draws_nothing_does_not_import_pillow_or_pagefind() -> None:
    # Startup counts in every rebuild: Pillow and Pagefind are imported by the functions that use them.
    import subprocess
    import sys
    code = ("import sys; import generator.pipeline, generator.cli, generator.serve; "
            "print(sorted({name.split('.')[0] for name in sys.modules} & {'PIL', 'pagefind_bin', 'pagefind'}))")
    found = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def test_card_colours_come_from_the_theme_stylesheet(tmp_path: Path) -> None:
    (tmp_path / "cards").mkdir()
    for name in (cards.TITLE_FONT, cards.TEXT_FONT):
        (tmp_path / "cards" / name).write_bytes((DEFAULT / "cards" / name).read_bytes())
    (tmp_path / "static" / "css").mkdir(parents=True)
    (tmp_path / "static" / "css" / "site.css").write_text(":root { --paper: #102030; --accent: #AA0000; }\n"
                                                "@media (prefers-color-scheme: dark) { :root { --paper: #000000; } }")
    style = load_style([tmp_path])
    assert dict(style.colours)["paper"] == "#102030" and dict(style.colours)["accent"] == "#aa0000"
    assert dict(style.colours)["ink"] == cards.COLOURS["ink"]
    image = Image.open(io.BytesIO(render_card(arabic_card(), style))).convert("RGB")
    assert image.getpixel((5, 300)) == (0x10, 0x20, 0x30)
    assert image.getpixel((5, 5)) == (0xAA, 0, 0)
    assert style.digest != load_style([DEFAULT]).digest


def test_a_theme_without_the_card_fonts_is_one_message(tmp_path: Path) -> None:
    bare = tmp_path / "themes" / "bare"
    (bare / "static" / "fonts").mkdir(parents=True)
    # A font in static/ is a published file, not a card font: only cards/ is looked in.
    (bare / "static" / "fonts" / cards.TITLE_FONT).write_bytes(TITLE_FONT.read_bytes())
    with pytest.raises(cards.BuildError) as raised:
        load_style([bare])
    assert str(raised.value) == ("themes/bare:1: no theme has cards/warraq-card-700.woff2, the font social cards "
                                 "are drawn with; extend the default theme or copy its cards/warraq-card-*.woff2")
    (bare / "cards").mkdir()
    (bare / "cards" / cards.TITLE_FONT).write_bytes(TITLE_FONT.read_bytes())
    with pytest.raises(cards.BuildError) as raised:
        load_style([bare])
    assert "no theme has cards/warraq-card-400.woff2" in str(raised.value)
    # The parent theme further down the chain supplies what the child lacks.
    assert load_style([bare, DEFAULT]).text_font == DEFAULT / "cards" / cards.TEXT_FONT


def test_the_default_theme_s_screen_colours_not_its_print_colours() -> None:
    # css/print.css (sorted before site.css) sets black on white for paper; the card takes the screen palette.
    assert dict(load_style([DEFAULT]).colours) == {"paper": "#fbf9f4", "ink": "#1d1c1a", "muted": "#5d584f",
                                                   "rule": "#ddd6c8", "accent": "#0b5a48", "gold": "#a0813f"}


def test_a_child_theme_s_stylesheet_overrides_its_parent_s_colours() -> None:
    # The shipped research theme extends the default and sets its own palette in css/research.css.
    style = load_style([REPO / "themes" / "research", DEFAULT])
    assert dict(style.colours)["paper"] == "#f6f7f9" and dict(style.colours)["accent"] == "#1d4e89"
    assert style.title_font == TITLE_FONT


def test_card_cost(style: cards.CardStyle) -> None:
    # Drawing, quantising and compressing one card: about 12 ms of CPU on the development machine. CPU time,
    # not wall time: the machine running the tests may be busy with other work.
    render_card(arabic_card(), style)
    started = time.process_time()
    for number in range(5):
        render_card(arabic_card(f"{MIXED} {number}"), style)
    assert (time.process_time() - started) / 5 < 0.1


# ---------------------------------------------------------------------------
# In a build
# ---------------------------------------------------------------------------


def with_host(site) -> None:
    text = (site.root / "site.toml").read_text(encoding="utf-8")
    lines = [HOST if line.startswith("base_url") else line for line in text.splitlines()]
    (site.root / "site.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_article_pages_announce_their_card(make_site) -> None:
    site = make_site()
    with_host(site)
    site.article("ar", "raqqa", title=f"\"{MIXED}\"")
    result = site.build()
    assert result.code == 0, result.err
    html = site.read("ar/2017/09/raqqa/index.html")
    card_url = "https://example.org/repo/ar/cards/2017/09/raqqa.png"
    assert f'<meta property="og:image" content="{card_url}">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert f'<meta property="og:image:alt" content="{MIXED}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<meta name="twitter:image" content="{card_url}">' in html
    card = Image.open(site.root / "output" / "ar" / "cards" / "2017" / "09" / "raqqa.png")
    assert card.size == (1200, 630)
    # Listings share their language's site card.
    for page in ("ar/index.html", "ar/tags/index.html", "ar/archive/index.html"):
        assert '<meta property="og:image" content="https://example.org/repo/ar/cards/site.png">' in site.read(page)
    assert (site.root / "output" / "ar" / "cards" / "site.png").is_file()


def test_no_host_no_card(make_site) -> None:
    site = make_site()
    site.article("ar", "raqqa", title=f"\"{MIXED}\"")
    result = site.build("--base-url", "/")
    assert result.code == 0, result.err
    html = site.read("ar/2017/09/raqqa/index.html")
    assert "og:image" not in html and "twitter:image" not in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert not (site.root / "output" / "ar" / "cards").exists()


def test_cards_are_drawn_again_only_when_their_inputs_change(make_site, monkeypatch) -> None:
    site = make_site()
    with_host(site)
    site.article("ar", "raqqa", title=f"\"{MIXED}\"")
    site.article("ar", "other", title="عنوان آخر", date="2017-09-29")
    drawn: list[str] = []
    real = cards.render_card
    monkeypatch.setattr(cards, "render_card", lambda card, style: drawn.append(card.url) or real(card, style))
    assert site.build().code == 0
    assert sorted(drawn) == ["ar/cards/2017/09/other.png", "ar/cards/2017/09/raqqa.png", "ar/cards/site.png",
                             "en/cards/site.png"]
    path = site.root / "output" / "ar" / "cards" / "2017" / "09" / "raqqa.png"
    first = path.read_bytes()
    # Another article's body changes: no card is drawn.
    drawn.clear()
    site.article("ar", "other", title="عنوان آخر", date="2017-09-29", body="نص آخر.")
    assert site.build().code == 0
    assert drawn == []
    # Its title changes: only its card.
    site.article("ar", "other", title="عنوان ثالث", date="2017-09-29", body="نص آخر.")
    assert site.build().code == 0
    assert drawn == ["ar/cards/2017/09/other.png"]
    # A card deleted from output/ is drawn again, byte for byte the same, once the build cannot trust its record
    # of output/ (here: a killed build's staging folder is left; test_cache covers the rest).
    drawn.clear()
    path.unlink()
    (site.root / "output" / STAGING).mkdir()
    assert site.build().code == 0
    assert drawn == ["ar/cards/2017/09/raqqa.png"] and path.read_bytes() == first
    # The site's name (on every card) changes: every card.
    drawn.clear()
    toml = site.root / "site.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('title = "', 'title = "X ', 1), encoding="utf-8")
    assert site.build().code == 0
    assert len(drawn) >= 3


def test_cold_and_warm_builds_give_the_same_cards(make_site) -> None:
    site = make_site()
    with_host(site)
    site.article("ar", "raqqa", title=f"\"{MIXED}\"")
    assert site.build().code == 0
    cards_dir = site.root / "output" / "ar" / "cards"
    first = {p: p.read_bytes() for p in cards_dir.rglob("*.png")}
    import shutil
    shutil.rmtree(site.root / ".warraq-cache")
    shutil.rmtree(site.root / "output")
    assert site.build().code == 0
    assert {p: p.read_bytes() for p in cards_dir.rglob("*.png")} == first


def test_unchanged_cards_are_kept_without_a_worker_or_pillow(make_site, monkeypatch) -> None:
    site = make_site()
    with_host(site)
    site.article("ar", "raqqa", title=f"\"{MIXED}\"")
    site.article("ar", "other", title="عنوان آخر", date="2017-09-29")
    assert site.build().code == 0
    handed: list[str] = []
    real = cards.stage_one_card
    monkeypatch.setattr(cards, "stage_one_card", lambda worker, card: handed.append(card.url) or real(worker, card))
    site.article("ar", "other", title="عنوان ثالث", date="2017-09-29")
    assert site.build().code == 0
    # Only the card whose title changed reaches the drawing function; the others are kept where they are.
    assert handed == ["ar/cards/2017/09/other.png"]
    handed.clear()
    site.article("ar", "other", title="عنوان ثالث", date="2017-09-29", body="نص جديد.")
    monkeypatch.setattr(cards, "raqm_available", lambda: pytest.fail("Raqm looked up with no card to draw"))
    assert site.build().code == 0
    assert handed == []


def test_missing_raqm_stops_the_build_before_output_is_touched(make_site, monkeypatch) -> None:
    site = make_site()
    with_host(site)
    site.article("ar", "raqqa", title=f"\"{MIXED}\"")
    monkeypatch.setattr(cards, "raqm_available", lambda: False)
    result = site.build()
    assert result.code == 1
    assert result.err.strip().splitlines()[0] == (
        "site.toml:1: social cards need Pillow's Raqm layout to shape and order Arabic text, "
        "and Raqm is not available (Pillow's wheels load libfribidi at run time: on Debian or Ubuntu run "
        "`apt-get install libfribidi0`)")
    assert not (site.root / "output").exists()


def test_an_article_with_its_own_image_announces_it_and_gets_no_card(make_site) -> None:
    site = make_site()
    with_host(site)
    Image.new("RGB", (1600, 900), "#336699").save(site.root / "photo.png")
    bundle = site.root / "content" / "ar" / "2017" / "raqqa"
    bundle.mkdir(parents=True)
    (site.root / "photo.png").rename(bundle / "photo.png")
    site.write("content/ar/2017/raqqa/index.md", "---\ntitle: سوريا\nslug: raqqa\ndate: 2017-09-28\nimage: photo.png\n"
                                                 "---\nنص المقال.\n")
    result = site.build()
    assert result.code == 0, result.err
    html = site.read("ar/2017/09/raqqa/index.html")
    image = next(line for line in html.splitlines() if 'property="og:image"' in line)
    assert image.startswith('<meta property="og:image" content="https://example.org/repo/') and "photo" in image
    assert "/cards/" not in html
    assert '<meta property="og:image:width" content="1600">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert not (site.root / "output" / "ar" / "cards" / "2017").exists()


def test_card_fonts_are_not_published(make_site) -> None:
    site = make_site()
    with_host(site)
    site.article("ar", "raqqa", title=f"\"{MIXED}\"")
    assert site.build().code == 0
    published = {path.name for path in (site.root / "output").rglob("*")}
    assert "noto-naskh-arabic-arabic-700-normal.woff2" in published  # the pages' own fonts still are
    assert not {name for name in published if name.startswith("warraq-card")}
    assert (site.root / "output" / "ar" / "cards" / "2017" / "09" / "raqqa.png").is_file()


def test_a_changed_card_font_redraws_the_cards(make_site, monkeypatch) -> None:
    site = make_site()
    with_host(site)
    site.article("ar", "raqqa", title=f"\"{MIXED}\"")
    assert site.build().code == 0
    drawn: list[str] = []
    real = cards.render_card
    monkeypatch.setattr(cards, "render_card", lambda card, style: drawn.append(card.url) or real(card, style))
    # A child-theme-like change of the font: the text face replaced by the title face.
    fonts = site.root / "themes" / "default" / "cards"
    (fonts / cards.TEXT_FONT).write_bytes((fonts / cards.TITLE_FONT).read_bytes())
    assert site.build().code == 0
    assert "ar/cards/2017/09/raqqa.png" in drawn


def set_social_cards(site, value: str) -> None:
    toml = site.root / "site.toml"
    toml.write_text(f"social_cards = {value}\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")


def test_social_cards_off_draws_none_but_keeps_an_article_s_own_image(make_site) -> None:
    site = make_site()
    with_host(site)
    set_social_cards(site, "false")
    site.article("ar", "raqqa", title=f"\"{MIXED}\"")
    bundle = site.root / "content" / "ar" / "2017" / "photo"
    bundle.mkdir(parents=True)
    Image.new("RGB", (1600, 900), "#336699").save(bundle / "photo.png")
    site.write("content/ar/2017/photo/index.md", "---\ntitle: سوريا\nslug: photo\ndate: 2017-09-27\n"
                                                 "image: photo.png\n---\nنص المقال.\n")
    result = site.build()
    assert result.code == 0, result.err
    html = site.read("ar/2017/09/raqqa/index.html")
    assert "og:image" not in html and "twitter:image" not in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert "og:image" not in site.read("ar/index.html")
    own = site.read("ar/2017/09/photo/index.html")
    assert '<meta property="og:image" content="https://example.org/repo/' in own and "photo" in own
    assert '<meta name="twitter:card" content="summary_large_image">' in own
    assert not (site.root / "output" / "ar" / "cards").exists()
    # Switched back on: the cards appear.
    toml = site.root / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("social_cards = false", "social_cards = true"),
                    encoding="utf-8")
    assert site.build().code == 0
    assert (site.root / "output" / "ar" / "cards" / "2017" / "09" / "raqqa.png").is_file()
    assert "/cards/raqqa.png" not in site.read("ar/2017/09/raqqa/index.html")  # cards/2017/09/raqqa.png is
    assert "ar/cards/2017/09/raqqa.png" in site.read("ar/2017/09/raqqa/index.html")


@pytest.mark.parametrize("value, shown", [('"no"', '"no"'), ("0", "0"), ('"false"', '"false"')])
def test_social_cards_must_be_a_boolean(make_site, value: str, shown: str) -> None:
    site = make_site()
    set_social_cards(site, value)
    result = site.build()
    assert result.code == 1
    assert f"site.toml:1: social_cards must be true or false, not {shown}" in result.err
