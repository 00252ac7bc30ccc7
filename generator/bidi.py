"""Direction from content: whether a text is right-to-left or left-to-right, and which runs inside it are isolated.

One algorithm, used by the templates (the `isolate` filter), the Markdown body (BidiExtension, a tree
processor over Python-Markdown's element tree) and the feeds:

- A text's direction: with letters of one script only, that script's direction (Arabic, Persian, Urdu,
  Hebrew... are right-to-left; Latin and other letters left-to-right). With both, in a right-to-left
  context it is right-to-left (Arabic text carries Latin names, titles and acronyms: `BBC عربي`,
  `ISW: تقرير`, `Reuters، 10 يوليو 2017.`); in a left-to-right context it is right-to-left only when its
  Arabic-script words outnumber its Latin ones (an English sentence quoting an Arabic term stays English).
  Text with no letters ("" direction) inherits.
- Inside a text of one direction, each run of the other script is isolated (`<bdi dir>`), with what belongs
  to it: its internal spaces and punctuation, the numbers that follow a Latin run (`Global Risks 2024`),
  symbols glued to it (`C++`, `@user`, a URL's final `/`), and the quotes or brackets around it together
  with a sentence mark inside them (`"The war is over."`). Sentence punctuation after a run (`ISW:`,
  `... Global Risks.`) and Arabic punctuation stay outside: they belong to the surrounding sentence.
  Phone numbers (`+966 11 123 4567`) in right-to-left text are isolated so their groups keep their order.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Iterator

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

RTL = "rtl"
LTR = "ltr"

# Scripts written right to left, by block: Hebrew, Arabic, Syriac, Arabic Supplement, Thaana, NKo,
# Samaritan, Mandaic, Syriac Supplement, Arabic Extended-B/A, Hebrew and Arabic presentation forms,
# and the right-to-left planes of the SMP (Old South Arabian ... Arabic Mathematical Alphabetic Symbols).
RTL_BLOCKS = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF), (0x10800, 0x10FFF), (0x1E800, 0x1EFFF))
# Digits written inside Arabic text; they belong to it and never start a Latin run.
ARABIC_DIGITS = frozenset("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")

# Classes, one character each, so that runs are found by regular expressions over a class string:
# R a right-to-left letter (or mark), P punctuation of a right-to-left script (، ؛ ؟ ۔), A an Arabic-Indic
# digit, L any other letter, D a European digit, B a hard boundary (a line break, a block), N the rest.
BOUNDARY = "\u2029"
OPAQUE = "\ufffc"
LATIN_CODE = "a"  # a code span stands for one Latin letter: it is always left to right


def classify(char: str) -> str:
    """The class letter of one character (see the table above)."""
    if char == BOUNDARY:
        return "B"
    point = ord(char)
    category = unicodedata.category(char)
    if any(low <= point <= high for low, high in RTL_BLOCKS):
        if char in ARABIC_DIGITS:
            return "A"
        if category[0] in "LM":
            return "R"
        return "P" if category[0] == "P" else "N"
    if category[0] in "LM":
        return "L"
    if "0" <= char <= "9":
        return "D"
    return "N"


class _Classes(dict):
    """A str.translate table that classifies each code point on first sight (translate runs in C). Only a
    memo of classify, a pure function: what it holds never changes an answer."""

    def __missing__(self, point: int) -> str:
        value = self[point] = classify(chr(point))
        return value


_CLASSES = _Classes()
# The fast way to a class string (classes()): encode the text to Windows-1256, which has one byte for each
# ASCII character and each Arabic letter an Arabic text is made of, then map each byte to its class with
# bytes.translate. Both run in C at a few nanoseconds a character, where str.translate with a table looks
# every character up through Python (about 90 ns): the difference was a third of a body's conversion time.
# A character Windows-1256 lacks (Arabic-Indic digits, the boundary and opaque stand-ins, other scripts)
# goes through the encoder's error handler, which writes a byte standing for its class. Two classes have no
# Windows-1256 character, so bytes 0x00 and 0x01 stand for them; a text holding those two characters takes
# the slow way.
_CODEC = "cp1256"
_CODEC_ERRORS = "warraq-bidi-classes"
_BYTE_STANDS_FOR = {0x00: "A", 0x01: "B"}
_BYTE_CLASSES = bytes(ord(_BYTE_STANDS_FOR.get(byte) or classify(bytes([byte]).decode(_CODEC)))
                      for byte in range(256))
# For each class, a byte that maps to it (the first one).
_CLASS_BYTES = {chr(cls): bytes([byte]) for byte, cls in reversed(list(enumerate(_BYTE_CLASSES)))}


def _class_bytes(error: UnicodeError) -> tuple[bytes, int]:
    """The encoder's error handler for classes(): one byte of the right class per character it lacks."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return b"".join(_CLASS_BYTES[_CLASSES[ord(char)]] for char in error.object[error.start:error.end]), error.end


# Registered once, under a name of ours; the handler is a pure function, so the registry holds no state.
codecs.register_error(_CODEC_ERRORS, _class_bytes)
# Python-Markdown's placeholders for stashed raw HTML and entities (\x02wzxhzdk:0\x03, \x02amp\x03copy;):
# opaque, never split, never letters.
PLACEHOLDER = re.compile("\x02amp\x03#?\\w+;|\x02[^\x02\x03]*\x03")
SENTENCE_MARKS = ".,!?;:…"
OPENERS = {'"': '"', "“": "”", "‘": "’", "'": "'", "(": ")", "[": "]", "«": "»"}
CLOSERS = {closer: opener for opener, closer in OPENERS.items()}
# After a Latin run: the numbers that go with it ("Global Risks 2024", "Windows 10", "COVID-19").
TRAILING_NUMBERS = re.compile(r"(?:[ \u00a0]?[-–/.:]?[ \u00a0]?[0-9]+(?:,[0-9]{3}(?![0-9]))*)+")  # "Dow Jones 35,000"
# After a Latin run, an operator and its number go with it: "p < 0.05", "n = 1,250", "x + y = 10", "F1 = 0.91".
OPERATOR_NUMBERS = re.compile(r"(?:[ \u00a0]?[=<>≤≥≈±×][ \u00a0]?[-−]?[0-9]+(?:[.,][0-9]+)*%?)+")
# Symbols glued to a run (no space between): C++, #tag, @user, 50%, a URL's final slash, <tag>.
# Superscript and subscript digits are glued too ("m²", "CO₂"); they are digits to the bidi algorithm.
GLUED_AFTER = re.compile(r"[+#%&*=_~/\\@$°<>²³¹⁰⁴-⁹₀-₉]+(?:[0-9]+(?:[.,][0-9]+)*)?")  # and a number glued on: US$100
GLUED_BEFORE = re.compile(r"(?<![+#@$~/\\<])[+#@$~/\\<]+$")
# An abbreviation's full stop, followed by more of the sentence, belongs to it: "John F. Kennedy Jr. على",
# "U.S. Department"; a full stop after a longer word or an acronym ("ISW.") ends the sentence.
# Initials, dotted abbreviations and the common shortened words: a name such as "Tom." ends its sentence.
ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?<!\.)(?:[A-Za-z]\.)++[A-Za-z]|"
                          r"\b(?:Mr|Mrs|Ms|Dr|Jr|Sr|St|Mt|Ft|Gen|Col|Lt|Maj|Sgt|Capt|Cmdr|Adm|Brig|Pvt|Gov|Sen|Rep|Rev|Fr|Hon|Esq|Prof|Pres|Inc|Ltd|Co|Corp|Bros|Utd|"
                          r"vs|etc|al|No|Vol|Fig|Dept|Univ|Ave|Blvd|Rd|Sq|Calif|Mass|Ariz|Conn|Fla|Wash|Jan|Feb|Mar|Apr|"
                          r"Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))$")
# A phone number (at least seven digits in groups): +966 11 123 4567, (011) 123-4567, 00966 50 123 4567.
PHONE = re.compile(r"\+?\(?[0-9]{1,5}\)?(?:[ \u00a0.\-][0-9]{1,5}){1,5}")
PHONE_MIN_DIGITS = 7


# A run is looked for in a stretch of the class string between letters of the other script (and boundaries).
# These find the part of such a stretch from its first letter of the run's script to the stretch's end, in
# one pass with no going back (a pattern asking for a letter inside a whole stretch would go back over long
# neutral stretches, quadratic in them; looping over every stretch visited each space of the other script);
# the stretch's start is then found by looking back for the nearest letter of the other script.
LATIN_IN_STRETCH = re.compile("L[^RPAB]*")
ARABIC_IN_STRETCH = re.compile("R[^LDB]*")


@dataclass(frozen=True)
class Run:
    """A run to isolate: characters start..end (end excluded) of a text, laid out in direction."""

    start: int
    end: int
    direction: str


def classes(text: str) -> str:
    """One class letter per character of text; placeholders count as neutral."""
    masked = mask_placeholders(text)
    if "\x00" in masked or "\x01" in masked:  # the bytes that stand for classes A and B: the slow way
        return masked.translate(_CLASSES)
    return masked.encode(_CODEC, _CODEC_ERRORS).translate(_BYTE_CLASSES).decode("ascii")


def mask_placeholders(text: str) -> str:
    """text with each Python-Markdown placeholder replaced by neutral characters of the same length."""
    if "\x02" not in text:
        return text
    return PLACEHOLDER.sub(lambda match: OPAQUE * len(match.group()), text)


def direction(text: str, context: str = RTL) -> str:
    """"rtl", "ltr" or "" (no letters: inherit) for a text shown in a context of direction context."""
    return direction_of_classes(classes(text), context)


def direction_of_classes(cls: str, context: str) -> str:
    """direction() on a class string."""
    has_rtl, has_ltr = "R" in cls, "L" in cls
    if not (has_rtl and has_ltr):
        return RTL if has_rtl else LTR if has_ltr else ""
    if context == RTL:
        return RTL
    arabic_words, latin_words = len(re.findall("R+", cls)), len(re.findall("L+", cls))
    # A text that begins in English is an English sentence about Arabic names unless it is mostly Arabic:
    # "Interview with محمد بن سلمان about رؤية 2030" has more Arabic words but English grammar.
    if cls.index("L") < cls.index("R"):
        return RTL if arabic_words > 2 * latin_words else LTR
    return RTL if arabic_words > latin_words else LTR


def find_runs(text: str, cls: str, outer: str) -> list[Run]:
    """The runs of text (with its class string) to isolate inside a text laid out in direction outer."""
    if outer != RTL:
        return _arabic_runs(text, _split_pairs(text, cls, "L") if "R" in cls else cls)
    latin = _latin_runs(text, _split_pairs(text, cls, "R") if "L" in cls else cls)
    phones = [phone for phone in _phone_runs(text, cls)
              if not any(run.start < phone.end and phone.start < run.end for run in latin)]
    return sorted(latin + phones, key=lambda run: run.start) if phones else latin


# Brackets and quotes that pair up: each of a pair around text of the outer direction belongs to that text.
PAIRED = re.compile('[()\\[\\]{}«»“”]')
PAIR_OPENERS = {"(": ")", "[": "]", "{": "}", "«": "»", "“": "”"}
PAIR_CLOSERS = {closer: opener for opener, closer in PAIR_OPENERS.items()}


def _split_pairs(text: str, cls: str, outer_letter: str) -> str:
    """cls with a boundary at each bracket or quote whose pair encloses a letter of the outer direction
    (outer_letter: "R" or "L"): such a pair is drawn in the outer direction, so no run may take one of the two
    (in "قالت (وفقا لـ Reuters): "Nothing changed"" the run Reuters must not take the ")" and the quote after).
    Pairs are matched as a browser's bidi algorithm matches them (the nearest open one of the kind)."""
    open_at: list[int] = []
    split: list[int] = []
    for match in PAIRED.finditer(text):
        position, char = match.start(), match.group()
        if char in PAIR_OPENERS:
            open_at.append(position)
            continue
        for depth in range(len(open_at) - 1, -1, -1):
            opener = open_at[depth]
            if text[opener] == PAIR_CLOSERS[char]:
                del open_at[depth:]
                if cls.find(outer_letter, opener + 1, position) != -1:
                    split += (opener, position)
                break
    if not split:
        return cls
    marked = list(cls)
    for position in split:
        marked[position] = "B"
    return "".join(marked)


def _glued_number_start(text: str, start: int, low: int) -> int:
    """Where the number glued right before a run start begins ("5G", "1080p", "3.5GHz", a clock "10:30am", a
    ratio "1/2kg", "1:1000m"): it is read with the run, digits and the marks between them."""
    while start > low and (text[start - 1] in ASCII_DIGITS
                           or text[start - 1] in ".,:/" and start - 2 >= low and text[start - 2] in ASCII_DIGITS
                           and text[start] in ASCII_DIGITS):
        start -= 1
    return start


ASCII_DIGITS = frozenset("0123456789")


def _latin_runs(text: str, cls: str) -> list[Run]:
    runs: list[Run] = []
    if "L" not in cls:
        return runs  # most paragraphs of an Arabic body
    for found in LATIN_IN_STRETCH.finditer(cls):
        # The stretch of the class string between Arabic letters that this Latin letter starts the run of.
        low, high = max(cls.rfind(mark, 0, found.start()) for mark in "RPAB") + 1, found.end()
        start, end = found.start(), cls.rindex("L", 0, high) + 1
        numbers = TRAILING_NUMBERS.match(text, end, high)
        if numbers:
            end = numbers.end()
        operators = OPERATOR_NUMBERS.match(text, end, high)
        if operators:
            end = operators.end()
        if text.startswith(". ", end) and ABBREVIATION.search(text, low, end):
            end += 1
        end = _address_end(text, start, end, low, high)
        start = _glued_number_start(text, start, low)
        start, end = _take_surroundings(text, start, end, low, high)
        runs.append(Run(start, end, LTR))
    return runs


def _address_end(text: str, start: int, end: int, low: int, high: int) -> int:
    """Where a run that lies in a web or e-mail address must end: at the address's end (its final sentence
    marks left out), so digits after a glued symbol stay in it ("page?id=5" drawn whole, not "5page?id=")."""
    for address in ADDRESS.finditer(text, low, high):
        if address.start() <= start < address.end():
            return max(end, address.start() + len(address.group().rstrip(ADDRESS_TAIL)))
    return end


def _arabic_runs(text: str, cls: str) -> list[Run]:
    runs: list[Run] = []
    if "R" not in cls:
        return runs  # most paragraphs of an English body
    for found in ARABIC_IN_STRETCH.finditer(cls):
        low, high = max(cls.rfind(mark, 0, found.start()) for mark in "LDB") + 1, found.end()
        start = found.start()
        end = max(cls.rfind(mark, 0, high) for mark in "RPA") + 1
        start, end = _take_surroundings(text, start, end, low, high)
        runs.append(Run(start, end, RTL))
    return runs


def _phone_runs(text: str, cls: str) -> list[Run]:
    runs: list[Run] = []
    if "D" not in cls:
        return runs  # no digit outside placeholders, and a placeholder's digits never make a phone number
    # PHONE matches digits, spaces and . - ( ) + only, never a letter: each match lies inside one stretch of
    # the class string without letters, so the whole text is searched at once rather than stretch by stretch.
    for phone in PHONE.finditer(text):
        digits = sum(char.isdigit() for char in phone.group())
        if digits >= PHONE_MIN_DIGITS and (" " in phone.group() or phone.group().startswith("+")) \
                and not is_years(phone.group()):
            runs.append(Run(phone.start(), phone.end(), LTR))
    return runs


def is_years(text: str) -> bool:
    """Whether text is years in a row ("2019 2020 2021"): groups of four digits from 1800 to 2199, a list drawn
    in the paragraph's order, not a phone number (a Gulf local number, "4444 5555", is one)."""
    groups = text.split()
    return len(groups) > 1 and all(len(group) == 4 and group.isdigit() and 1800 <= int(group) < 2200
                                   for group in groups)


def _take_surroundings(text: str, start: int, end: int, low: int, high: int) -> tuple[int, int]:
    """Widen a run's core over glued symbols, then over the quotes and brackets that enclose it."""
    glued = GLUED_AFTER.match(text, end, high)
    if glued:
        end = glued.end()
    before = GLUED_BEFORE.search(text, low, start)
    if before:
        start = before.start()
    for _ in range(3):  # ("...") at most
        if start <= low or text[start - 1] not in OPENERS:
            break
        closer = OPENERS[text[start - 1]]
        after = end
        while after < high and text[after] in SENTENCE_MARKS:
            after += 1
        if after >= high or text[after] != closer:
            break
        start, end = start - 1, after + 1
    # A closing bracket or quote right after the run whose opener is inside it: "Windows (XP)", and the sentence
    # marks before it ('@user: "Twitter is now X."': the full stop is the quotation's).
    while True:
        after = end
        while after < high and text[after] in SENTENCE_MARKS:
            after += 1
        if not (after < high and text[after] in CLOSERS and _is_open(text[start:end], CLOSERS[text[after]], text[after])):
            break
        end = after + 1
    # An opening quote or bracket right before the run whose closer is inside it:
    # 'اقتباس: "The future is here" — William Gibson، ...' (the quote must not be drawn after Gibson).
    while start > low and text[start - 1] in OPENERS and _is_closed(text[start:end], text[start - 1]):
        start -= 1
    return start, end


def _is_closed(text: str, opener: str) -> bool:
    """Whether text closes an opener it does not open (a straight quote: an odd number of them)."""
    closer = OPENERS[opener]
    if opener == closer:
        return text.count(opener) % 2 == 1
    return text.count(closer) > text.count(opener)


def _is_open(text: str, opener: str, closer: str) -> bool:
    """Whether text leaves an opener without its closer (a straight quote: an odd number of them)."""
    if opener == closer:
        return text.count(opener) % 2 == 1
    return text.count(opener) > text.count(closer)


def isolate_text(text: str, outer: str) -> str:
    """HTML for plain text laid out in direction outer: escaped, with each run of the other direction in
    <bdi dir>."""
    runs = find_runs(text, classes(text), outer)
    pieces, position = [], 0
    for run in runs:
        pieces.append(escape(text[position:run.start]))
        pieces.append(f'<bdi dir="{run.direction}">{escape(text[run.start:run.end])}</bdi>')
        position = run.end
    pieces.append(escape(text[position:]))
    return "".join(pieces)


def isolate(value: object, context: str, class_: str = "") -> Markup:
    """A field for a template: <bdi dir="..."> with the direction decided by its content (the context's
    when it has no letters) and its runs of the other direction isolated inside. Markup is kept as is,
    only wrapped."""
    if isinstance(value, Markup):
        text, inner = value.striptags(), str(value)
    else:
        text = "" if value is None else str(value)
        inner = ""
    chosen = direction(text, context) or context
    if not isinstance(value, Markup):
        inner = isolate_text(text, chosen)
    attribute = f' class="{escape(class_)}"' if class_ else ""
    return Markup(f'<bdi dir="{chosen}"{attribute}>{inner}</bdi>')


def wrap_body(html: str, context: str) -> str:
    """A body's HTML in a <div dir> of the language's direction, for places with no page around it (feeds)."""
    return f'<div dir="{context}">{html}</div>'


# ---------------------------------------------------------------------------
# The Markdown body
# ---------------------------------------------------------------------------

# Elements that hold blocks or are blocks; everything else inside a block is inline.
BLOCK_TAGS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "blockquote", "figcaption",
                        "figure", "dt", "dd", "dl", "caption", "ul", "ol", "table", "thead", "tbody", "tfoot",
                        "tr", "div", "section", "details", "summary", "hr", "pre"})
# Blocks whose direction is set from their own content: the text blocks and the containers readers see
# as one piece (a list's markers, a table's column order and a quotation follow their direction).
DIRECTED_TAGS = BLOCK_TAGS - {"thead", "tbody", "tfoot", "tr", "hr", "pre", "div", "section"}


class BidiTreeprocessor(Treeprocessor):
    """Sets dir on blocks whose direction differs from what they inherit, isolates runs of the other
    direction inside text (<bdi dir>), keeps code left to right and isolates footnote markers."""

    def __init__(self, md: Markdown, language_direction: str) -> None:
        super().__init__(md)
        self.language_direction = language_direction

    def run(self, root: etree.Element) -> None:
        apply_directions(root, self.language_direction)


def apply_directions(root: etree.Element, language_direction: str = "") -> None:
    """Direction for a whole body, in a page of language_direction: blocks that differ from it say so. When the
    page's direction is not known (""), the body's own (body_direction) stands in, and if some top-level block
    differs from it every top-level block with letters says its direction, so the body reads right anywhere."""
    base = language_direction or body_direction(flatten(root))
    blocks = [child for child in root if child.tag in BLOCK_TAGS]
    mixed = not language_direction and any(direction(flatten(block), base) not in ("", base)
                                           for block in blocks if block.tag in DIRECTED_TAGS)
    for child in blocks:
        walk_block(child, "" if mixed else base, base)


# A web address or e-mail address is one word when weighing a body's languages, however many parts it has.
# It never holds < > or a Markdown placeholder (an entity such as the &gt; closing "&lt;https://x.org&gt;"),
# which would pull the closing bracket into the address's isolate and leave its opener outside.
# The look-behinds start a match only where a run of such characters starts, and the possessive ++ never
# gives back: a search stays linear in a 100,000-character run with no @ (it was quadratic: 4 s for 20,000).
ADDRESS = re.compile(r"(?<![\w/.])(?:https?://|www\.)[^\s<>\x02\x03]++|(?<![\w.+-])[\w.+-]++@[\w-]+\.[\w.-]+")
# What ends a sentence or closes a bracket after an address is not part of it ("راجع www.x.org/a?id=5.").
ADDRESS_TAIL = SENTENCE_MARKS + "،؛؟)]}\"'»”’"


def body_direction(text: str) -> str:
    """The direction of a whole body: right to left when at least a third of its words are in Arabic script
    (an Arabic article quotes English names, titles and sentences; an English one quotes Arabic terms)."""
    cls = classes(ADDRESS.sub("x", text))
    arabic, latin = len(re.findall("R+", cls)), len(re.findall("L+", cls))
    return RTL if arabic and 2 * arabic >= latin else LTR


def walk_block(element: etree.Element, inherited: str, context: str) -> None:
    """Set element's dir when its content's direction differs from inherited ("" when unknown), then do
    its blocks and inline content."""
    if element.tag == "pre":
        if context != LTR:
            element.set("dir", LTR)  # code is always left to right
        return
    chosen = context
    if element.tag in DIRECTED_TAGS:
        own = direction(flatten(element), context)
        chosen = own or context
        # A block without letters (a raw HTML block's placeholder, a row of digits) says nothing: a dir on the
        # placeholder's <p> would keep Python-Markdown from replacing that <p> by the HTML, leaving it nested.
        if own and chosen != inherited:
            element.set("dir", chosen)
    for child in element:
        if child.tag in BLOCK_TAGS:
            walk_block(child, chosen, chosen)
    process_inline(element, chosen)


def flatten(element: etree.Element) -> str:
    """The text of element's content as one string: code spans as one Latin letter, footnote markers and
    images as one neutral character, line breaks and code blocks as a boundary, blocks between boundaries."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "pre":
            parts.append(BOUNDARY)  # a code block says nothing about the language around it
        elif child.tag in BLOCK_TAGS:
            parts.append(BOUNDARY + flatten(child) + BOUNDARY)
        else:
            parts.append(stand_in(child) or flatten(child))
        parts.append(child.tail or "")
    return "".join(parts)


def stand_in(element: etree.Element) -> str:
    """The one character that stands for an element seen as a whole, or "" for one whose text counts."""
    if element.tag == "code":
        return LATIN_CODE
    if element.tag == "br":
        return BOUNDARY
    if element.tag in ("img", "sup", "math", "svg"):
        return OPAQUE
    return ""


def process_inline(element: etree.Element, outer: str) -> None:
    """Isolate the runs of the other direction among element's inline content (laid out in direction
    outer), then do the same inside the inline children left outside those runs."""
    items: list[str | etree.Element] = [element.text or ""]
    for child in element:
        items += [child, child.tail or ""]
    texts = [item if isinstance(item, str) else BOUNDARY if item.tag in BLOCK_TAGS else stand_in(item) or flatten(item)
             for item in items]
    flat = "".join(texts)
    if not flat.strip():
        return
    runs = find_runs(flat, classes(flat), outer)
    spans = list(_item_spans(texts))
    wrapped = [_fit(run, spans) for run in runs]
    wrapped = [run for run in wrapped if run is not None]
    if wrapped:
        items = _wrap(items, texts, wrapped)
        _refill(element, items)
    for item in items:
        if isinstance(item, etree.Element):
            _finish_inline(item, outer)


def _item_spans(texts: list[str]) -> Iterator[tuple[int, int]]:
    position = 0
    for text in texts:
        yield position, position + len(text)
        position += len(text)


def _fit(run: Run, spans: list[tuple[int, int]]) -> Run | None:
    """The run shrunk to whole inline elements (it may split text but never cut an element); None when
    nothing is left, or when it lies inside one element (handled inside that element)."""
    start, end = run.start, run.end
    for index, (low, high) in enumerate(spans):
        if index % 2 == 1 and low < start < high:  # starts inside an element
            if end <= high:
                return None
            start = high
        if index % 2 == 1 and low < end < high:  # ends inside an element
            end = low
    return Run(start, end, run.direction) if start < end else None


def _wrap(items: list, texts: list[str], runs: list[Run]) -> list:
    """items with each run's pieces moved into a new <bdi dir>."""
    result: list = []
    position = 0
    run_index = 0
    current: etree.Element | None = None
    for item, text in zip(items, texts):
        low, high = position, position + len(text)
        position = high
        if isinstance(item, str):
            cuts = [low, high]
            for run in runs:
                for edge in (run.start, run.end):
                    if low < edge < high:
                        cuts.append(edge)
            cuts = sorted(set(cuts))
            pieces = [(a, item[a - low:b - low]) for a, b in zip(cuts, cuts[1:])]
        else:
            pieces = [(low, item)]
        for at, piece in pieces:
            while run_index < len(runs) and at >= runs[run_index].end:
                run_index += 1
                current = None
            run = runs[run_index] if run_index < len(runs) else None
            if run and run.start <= at < run.end:
                if current is None:
                    current = etree.Element("bdi", {"dir": run.direction})
                    result.append(current)
                _append(current, piece)
            else:
                result.append(piece)
    return [_single_code(item) for item in result]


def _append(element: etree.Element, piece: str | etree.Element) -> None:
    """Add text (after the last child, or as the text) or an element (its old tail dropped) at element's end."""
    if isinstance(piece, str):
        if len(element):
            element[-1].tail = (element[-1].tail or "") + piece
        else:
            element.text = (element.text or "") + piece
    else:
        piece.tail = None
        element.append(piece)


def _single_code(item: str | etree.Element) -> str | etree.Element:
    """A bdi holding one code span and nothing else becomes that code span with dir="ltr"."""
    if isinstance(item, etree.Element) and item.tag == "bdi" and len(item) == 1 and not item.text \
            and not item[0].tail and item[0].tag == "code":
        code = item[0]
        code.set("dir", item.get("dir", LTR))
        return code
    return item


def _refill(element: etree.Element, items: list) -> None:
    """Put items (strings and elements, in order) back as element's text, children and tails."""
    element.text = None
    for child in list(element):
        element.remove(child)
    for item in items:
        if item != "":
            _append(element, item)


def _finish_inline(element: etree.Element, outer: str) -> None:
    """An inline element after its level is done: footnote markers isolated in the direction around them,
    code left to right, bdi contents and other inline elements done in turn."""
    if element.tag in BLOCK_TAGS:
        return  # walk_block does blocks
    if element.tag == "bdi":
        for child in element:
            _finish_inline(child, element.get("dir", outer))
    elif element.tag == "sup" and element.get("id", "").startswith("fnref"):
        # "900[^1]" must not read as one number, nor "2017.[^2]" as 2017.2: the marker is its own isolate.
        element.set("dir", outer)
    elif element.tag == "code":
        if outer != LTR:
            element.set("dir", LTR)
    elif not stand_in(element):
        process_inline(element, outer)


class BidiExtension(Extension):
    """Python-Markdown extension: direction from content for every block and inline run of a body.
    language_direction is the direction of the pages the bodies go in ("rtl", "ltr"); "" lets each body's
    words decide (body_direction)."""

    def __init__(self, language_direction: str = "") -> None:
        super().__init__()
        self.language_direction = language_direction

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # After inline patterns (20), footnotes (50) and the table of contents (5): sees the final tree.
        md.treeprocessors.register(BidiTreeprocessor(md, self.language_direction), "bidi", 3)
