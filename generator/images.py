"""Images in articles, with Pillow: every image an article's Markdown shows (from its page bundle, or from the
site's static/ folder) gets widths for srcset, WebP beside its own format, width/height from its pixels, lazy
loading below the fold and a <figure> when it has a caption. Encoded images are cached by their bytes, so an
unchanged image is never encoded twice; bundle files are published next to their article's page."""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence
from urllib.parse import unquote, urlsplit

from generator import inputs, urls
from generator.bidi import direction as text_direction, isolate_text
from generator.bundles import MAX_BUNDLE_BYTES, Bundle, ImageRef
from generator.config import Config
from generator.content import Article
from generator.errors import Problem
from generator.markup import HTML, Rendered
from generator.site import Site
from generator.pages import RenderedPage
from generator.views import ImageView

# Pillow is imported by the functions that decode or encode (a build with no image does not pay for its import).
if TYPE_CHECKING:
    from PIL import Image

# Widths offered in srcset (CSS pixels at 1x); an image is never enlarged, so it gets those below its own
# width, plus its own.
WIDTHS = (480, 960, 1600)
# Fixed encoder settings: the same pixels always encode to the same bytes (two builds are byte-identical).
JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True, "subsampling": "4:2:0"}
WEBP_OPTIONS = {"quality": 80, "method": 4, "exact": False}
PNG_OPTIONS = {"optimize": False, "compress_level": 9}
# The prose column is at most 68ch wide (themes/default site.css --measure), about 48rem.
SIZES = "(min-width: 48rem) 48rem, 100vw"
# Formats encoded to widths and WebP; GIF (often animated) and SVG are published as they are.
ENCODED = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PASSED = {".gif": "image/gif", ".svg": "image/svg+xml"}
MIME = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
# An address with a scheme (https:, data:) or a host (//cdn...) is left as it is: nothing is fetched.
REMOTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
STATIC_FOLDER = "static"
SVG_SIZE = re.compile(r"<svg\b[^>]*>", re.DOTALL)
SVG_LENGTH = r'\b{}\s*=\s*["\']\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*["\']'


def settings_key() -> str:
    """What an encoded image depends on besides its bytes: widths, encoder settings and Pillow's version."""
    import PIL
    return repr((WIDTHS, sorted(JPEG_OPTIONS.items()), sorted(WEBP_OPTIONS.items()), sorted(PNG_OPTIONS.items()),
                 PIL.__version__, 3))


@dataclass(frozen=True)
class Variant:
    """One encoded width of an image: its pixel size, file extension ("jpg", "png", "webp") and bytes."""

    width: int
    height: int
    ext: str
    data: bytes = b""


@dataclass(frozen=True)
class Encoded:
    """An image's size as shown (EXIF orientation applied), its own format's extension, and its variants."""

    width: int
    height: int
    ext: str
    variants: tuple[Variant, ...]


class ImageProblem(Exception):
    """An image that cannot be used; the message completes `image "x.jpg" ...`."""


# ---------------------------------------------------------------------------
# Encoding, cached
# ---------------------------------------------------------------------------


def open_image(data: bytes) -> Image.Image:
    """The decoded image, turned as its EXIF orientation says; ImageProblem for a file that is not an image
    Pillow reads, one it cannot decode, or one over Image.MAX_IMAGE_PIXELS (a decompression bomb)."""
    from PIL import Image, ImageOps
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as error:
            # Pillow refuses twice the limit before it shows the size; its message still gives the pixel count.
            found = re.search(r"\((\d+) pixels\)", str(error))
            raise ImageProblem(bomb_message(int(found.group(1)) if found else 0)) from None
        except (Image.UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
            raise ImageProblem(f"is not an image Pillow can read ({describe(error)})") from None
        if image.width * image.height > Image.MAX_IMAGE_PIXELS:
            raise ImageProblem(bomb_message(image.width * image.height))
        try:
            image.load()
            return ImageOps.exif_transpose(image)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
            raise ImageProblem(f"cannot be decoded: {describe(error)}") from None


def bomb_message(pixels: int) -> str:
    """Why an image of this many pixels (0: unknown) is refused."""
    from PIL import Image
    count = f"{pixels:,} pixels" if pixels else "too many pixels"
    return (f"has {count}, over the limit of {Image.MAX_IMAGE_PIXELS:,} (Image.MAX_IMAGE_PIXELS, against "
            f"decompression bombs); scale it down")


def describe(error: BaseException) -> str:
    """An exception's message without the file path Pillow sometimes puts in it."""
    text = str(error).replace("<_io.BytesIO object at ", "").strip()
    return re.sub(r" 0x[0-9a-f]+>", "", text) or type(error).__name__


def encode_image(data: bytes) -> Encoded:
    """Every width of an image (WIDTHS below its own, and its own) in its own format and in WebP (only WebP for a
    WebP), metadata dropped but the colour profile when it fits; an animation as it is, its only variant;
    ImageProblem when it cannot be used."""
    from PIL import Image
    image = open_image(data)
    original = Image.open(io.BytesIO(data))
    kind = image.format or original.format
    ext = ENCODED.get(kind or "")
    if ext is None:
        raise ImageProblem(f"is a {kind} image; use JPEG, PNG, WebP, GIF or SVG")
    if getattr(original, "is_animated", False):
        # Encoding keeps one frame: an animated WebP or PNG is published as it is, like a GIF.
        return Encoded(image.width, image.height, ext, (Variant(image.width, image.height, ext, data),))
    image = normalise_mode(image, ext)
    width, height = image.size
    variants = []
    for target in [w for w in WIDTHS if w < width] + [width]:
        # reducing_gap: shrink by whole factors first (JPEG draft-like, exact), then Lanczos; 2-3x faster than
        # Lanczos from the full size for a photo, and no visible difference at 3.
        scaled = image if target == width else image.resize((target, max(1, round(height * target / width))),
                                                             Image.Resampling.LANCZOS, reducing_gap=3.0)
        for variant_ext in dict.fromkeys((ext, "webp")):
            variants.append(Variant(scaled.width, scaled.height, variant_ext, save(scaled, variant_ext,
                                                                                   image.info.get("icc_profile"))))
    return Encoded(width, height, ext, tuple(variants))


def normalise_mode(image: Image.Image, ext: str) -> Image.Image:
    """Pixels every target format takes: RGB (or RGBA where there is transparency, L for greyscale JPEG)."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if image.mode.startswith("I"):
        # 16-bit greyscale: Pillow's own conversion clips every value over 255 (white); scale it to 8 bits.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if ext == "jpg":
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    return image.convert("RGBA" if has_alpha else "RGB") if image.mode not in ("RGB", "RGBA") else image


def save(image: Image.Image, ext: str, icc_profile: bytes | None) -> bytes:
    """One variant's bytes with the fixed encoder settings, no EXIF, the colour profile kept."""
    buffer = io.BytesIO()
    # A profile describes one colour space (bytes 16-20 of its header); a CMYK photo's, on the RGB pixels it
    # was converted to, would make browsers misread every colour. WebP stores greyscale as RGB.
    space = b"GRAY" if image.mode == "L" and ext != "webp" else b"RGB "
    extra = {"icc_profile": icc_profile} if icc_profile and icc_profile[16:20] == space else {}
    if ext == "jpg":
        image.save(buffer, "JPEG", **JPEG_OPTIONS, **extra)
    elif ext == "png":
        image.save(buffer, "PNG", **PNG_OPTIONS, **extra)
    else:
        image.save(buffer, "WEBP", **WEBP_OPTIONS, **extra)
    return buffer.getvalue()


@dataclass(frozen=True)
class ImageCache:
    """Encoded images on disk (<cache>/images/), by the hash of their bytes and settings_key(); None folder: no
    cache. A record's metadata file is written last, so a half-written record is never read."""

    folder: Path | None

    def key(self, data: bytes) -> str:
        """The cache key of an image's bytes under the current settings."""
        return hashlib.sha256(hashlib.sha256(data).digest() + settings_key().encode()).hexdigest()

    def get(self, key: str) -> Encoded | None:
        """The cached encoding, or None when absent or damaged."""
        if self.folder is None:
            return None
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text())
            variants = tuple(Variant(w, h, ext, (self.folder / f"{key}-{w}.{ext}").read_bytes())
                             for w, h, ext in meta["variants"])
            return Encoded(meta["width"], meta["height"], meta["ext"], variants)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, encoded: Encoded) -> None:
        """Store an encoding; a failure to write only costs the next build an encode."""
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for variant in encoded.variants:
                (self.folder / f"{key}-{variant.width}.{variant.ext}").write_bytes(variant.data)
            meta = {"width": encoded.width, "height": encoded.height, "ext": encoded.ext,
                    "variants": [[v.width, v.height, v.ext] for v in encoded.variants]}
            temporary = self.folder / f"{key}.json.tmp"
            temporary.write_text(json.dumps(meta))
            os.replace(temporary, self.folder / f"{key}.json")
        except OSError:
            pass


# ---------------------------------------------------------------------------
# What templates and bodies get
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    """How one image address is shown: src (URL, already HTML-safe), pixel size (None: unknown), the srcset of
    its own format and of WebP ("" when none)."""

    src: str
    width: int | None = None
    height: int | None = None
    srcset: str = ""
    webp: str = ""
    mime: str = ""


@dataclass(frozen=True)
class ArticlePictures:
    """An article's images by address as written (percent-decoded), and its language's direction (captions)."""

    pictures: tuple[tuple[str, Picture], ...]
    direction: str

    def find(self, src: str) -> Picture | None:
        """The picture for an <img src> as the body's HTML has it (HTML-escaped), or None."""
        key = unquote(html.unescape(src))
        return next((picture for address, picture in self.pictures if address == key), None)


@dataclass(frozen=True)
class IllustratedBody:
    """A body's HTML with its images shown as pictures; the HTML is read (from the cache, for a stored body)
    and rewritten when a page prints it."""

    inner: str | HTML
    pictures: ArticlePictures

    def __html__(self) -> str:
        inner = self.inner if isinstance(self.inner, str) else self.inner.__html__()
        return place_pictures(inner, self.pictures)

    def __str__(self) -> str:
        return self.__html__()

    def __len__(self) -> int:
        return len(self.__html__())

    def __bool__(self) -> bool:
        return True


# <img> alone in a paragraph (which becomes a figure), or anywhere; attributes as the sanitiser writes them.
IMAGE_TAG = re.compile(r'(?P<open><p(?: [^>]*)?>\s*)?<img(?P<attributes>(?:\s+[^\s"\'<>/=]+(?:="[^"]*")?)*)\s*/?>'
                       r'(?P<close>\s*</p>)?')
ATTRIBUTE = re.compile(r'([^\s"\'<>/=]+)(?:="([^"]*)")?')


def place_pictures(body: str, pictures: ArticlePictures) -> str:
    """A body's HTML with each known <img> as a <picture> (width, height, srcset, WebP), lazy after the first
    image, and an image alone in its paragraph with a title as a <figure> captioned by the title."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        attributes = dict(ATTRIBUTE.findall(match.group("attributes")))
        picture = pictures.find(attributes.get("src", ""))
        first = count == 0
        count += 1
        title = attributes.get("title", "")
        alone = bool(match.group("open") and match.group("close"))
        if alone and title:
            attributes.pop("title")
        shown = picture_html(attributes, picture, lazy=not first)
        if alone and title:
            return f"<figure>{shown}{caption_html(html.unescape(title), pictures.direction)}</figure>"
        return f"{match.group('open') or ''}{shown}{match.group('close') or ''}"

    return IMAGE_TAG.sub(replace, body)


def picture_html(attributes: dict[str, str], picture: Picture | None, lazy: bool) -> str:
    """An <img> (in a <picture> with a WebP <source> when there is one) with the picture's size and srcset;
    attributes keep their HTML-escaped values."""
    if picture:
        attributes["src"] = picture.src
        if picture.width and picture.height:
            attributes["width"], attributes["height"] = str(picture.width), str(picture.height)
        if picture.srcset:
            attributes["srcset"], attributes["sizes"] = picture.srcset, SIZES
    if lazy:
        attributes["loading"], attributes["decoding"] = "lazy", "async"
    written = "".join(f' {name}="{value}"' for name, value in attributes.items())
    image = f"<img{written}>"
    if picture and picture.webp:
        return f'<picture><source type="image/webp" srcset="{picture.webp}" sizes="{SIZES}">{image}</picture>'
    return image


def caption_html(caption: str, language_direction: str) -> str:
    """A <figcaption> for a caption in the article's language: dir set only when the caption reads the other
    way, and runs of the other direction isolated in <bdi> (bidi.py's rules)."""
    chosen = text_direction(caption, language_direction) or language_direction
    marked = f' dir="{chosen}"' if chosen != language_direction else ""
    return f"<figcaption{marked}>{isolate_text(caption, chosen)}</figcaption>"


# ---------------------------------------------------------------------------
# The stage: resolve, check, encode, publish
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A local image file an article refers to: its path, its name in problems, and its own output name
    (relative to output/), beside which its variants go. The file itself is published with its bundle, or by
    the copy of static/."""

    path: str
    shown: str
    name: str


@dataclass(frozen=True)
class Illustrations:
    """What the image stage made: files to write (bundle files and encoded variants), problems, each article's
    pictures and first image by its path, and how many images were encoded (not taken from the cache)."""

    files: tuple[RenderedPage, ...]
    problems: tuple[Problem, ...]
    pictures: Mapping[str, ArticlePictures] = field(default_factory=dict)
    images: Mapping[str, ImageView] = field(default_factory=dict)
    encoded: int = 0

    def apply(self, bodies: Mapping[tuple[str, str], Rendered], site: Site) -> dict[tuple[str, str], Rendered]:
        """The bodies, those of articles with images wrapped to show them as pictures."""
        by_key = {(entry.article.lang, entry.article.slug): entry.article.path
                  for language_site in site.languages for entry in language_site.entries}
        return {key: self.illustrate(by_key.get(key, ""), body) for key, body in bodies.items()}

    def illustrate(self, path: str, body: Rendered) -> Rendered:
        """One article's body (by its source path) wrapped to show its images as pictures, if it has any."""
        found = self.pictures.get(path)
        return Rendered(html=IllustratedBody(body.html, found), toc=body.toc) if found and found.pictures else body

    def sources(self, sources: Mapping[str, bytes]) -> dict[str, bytes]:
        """ArticleView.source digests with each article's pictures and image folded in, so that a changed image
        renders its pages again."""
        result = dict(sources)
        for path in set(self.pictures) | set(self.images):
            result[path] = self.source(path, result.get(path, b""))
        return result

    def source(self, path: str, digest: bytes) -> bytes:
        """One article's ArticleView.source digest (by its source path) with its pictures and image folded in."""
        if path not in self.pictures and path not in self.images:
            return digest
        extra = repr((self.pictures.get(path), self.images.get(path))).encode()
        return hashlib.sha256(digest + extra).digest()


@dataclass
class _Work:
    """The stage's running state within one call (never shared): encodings by source path, files by output
    name with the source that made them, problems."""

    config: Config
    cache: ImageCache
    encodings: dict[str, Encoded | ImageProblem] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    encoded: int = 0


def process_images(site: Site, bundles: Mapping[str, Bundle], config: Config,
                   cache_folder: Path | None) -> Illustrations:
    """Publish every published article's bundle files, and resolve, check and encode the images its Markdown
    shows and its front matter's image:. Problems are `path:line: message` at the image's line; nothing is
    fetched for a remote image."""
    work = _Work(config, ImageCache(cache_folder))
    pictures: dict[str, ArticlePictures] = {}
    images: dict[str, ImageView] = {}
    for language_site in site.languages:
        for entry in language_site.entries:
            article = entry.article
            bundle = bundles.get(article.path)
            if bundle:
                publish_bundle(work, bundle, entry.url)
            shown: list[tuple[str, Picture]] = []
            first: ImageView | None = None
            for ref in article.images:
                picture = resolve_picture(work, article, bundle, entry.url, ref)
                if picture is None:
                    continue
                shown.append((unquote(ref.src), picture))
                if first is None and picture.width and picture.mime != PASSED[".svg"]:
                    first = image_view(picture, config)
            if article.image:
                ref = ImageRef(article.image, article.image_line)
                picture = resolve_picture(work, article, bundle, entry.url, ref, what="image:")
                first = image_view(picture, config) if picture else first
            if shown:
                pictures[article.path] = ArticlePictures(tuple(shown), language_site.language.direction)
            if first:
                images[article.path] = first
    files = tuple(RenderedPage(name, data) for name, (_, data) in sorted(work.files.items()))
    return Illustrations(files, tuple(work.problems), pictures, images, work.encoded)


def publish_bundle(work: _Work, bundle: Bundle, article_url: str) -> None:
    """Every file of a bundle, next to its article's page; its page's own file name is refused."""
    page = urls.output_path(Path("/"), article_url).relative_to("/").as_posix()
    for item in bundle.files:
        shown = bundle.rel.rsplit("/", 1)[0] + "/" + item.name
        name = article_url + item.name
        if name == page:
            work.problems.append(Problem(shown, 1, f"a bundle file may not be called {item.name}: the article's page "
                                                   "is written there; rename it"))
            continue
        try:
            data = inputs.read_bytes(item.path, MAX_BUNDLE_BYTES)
        except inputs.InputError as error:
            work.problems.append(Problem(shown, error.line, error.message, is_warning=error.is_skip))
            continue
        add_file(work, name, shown, data)


def add_file(work: _Work, name: str, maker: str, data: bytes) -> None:
    """One file to write as output/<name>; two different files for one name is a problem naming both."""
    known = work.files.get(name)
    if known and known[1] != data:
        work.problems.append(Problem(maker, 1, f'would be written to "{name}", as {known[0]} is'))
    elif not known:
        work.files[name] = (maker, data)


def resolve_picture(work: _Work, article: Article, bundle: Bundle | None, article_url: str, ref: ImageRef,
                    what: str = "image") -> Picture | None:
    """How one image address of an article is shown; None (with a problem) when it cannot be."""
    if REMOTE.match(ref.src):
        return Picture(html.escape(ref.src))
    try:
        source = locate(work.config, article, bundle, article_url, ref.src)
        return make_picture(work, source)
    except ImageProblem as error:
        work.problems.append(Problem(article.path, ref.line, f'{what} "{ref.src}" {error}'))
        return None


def locate(config: Config, article: Article, bundle: Bundle | None, article_url: str, src: str) -> Source:
    """The file an address names: "/x/y.png" under the site's static/ folder, anything else inside the
    article's bundle; ImageProblem when there is none or it cannot be used."""
    path = unquote(urlsplit(src).path)
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in parts or "\\" in path or not parts:
        raise ImageProblem("leaves its folder; name a file inside the bundle, or under static/ with a leading /")
    if path.startswith("/"):
        folder = config.root / STATIC_FOLDER
        file_path = folder.joinpath(*parts)
        shown = f"{STATIC_FOLDER}/{'/'.join(parts)}"
        if not file_path.is_file():
            raise ImageProblem(f"not found: there is no file {shown}")
        try:
            inputs.check_link(file_path, (config.root,))
        except inputs.InputError as error:
            raise ImageProblem(f"({shown}) {error.message}") from None
        return Source(str(file_path), shown, "/".join(parts))
    if bundle is None:
        raise ImageProblem("is relative, but this article is not a page bundle; make it <slug>/index.md with the "
                           "image beside it, or put the image under static/ and write its path from /")
    name = "/".join(parts)
    folder_shown = bundle.rel.rsplit("/", 1)[0]
    found = bundle.find(name)
    if found is None:
        raise ImageProblem(f"not found: there is no file {folder_shown}/{name}")
    return Source(found.path, f"{folder_shown}/{name}", article_url + name)


def make_picture(work: _Work, source: Source) -> Picture:
    """The picture for a local image: encoded (or from the cache) for JPEG, PNG and WebP, its variants added
    to the files to write; GIF and SVG as they are, with their size when it is cheap to know."""
    base = work.config.base_path
    suffix = os.path.splitext(source.name)[1].lower()
    if suffix in PASSED:
        data = read_image(source)
        size = svg_size(data) if suffix == ".svg" else gif_size(data)
        return Picture(url_of(base, source.name), *size, mime=PASSED[suffix])
    encoded = work.encodings.get(source.path)
    if encoded is None:
        data = read_image(source)
        key = work.cache.key(data)
        encoded = work.cache.get(key)
        if encoded is None:
            try:
                encoded = encode_image(data)
                work.encoded += 1
                work.cache.put(key, encoded)
            except ImageProblem as error:
                encoded = error
        work.encodings[source.path] = encoded
    if isinstance(encoded, ImageProblem):
        raise encoded
    stem = os.path.splitext(source.name)[0]
    sets: dict[str, list[str]] = {}
    src = ""
    for variant in encoded.variants:
        # photo.480w.jpg and photo.480w.jpg.webp: a WebP's name holds its fallback's, so that photo.jpg and
        # photo.png beside it never make the same file.
        name = f"{stem}.{variant.width}w.{encoded.ext}" + (f".{variant.ext}" if variant.ext != encoded.ext else "")
        add_file(work, name, source.shown, variant.data)
        sets.setdefault(variant.ext, []).append(f"{srcset_url(base, name)} {variant.width}w")
        if variant.ext == encoded.ext:
            src = url_of(base, name)  # the widest, last
    webp = ", ".join(sets.get("webp", [])) if encoded.ext != "webp" else ""
    return Picture(src, encoded.width, encoded.height, ", ".join(sets[encoded.ext]), webp, MIME[encoded.ext])


def read_image(source: Source) -> bytes:
    """An image file's bytes; ImageProblem when it cannot be read."""
    try:
        return inputs.read_bytes(source.path, MAX_BUNDLE_BYTES)
    except inputs.InputError as error:
        raise ImageProblem(f"({source.shown}) {error.message}") from None


def gif_size(data: bytes) -> tuple[int | None, int | None]:
    """A GIF's size from its header, or (None, None); ImageProblem for a GIF too large to decode safely."""
    from PIL import Image
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
        if width * height > Image.MAX_IMAGE_PIXELS:
            raise ImageProblem(bomb_message(width * height))
        return width, height
    raise ImageProblem("is not a GIF image (its first bytes are not GIF87a or GIF89a)")


def svg_size(data: bytes) -> tuple[int | None, int | None]:
    """An SVG's width and height when its <svg> tag gives both in pixels; else (None, None)."""
    tag = SVG_SIZE.search(data[:4096].decode("utf-8", errors="replace"))
    if not tag:
        return None, None
    sizes = [re.search(SVG_LENGTH.format(name), tag.group(0)) for name in ("width", "height")]
    if all(sizes):
        return round(float(sizes[0].group(1))), round(float(sizes[1].group(1)))  # type: ignore[union-attr]
    return None, None


def url_of(base_path: str, name: str) -> str:
    """A published file's URL: an absolute path under the base path, percent-encoded, HTML-safe."""
    return html.escape(urls.encode_path(urls.href(base_path, name)))


def srcset_url(base_path: str, name: str) -> str:
    """url_of() for a srcset candidate, whose URL may hold no comma (it separates candidates)."""
    return url_of(base_path, name).replace(",", "%2C")


def image_view(picture: Picture, config: Config) -> ImageView:
    """An article's image for templates, from its picture."""
    url = html.unescape(picture.src)
    full = url if REMOTE.match(url) else urls.absolute(config.base_url, url)
    return ImageView(url, full, picture.width, picture.height, picture.mime)

