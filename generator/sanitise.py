"""Raw HTML policy: an article body's HTML is cleaned with an allow-list fit for articles (nh3, which binds the
Rust sanitiser ammonia and its html5ever parser) unless the site trusts its authors' HTML (raw_html = "trusted").

The whole converted body is cleaned, not only the raw HTML Markdown passes through: Python-Markdown writes
`[text](javascript:...)` and `![](data:...)` into href and src as given, so a link written in Markdown is as
dangerous as one written in HTML. The allow-list therefore holds everything the converter itself writes
(footnotes, heading ids, table alignment, the bidi isolates and dir attributes), and cleaning it leaves its
document tree as it was; only the spelling of entities and of style attributes changes.
"""

from __future__ import annotations

import importlib.metadata
import re

import nh3

SANITISE = "sanitise"
TRUSTED = "trusted"
RAW_HTML_CHOICES = (SANITISE, TRUSTED)

# Deeper HTML than this is refused before cleaning: html5ever's tree building costs time in proportion to
# the depth for every tag (10,000 nested <ul><li> took 1.3 s, 100,000 nearly 8 minutes), and a call into Rust
# cannot be interrupted by the time limit. Browsers stop nesting at 512 too (Blink's parser).
MAX_DEPTH = 512

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
TABLE = {"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"}
# What articles use, plus what Python-Markdown and our tree processors write (div, sup, bdi...).
TAGS = HEADINGS | TABLE | {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "cite", "code", "dd", "del", "details", "dfn", "div", "dl",
    "dt", "em", "figcaption", "figure", "hr", "i", "iframe", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "time", "u", "ul",
    "var", "wbr", "picture",
}
# Removed with everything inside them (other refused tags are removed but their text is kept).
CLEAN_CONTENT_TAGS = {"script", "style", "template", "noscript", "object", "embed", "svg", "math", "select",
                      "textarea", "title", "xmp", "noembed", "noframes", "plaintext"}
# td: highlighted code's line-number table (highlight.py: <td class="linenos">, <td class="code">).
WITH_CLASS = {"a", "blockquote", "code", "div", "figure", "img", "li", "ol", "p", "pre", "span", "sup", "table", "td",
              "ul"}
# Anchors: headings (the table of contents), footnotes (li, sup) and what authors link to.
WITH_ID = HEADINGS | {"div", "dt", "figure", "li", "p", "span", "sup", "table"}
# The ids the shipped themes give an article page's own elements (base.html, article.html). A body must not
# repeat one: HTML forbids two elements with one id, and the skip link ("#main") or a section's label
# (aria-labelledby) would reach the body's element instead. Headings named so get another id (markup.py).
PAGE_IDS = frozenset({"main", "header-search-query", "toc-title", "sources-title", "related-title"})
SPECIFIC_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "hreflang"},
    # Responsive images in raw HTML (<picture><img srcset sizes>). <source> stays refused: inside <video> or <audio>
    # it is a media source; images.py adds its WebP <source> after cleaning.
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"},
    "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
    "time": {"datetime"}, "details": {"open"},
    "ol": {"start", "reversed", "type"}, "li": {"value"},
    # style only for Python-Markdown's column alignment, and only its text-align (filter_style_properties).
    "th": {"colspan", "rowspan", "scope", "abbr", "style"}, "td": {"colspan", "rowspan", "style"},
    "col": {"span"}, "colgroup": {"span"},
}
ATTRIBUTES: dict[str, set[str]] = {
    # dir and lang everywhere: a Latin quotation inside Arabic is marked up where it stands.
    "*": {"dir", "lang", "title"},
    **{tag: SPECIFIC_ATTRIBUTES.get(tag, set()) | ({"class"} if tag in WITH_CLASS else set())
       | ({"id"} if tag in WITH_ID else set()) for tag in sorted(TAGS)},
}
# target only as "_blank" (add_noopener then closes window.opener to the page opened).
ATTRIBUTE_VALUES = {"a": {"target": {"_blank"}}}
# Relative URLs (#fn:1, /ar/2024/...) pass; of absolute ones, only these schemes. Ammonia parses the URL as a
# browser does, after entities are decoded and tabs and newlines dropped: JaVaScRiPt:, &#106;avascript: and
# java&#9;script: are all javascript: to it, and refused.
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Embeds: a video player from these hosts, over https, at its embed path; the pattern admits no @, backslash
# or other host, so no trick of URL parsing leads elsewhere. Nothing else may be framed: a frame from anywhere
# could show a login form under the site's name. (X/Twitter and Instagram embed with a script,
# which is never allowed; a site that needs them sets raw_html = "trusted".)
IFRAME_SOURCE = re.compile(
    r"https://(?:www\.youtube-nocookie\.com/embed/|www\.youtube\.com/embed/|player\.vimeo\.com/video/)"
    r"[A-Za-z0-9_\-]+(?:\?[A-Za-z0-9_\-=&;.%]*)?")

# Tags as ammonia writes them: every attribute double-quoted, a " inside a value written &quot;.
LINK_TAG = re.compile(r'<a((?: [^\s"\'<>/=]+="[^"]*")*)>')
ATTRIBUTE = re.compile(r' ([^\s"\'<>/=]+)="([^"]*)"')
# An iframe whose src the filter removed (its content is raw text up to the first </iframe>).
EMPTY_IFRAME = re.compile(r'<iframe((?: [^\s"\'<>/=]+="[^"]*")*)>.*?</iframe>', re.DOTALL)
# Any start or end tag, for the nesting depth (an over-estimate: comments and raw text count too).
ANY_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# A start tag of these closes an open one of the same name (<li> after <li>), so it does not nest deeper.
SELF_CLOSING = {"p", "li", "dt", "dd", "tr", "td", "th", "option", "rt", "rp"}


class HTMLTooDeep(Exception):
    """HTML nested more than MAX_DEPTH elements deep (refused before cleaning: see MAX_DEPTH)."""


def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """The attribute filter: an iframe keeps its src only when it is a known video player's embed address; an id
    the page gives one of its own elements (PAGE_IDS) is dropped."""
    if tag == "iframe" and attribute == "src":
        return value if IFRAME_SOURCE.fullmatch(value) else None
    if attribute == "id" and value in PAGE_IDS:
        return None
    return value


CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=CLEAN_CONTENT_TAGS,
    attributes=ATTRIBUTES,
    attribute_filter=keep_attribute,
    tag_attribute_values=ATTRIBUTE_VALUES,
    url_schemes=URL_SCHEMES,
    filter_style_properties={"text-align"},
    # rel is added below, to links that open a new tab only: on every link it would also land on footnote links.
    link_rel=None,
    strip_comments=True,
)


def sanitise_html(html: str) -> str:
    """html (a fragment) with only the allow-listed tags, attributes and URLs left; raise HTMLTooDeep when it
    is nested more than MAX_DEPTH elements deep."""
    if not html:
        return html
    if nesting_depth(html, stop_above=MAX_DEPTH) > MAX_DEPTH:
        raise HTMLTooDeep(f"more than {MAX_DEPTH} elements deep")
    return add_noopener(drop_empty_iframes(CLEANER.clean(html)))


# A start tag as ammonia writes it, and its id attribute.
START_TAG = re.compile(r'<([A-Za-z][A-Za-z0-9]*)((?: [^\s"\'<>/=]+="[^"]*")*)(\s*/?)>')
ID_ATTRIBUTE = re.compile(r' id="([^"]*)"')
# Python-Markdown's own ids: footnotes on li and sup, headings on h1-h6.
FOOTNOTE_ID = re.compile(r"fn(?:ref\d*)?:\S+")  # fn:1, fnref:1, fnref2:1 (a second reference), fn:note
ID_TAGS = {"li": "footnote", "sup": "footnote", **dict.fromkeys(HEADINGS, "heading")}


def keep_unique_ids(html: str, heading_ids: frozenset[str]) -> str:
    """Cleaned HTML with every id once (HTML forbids two elements with one id; a link would reach the first):
    an id that is not one (empty, or holding a space) is dropped; an id Python-Markdown gives a heading
    (heading_ids) or a footnote is kept only on such an element; of the rest, the first keeps it."""
    if ' id="' not in html:
        return html
    seen: set[str] = set()

    def one(match: re.Match[str]) -> str:
        found = ID_ATTRIBUTE.search(match.group(2))
        if found is None:
            return match.group(0)
        value, kind = found.group(1), ID_TAGS.get(match.group(1).lower())
        made = "heading" if value in heading_ids else "footnote" if FOOTNOTE_ID.fullmatch(value) else None
        if value and not any(char.isspace() for char in value) and value not in seen and made in (None, kind):
            seen.add(value)
            return match.group(0)
        attributes = match.group(2)[:found.start()] + match.group(2)[found.end():]
        return f"<{match.group(1)}{attributes}{match.group(3)}>"

    return START_TAG.sub(one, html)


def add_noopener(html: str) -> str:
    """rel="noopener noreferrer" on every link with target="_blank" (in ammonia's output, whose tags are regular)."""
    if ' target="_blank"' not in html:
        return html
    return LINK_TAG.sub(_with_rel, html)


def _with_rel(match: re.Match[str]) -> str:
    if ("target", "_blank") not in ATTRIBUTE.findall(match.group(1)):
        return match.group(0)
    return f'<a{match.group(1)} rel="noopener noreferrer">'


def drop_empty_iframes(html: str) -> str:
    """Remove each iframe left without a src (it was framing a page from elsewhere): an empty box otherwise."""
    if "<iframe" not in html:
        return html
    return EMPTY_IFRAME.sub(_without_empty, html)


def _without_empty(match: re.Match[str]) -> str:
    names = {name for name, _ in ATTRIBUTE.findall(match.group(1))}
    return match.group(0) if "src" in names else ""


def nesting_depth(html: str, stop_above: int | None = None) -> int:
    """How deep the elements of html nest at most, from its tags without building a tree (stopping as soon as
    the depth passes stop_above). An over-estimate where HTML closes elements by itself, except that a <li>
    (<p>, <td>...) right after an open one replaces it; an end tag closes what was opened since its start tag,
    and a stray one closes nothing."""
    stack: list[str] = []
    open_by_name: dict[str, int] = {}
    deepest = 0
    for end, raw_name in ANY_TAG.findall(html):
        name = raw_name.lower()
        if name in VOID:
            continue
        if end:
            if open_by_name.get(name):
                # Each element is pushed and popped once: the pops over a whole document are linear.
                while (closed := stack.pop()) != name:
                    open_by_name[closed] -= 1
                open_by_name[name] -= 1
            continue
        if name in SELF_CLOSING and stack and stack[-1] == name:
            continue  # a sibling: it closes the open one and takes its place
        stack.append(name)
        open_by_name[name] = open_by_name.get(name, 0) + 1
        if len(stack) > deepest:
            deepest = len(stack)
            if stop_above is not None and deepest > stop_above:
                break
    return deepest


def policy_fingerprint(raw_html: str) -> bytes:
    """What the cleaning of a body depends on besides this module's source: the policy and nh3's version."""
    return f"raw_html={raw_html};nh3={importlib.metadata.version('nh3')};".encode()
