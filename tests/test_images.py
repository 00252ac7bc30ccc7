"""Images in articles (images.py): srcset widths, WebP, sizes from pixels, lazy loading, figures with captions,
valid URLs under a sub-path, the encode cache, and every problem as path:line."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from PIL import Image

from generator import images, pipeline

BASE = "https://x.github.io/repo/"
ARTICLE_PAGE = "ar/2017/09/bundle-one/index.html"
PHOTO = "صورة الغلاف.jpg"


def jpeg(width: int, height: int, orientation: int | None = None) -> bytes:
    """A JPEG of a colour gradient (so resizing has something to do), with an EXIF orientation when given."""
    image = Image.new("RGB", (width, height))
    image.putdata([((x * 255) // width, (y * 255) // height, 90) for y in range(height) for x in range(width)])
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Test camera"  # Make: metadata the published variants must not carry
    if orientation:
        exif[0x0112] = orientation
    image.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def png_with_alpha(width: int, height: int) -> bytes:
    image = Image.new("RGBA", (width, height), (200, 30, 30, 0))
    for x in range(width // 2):
        for y in range(height):
            image.putpixel((x, y), (20, 40, 200, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


BUNDLE = """---
title: مقال بالصور
date: 2017-09-28
---
مقدمة المقال.

![غلاف التقرير]({photo} "صورة من تقرير Human Rights Watch عن الرقة")

نص بعد الصورة.

شعار ![شعار شفاف](logo.png) في السطر.

![بلا تعليق](figures/chart.png)

[التقرير الكامل](report.pdf)
"""


class Tags(HTMLParser):
    """Every start tag of a page, in order, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.inside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def parse(html_text: str) -> list[tuple[str, dict[str, str]]]:
    parser = Tags()
    parser.feed(html_text)
    return parser.tags


def write_bundle(site, photo: bytes | None = None, body: str = BUNDLE) -> Path:
    folder = site.root / "content/ar/2017/bundle-one"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.md").write_text(body.format(photo=f"<{PHOTO}>"), encoding="utf-8")
    (folder / PHOTO).write_bytes(photo or jpeg(2000, 1000))
    (folder / "logo.png").write_bytes(png_with_alpha(300, 200))
    (folder / "figures").mkdir(exist_ok=True)
    (folder / "figures/chart.png").write_bytes(png_with_alpha(1000, 500))
    (folder / "report.pdf").write_bytes(b"%PDF-1.4 a report\n")
    (folder / ".DS_Store").write_bytes(b"junk")
    return folder


def article_tags(site) -> list[tuple[str, dict[str, str]]]:
    page = site.read(ARTICLE_PAGE)
    body = page[page.index("مقدمة المقال"):]
    return parse(body)


def output_file(site, url: str) -> Path:
    """The file in output/ a URL (absolute path under /repo/, percent-encoded) leads to."""
    path = unquote(urlsplit(url).path)
    assert path.startswith("/repo/"), url
    return site.root / "output" / path[len("/repo/"):]


def candidates(srcset: str) -> list[tuple[str, int]]:
    """A srcset's (URL, width) pairs, split as browsers do (on ", ", URLs holding no comma)."""
    pairs = []
    for candidate in srcset.split(", "):
        url, descriptor = candidate.split(" ")
        assert "," not in url and " " not in url
        pairs.append((url, int(descriptor.rstrip("w"))))
    return pairs


def test_bundle_images_become_pictures_with_valid_srcset_under_a_sub_path(make_site):
    site = make_site()
    write_bundle(site)
    result = site.build("--base-url", BASE)
    assert result.code == 0, result.err
    tags = article_tags(site)
    imgs = [attrs for tag, attrs in tags if tag == "img"]
    sources = [attrs for tag, attrs in tags if tag == "source"]
    assert len(imgs) == 3 and len(sources) == 3
    photo, logo, chart = imgs
    # Sizes from the real pixels; the first image (above the fold) is not lazy, the others are.
    assert (photo["width"], photo["height"]) == ("2000", "1000")
    assert (logo["width"], logo["height"]) == ("300", "200")
    assert (chart["width"], chart["height"]) == ("1000", "500")
    assert "loading" not in photo and "decoding" not in photo
    assert logo["loading"] == chart["loading"] == "lazy" and logo["decoding"] == "async"
    assert photo["alt"] == "غلاف التقرير" and "title" not in photo  # the title became the caption
    # Widths below the original, plus the original, never enlarged; every URL a file in output/ of that size.
    assert [w for _, w in candidates(photo["srcset"])] == [480, 960, 1600, 2000]
    assert [w for _, w in candidates(logo["srcset"])] == [300]
    assert [w for _, w in candidates(chart["srcset"])] == [480, 960, 1000]
    for attrs, source, fallback in ((photo, sources[0], "JPEG"), (logo, sources[1], "PNG"), (chart, sources[2], "PNG")):
        assert source["type"] == "image/webp" and source["sizes"] == attrs["sizes"]
        for srcset, kind in ((attrs["srcset"], fallback), (source["srcset"], "WEBP")):
            for url, width in candidates(srcset):
                with Image.open(output_file(site, url)) as published:
                    assert (published.format, published.width) == (kind, width)
        with Image.open(output_file(site, attrs["src"])) as published:
            assert published.format == fallback and str(published.width) == attrs["width"]
    # The Arabic name with a space is percent-encoded in every URL.
    assert photo["src"] == ("/repo/ar/2017/09/bundle-one/%D8%B5%D9%88%D8%B1%D8%A9%20%D8%A7%D9%84%D8%BA%D9%84%D8%A7%D9%81"
                            ".2000w.jpg")
    # Transparency kept in the PNG fallback and in the WebP.
    for url in (logo["src"], candidates(sources[1]["srcset"])[0][0]):
        with Image.open(output_file(site, url)) as published:
            assert published.mode == "RGBA" and published.getpixel((299, 0))[3] == 0


def test_caption_is_a_figcaption_in_the_article_direction_with_latin_isolated(make_site):
    site = make_site()
    write_bundle(site)
    assert site.build("--base-url", BASE).code == 0
    page = site.read(ARTICLE_PAGE)
    figure = re.search(r"<figure><picture>.*?</picture>(<figcaption[^>]*>.*?</figcaption>)</figure>", page)
    assert figure, page
    assert figure.group(1) == ('<figcaption>صورة من تقرير <bdi dir="ltr">Human Rights Watch</bdi> عن الرقة'
                               '</figcaption>')
    # An image inline in text stays inline (a <picture> in the paragraph), an uncaptioned one is no figure.
    assert re.search(r"<p>شعار <picture>.*?</picture> في السطر.</p>", page)
    assert page.count("<figure>") == 1


def test_english_caption_in_an_arabic_article_is_marked_ltr():
    found = images.caption_html("A chart of the 2017 budget", "rtl")
    assert found == '<figcaption dir="ltr">A chart of the 2017 budget</figcaption>'
    assert images.caption_html("خريطة <المدينة>", "rtl") == "<figcaption>خريطة &lt;المدينة&gt;</figcaption>"


def test_bundle_files_are_published_beside_the_page_and_relative_links_resolve(make_site):
    site = make_site()
    write_bundle(site)
    assert site.build("--base-url", BASE).code == 0
    page = site.read(ARTICLE_PAGE)
    href = re.search(r'<a href="([^"]+)">التقرير الكامل</a>', page).group(1)
    assert href == "report.pdf"
    target = urljoin("https://x.github.io/repo/ar/2017/09/bundle-one/", href)
    assert output_file(site, target).read_bytes() == b"%PDF-1.4 a report\n"
    folder = site.root / "output/ar/2017/09/bundle-one"
    assert (folder / PHOTO).read_bytes() == (site.root / "content/ar/2017/bundle-one" / PHOTO).read_bytes()
    assert (folder / "figures/chart.png").is_file()
    assert not (folder / ".DS_Store").exists() and not (folder / "index.md").exists()


def test_exif_orientation_is_applied_and_metadata_dropped(make_site):
    site = make_site()
    write_bundle(site, photo=jpeg(400, 200, orientation=6))  # stored landscape, shown portrait
    assert site.build("--base-url", BASE).code == 0
    photo = next(attrs for tag, attrs in article_tags(site) if tag == "img")
    assert (photo["width"], photo["height"]) == ("200", "400")
    with Image.open(output_file(site, photo["src"])) as published:
        assert published.size == (200, 400)
        assert not published.getexif()  # no camera make, no orientation left to apply twice


def output_digests(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def test_two_builds_encode_the_same_bytes(make_site, tmp_path):
    site = make_site()
    write_bundle(site)
    assert site.build("--base-url", BASE).code == 0
    first = output_digests(site.root / "output")
    # A cold build (no cache) into another folder encodes everything again.
    other = tmp_path / "other"
    shutil.rmtree(site.root / ".warraq-cache")
    assert site.build("--base-url", BASE, "--output", str(other)).code == 0
    second = output_digests(other)
    assert {k: v for k, v in first.items() if "bundle-one" in k} == {k: v for k, v in second.items()
                                                                      if "bundle-one" in k}
    assert any(name.endswith(".webp") for name in first)


def test_a_rebuild_never_encodes_an_unchanged_image(make_site, monkeypatch):
    site = make_site()
    folder = write_bundle(site)
    calls: list[int] = []
    real = images.encode_image

    def counting(data: bytes) -> images.Encoded:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(images, "encode_image", counting)
    assert site.build("--base-url", BASE).code == 0
    assert len(calls) == 3  # the photo, the logo and the chart
    # The article's text changes (so the build is not skipped as unchanged); its images do not.
    text = (folder / "index.md").read_text(encoding="utf-8")
    (folder / "index.md").write_text(text + "\nفقرة جديدة.\n", encoding="utf-8")
    assert site.build("--base-url", BASE).code == 0
    assert len(calls) == 3
    # One image changes: only it is encoded again, and its new size reaches the page.
    (folder / "logo.png").write_bytes(png_with_alpha(320, 200))
    assert site.build("--base-url", BASE).code == 0
    assert len(calls) == 4
    logo = [attrs for tag, attrs in article_tags(site) if tag == "img"][1]
    assert logo["width"] == "320"


def test_image_problems_are_reported_together_at_their_lines(make_site, monkeypatch):
    site = make_site()
    folder = site.root / "content/ar/2017/broken"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text("""---
title: صور معطوبة
date: 2017-09-28
image: cover.jpg
---
فقرة.

![ناقصة](missing.jpg)

![معطوبة](corrupt.jpg "تعليق")

نص ![قنبلة](huge.png) نص

![خارجية](https://example.org/remote.jpg)

```
![في الشيفرة](not-an-image.jpg)
```

![نص](notes.png)
""", encoding="utf-8")
    (folder / "notes.png").write_text("ملاحظات، لا صورة", encoding="utf-8")
    (folder / "corrupt.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG")
    (folder / "huge.png").write_bytes(png_with_alpha(200, 200))
    site.article("ar", "plain", body="فقرة.\n\n![نسبية](photo.jpg)\n")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    result = site.build("--base-url", BASE)
    assert result.code == 1
    assert "Traceback" not in result.err
    lines = [line for line in result.err.splitlines() if line.startswith("content/")]
    assert lines == [
        'content/ar/2017/broken/index.md:4: image: "cover.jpg" not found: there is no file '
        "content/ar/2017/broken/cover.jpg",
        'content/ar/2017/broken/index.md:8: image "missing.jpg" not found: there is no file '
        "content/ar/2017/broken/missing.jpg",
        'content/ar/2017/broken/index.md:10: image "corrupt.jpg" is not an image Pillow can read '
        "(Truncated File Read)",
        'content/ar/2017/broken/index.md:12: image "huge.png" has 40,000 pixels, over the limit of 10,000 '
        "(Image.MAX_IMAGE_PIXELS, against decompression bombs); scale it down",
        'content/ar/2017/broken/index.md:20: image "notes.png" is not an image Pillow can read '
        "(cannot identify image file)",
        'content/ar/plain.md:10: image "photo.jpg" is relative, but this article is not a page bundle; make it '
        "<slug>/index.md with the image beside it, or put the image under static/ and write its path from /",
    ]
    assert not (site.root / "output").exists()


def test_truncated_image_is_reported_not_raised(make_site):
    site = make_site()
    folder = write_bundle(site)
    data = jpeg(600, 300)
    (folder / "logo.png").write_bytes(png_with_alpha(300, 200)[:200])
    (folder / PHOTO).write_bytes(data[: len(data) // 2])
    result = site.build("--base-url", BASE)
    assert result.code == 1 and "Traceback" not in result.err
    assert f'content/ar/2017/bundle-one/index.md:7: image "{PHOTO}" cannot be decoded: image file is truncated' \
        in result.err
    assert 'content/ar/2017/bundle-one/index.md:11: image "logo.png" ' in result.err


def test_remote_images_are_left_alone_and_svg_passes_through_with_its_size(make_site):
    site = make_site()
    folder = write_bundle(site, body="""---
title: صور أخرى
date: 2017-09-28
---
مقدمة المقال.

![رسم](diagram.svg)

![بعيدة](https://example.org/a.jpg?w=1&h=2)

![متحركة](anim.gif)
""")
    (folder / "diagram.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80px"></svg>')
    gif = io.BytesIO()
    Image.new("P", (30, 20)).save(gif, "GIF")
    (folder / "anim.gif").write_bytes(gif.getvalue())
    result = site.build("--base-url", BASE)
    assert result.code == 0, result.err
    imgs = [attrs for tag, attrs in article_tags(site) if tag == "img"]
    assert imgs[0]["src"] == "/repo/ar/2017/09/bundle-one/diagram.svg"
    assert (imgs[0]["width"], imgs[0]["height"]) == ("120", "80") and "srcset" not in imgs[0]
    assert imgs[1]["src"] == "https://example.org/a.jpg?w=1&h=2" and "width" not in imgs[1]
    assert (imgs[2]["width"], imgs[2]["height"], imgs[2]["loading"]) == ("30", "20", "lazy")
    assert "<source" not in site.read(ARTICLE_PAGE)


def test_static_images_are_site_paths_under_the_base_path(make_site):
    site = make_site()
    (site.root / "static/images").mkdir(parents=True)
    (site.root / "static/images/map, 2017.png").write_bytes(png_with_alpha(700, 350))
    site.article("ar", "with-map", body="مقدمة المقال.\n\n![خريطة](</images/map, 2017.png>)\n")
    result = site.build("--base-url", BASE)
    assert result.code == 0, result.err
    page = site.read("ar/2017/09/with-map/index.html")
    img = next(attrs for tag, attrs in parse(page[page.index("مقدمة المقال"):]) if tag == "img")
    assert [(url, width) for url, width in candidates(img["srcset"])] == [
        ("/repo/images/map%2C%202017.480w.png", 480), ("/repo/images/map%2C%202017.700w.png", 700)]
    for url, _ in candidates(img["srcset"]):
        assert output_file(site, url).is_file()


def test_article_image_comes_from_front_matter_or_the_first_image(make_site, monkeypatch):
    site = make_site()
    folder = write_bundle(site)
    site.article("ar", "no-images")
    planned = []
    real = pipeline.plan_pages

    def recording(*args, **kwargs):
        pages = real(*args, **kwargs)
        planned.extend(pages)
        return pages

    monkeypatch.setattr(pipeline, "plan_pages", recording)
    assert site.build("--base-url", BASE).code == 0
    view = next(page.context["article"] for page in planned if page.url == "ar/2017/09/bundle-one/")
    plain = next(page.context["article"] for page in planned if page.url == "ar/2017/09/no-images/")
    assert plain.image is None
    image = view.image
    assert (image.width, image.height, image.type) == (2000, 1000, "image/jpeg")
    assert image.url.startswith("/repo/ar/2017/09/bundle-one/") and image.url.endswith(".2000w.jpg")
    assert image.absolute == "https://x.github.io" + image.url
    # Front matter's image: wins, relative to the bundle.
    text = (folder / "index.md").read_text(encoding="utf-8")
    (folder / "index.md").write_text(text.replace("date: 2017-09-28\n", "date: 2017-09-28\nimage: logo.png\n"),
                                     encoding="utf-8")
    planned.clear()
    assert site.build("--base-url", BASE).code == 0
    view = next(page.context["article"] for page in planned if page.url == "ar/2017/09/bundle-one/")
    assert (view.image.width, view.image.height, view.image.type) == (300, 200, "image/png")
    # The other article's page is made from what it was: kept by its dependency key, not planned again.
    assert next(page for page in planned if page.url == "ar/2017/09/no-images/").kept


def test_srcset_urls_escape_what_a_srcset_cannot_hold():
    assert images.srcset_url("/repo/", "ar/a, b.png") == "/repo/ar/a%2C%20b.png"
    assert images.url_of("/", "ar/x&y.png") == "/ar/x&amp;y.png"


@pytest.mark.parametrize("size", [(480, 200), (479, 100), (1600, 900)])
def test_widths_never_enlarge(size):
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(buffer, "JPEG")
    encoded = images.encode_image(buffer.getvalue())
    widths = sorted({variant.width for variant in encoded.variants})
    assert widths == [w for w in images.WIDTHS if w < size[0]] + [size[0]]
    assert {variant.ext for variant in encoded.variants} == {"jpg", "webp"}


def test_a_browser_loads_every_picture_under_the_sub_path(browser, make_site):
    from tests.browser import serve

    site = make_site()
    write_bundle(site)
    assert site.build("--base-url", BASE).code == 0
    with serve(site.root / "output", "/repo/") as base:
        page = browser.new_page(viewport={"width": 400, "height": 800}, device_scale_factor=2)
        failed: list[str] = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
        page.goto(base + "ar/2017/09/bundle-one/")
        for image in page.locator("article img").all():
            image.scroll_into_view_if_needed()
        page.wait_for_function("[...document.querySelectorAll('article img')].every(i => i.complete)")
        shown = page.evaluate("""[...document.querySelectorAll('article img')].map(i => [
            decodeURIComponent(new URL(i.currentSrc).pathname), i.naturalWidth, i.getBoundingClientRect().width])""")
        pdf = page.evaluate("new URL(document.querySelector('a[href=\"report.pdf\"]').href).pathname")
        assert page.request.get(base.rstrip("/").rsplit("/repo", 1)[0] + pdf).status == 200
        page.close()
    assert failed == []
    # At 400 CSS px and 2x, the browser picks the 960 px WebP of the photo (sizes says 100vw) and decodes it.
    assert shown[0][0] == f"/repo/ar/2017/09/bundle-one/{PHOTO.rsplit('.', 1)[0]}.960w.jpg.webp"
    assert all(natural > 0 and 0 < width <= 400 for _, natural, width in shown)
    assert all(path.endswith(".webp") for path, _, _ in shown)


def test_same_named_images_of_two_formats_make_distinct_files(make_site):
    site = make_site()
    folder = write_bundle(site, body="""---
title: صورتان
date: 2017-09-28
---
مقدمة المقال.

![أ](chart.jpg) ![ب](chart.png)
""")
    (folder / "chart.jpg").write_bytes(jpeg(500, 250))
    (folder / "chart.png").write_bytes(png_with_alpha(500, 250))
    result = site.build("--base-url", BASE)
    assert result.code == 0, result.err
    first, second = [attrs for tag, attrs in article_tags(site) if tag == "source"]
    assert candidates(first["srcset"])[-1][0].endswith("/chart.500w.jpg.webp")
    assert candidates(second["srcset"])[-1][0].endswith("/chart.500w.png.webp")
    with Image.open(output_file(site, candidates(second["srcset"])[-1][0])) as published:
        assert published.mode == "RGBA"


def variant_image(encoded: images.Encoded, ext: str) -> Image.Image:
    """The widest variant of an encoding in one format, decoded."""
    return Image.open(io.BytesIO([v for v in encoded.variants if v.ext == ext][-1].data))


@pytest.mark.parametrize("mode, value, expected", [("I;16", 40000, 156), ("I;16", 65535, 255), ("I;16", 1000, 4)])
def test_a_16_bit_png_keeps_its_tones(mode, value, expected):
    # Pillow's I;16 -> RGB clips every value over 255 to white: a 16-bit chart came out blank.
    buffer = io.BytesIO()
    Image.new(mode, (600, 40), value).save(buffer, "PNG")
    encoded = images.encode_image(buffer.getvalue())
    for ext in ("png", "webp"):
        pixel = variant_image(encoded, ext).convert("L").getpixel((0, 0))
        assert abs(pixel - expected) <= 1, (ext, pixel)


@pytest.mark.parametrize("kind", ["WEBP", "PNG"])
def test_an_animated_image_is_published_as_it_is(kind):
    # Encoding keeps one frame; an animation (WebP, APNG) passes through whole, as a GIF does.
    frames = [Image.new("RGB", (120, 60), (shade, 0, 0)) for shade in (0, 120, 240)]
    buffer = io.BytesIO()
    frames[0].save(buffer, kind, save_all=True, append_images=frames[1:], duration=100, loop=0)
    encoded = images.encode_image(buffer.getvalue())
    assert (encoded.width, encoded.height) == (120, 60)
    assert [(v.width, v.height, v.ext, v.data) for v in encoded.variants] == [(120, 60, kind.lower(),
                                                                               buffer.getvalue())]


def test_a_colour_profile_is_kept_only_for_the_colours_it_describes():
    # A CMYK photo is converted to RGB; its CMYK profile on RGB pixels would make browsers misread every colour.
    cmyk_profile = bytes(16) + b"CMYK" + bytes(108)
    buffer = io.BytesIO()
    Image.new("CMYK", (200, 100), (0, 255, 255, 0)).save(buffer, "JPEG", icc_profile=cmyk_profile)
    encoded = images.encode_image(buffer.getvalue())
    for ext in ("jpg", "webp"):
        published = variant_image(encoded, ext)
        assert published.mode == "RGB" and "icc_profile" not in published.info, ext
    from PIL import ImageCms
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), (10, 20, 30)).save(buffer, "JPEG", icc_profile=srgb)
    encoded = images.encode_image(buffer.getvalue())
    assert all(variant_image(encoded, ext).info.get("icc_profile") == srgb for ext in ("jpg", "webp"))
