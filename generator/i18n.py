"""Interface strings: gettext .po catalogs compiled in memory with Babel, and checked for completeness."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
import re

import jinja2
import jinja2.ext
from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup

from generator import inputs
from generator.errors import BuildError, Problem, relative_path

CATALOG_NAME = Path("LC_MESSAGES") / "messages.po"
TEMPLATE_PATTERNS = ("*.html", "*.xml")
JINJA_EXTRACTOR = "jinja2.ext:babel_extract"
# Strings the Python side shows; catalogs must carry them as well as the templates' own.
# A later listing page's title (plan.paged_title), e.g. "سوريا · الصفحة ٢".
PAGED_TITLE = "%(title)s · Page %(number)s"
PYTHON_MESSAGES = (
    "Jump back to footnote %d in the text", "Topics", "Archive", "Page not found", "Latest articles",
    "The page you asked for does not exist or has moved.", PAGED_TITLE,
)
_BABEL_LINE_SUFFIX = re.compile(r" on \d+$")
_PLURAL_FORMS_HEADER = re.compile(r'^"Plural-Forms:', re.MULTILINE)


@dataclass(frozen=True)
class Catalogs:
    """Compiled translations for each configured language that has a catalog."""

    # Pairs rather than a dict so the value really is immutable.
    by_language: tuple[tuple[str, Translations], ...]

    @property
    def languages(self) -> tuple[str, ...]:
        """Return the languages that have a loaded catalog."""
        return tuple(lang for lang, _ in self.by_language)

    def translations(self, lang: str) -> Translations:
        """Return the translations of lang, for Jinja's install_gettext_translations."""
        for known, translations in self.by_language:
            if known == lang:
                return translations
        raise LookupError(f'no catalog loaded for language "{lang}"')


@dataclass(frozen=True)
class _LoadedCatalog:
    """One parsed .po file: where it came from and what Babel read."""

    path: Path
    catalog: Catalog
    translations: Translations
    has_plural_forms_header: bool


def find_catalog(locale_dirs: Sequence[Path], lang: str) -> Path | None:
    """Return the first messages.po for lang in priority order (child theme first), or None."""
    for locale_dir in locale_dirs:
        candidate = locale_dir / lang / CATALOG_NAME
        if candidate.is_file():
            return candidate
    return None


def read_catalog(path: Path, lang: str, root: Path) -> tuple[_LoadedCatalog | None, list[Problem]]:
    """Parse and compile one .po file, returning a Problem instead of raising when it is broken."""
    where = relative_path(path, root)
    try:
        # Decoded here, like every other input, so a BOM is dropped and a NUL or UTF-16 file is named as such
        # instead of surfacing as a Babel keyword error.
        data = inputs.decode_text(inputs.read_bytes(path, inputs.MIB)).encode("utf-8")
    except inputs.InputError as error:
        return None, [Problem(where, error.line, f'cannot read catalog for language "{lang}": {error.message}')]
    try:
        # Without abort_invalid Babel only prints a warning and drops the bad entry.
        # Passing the locale matters: Babel writes Plural-Forms into the compiled .mo only when
        # the catalog has a locale, so a .po without a "Language:" header would otherwise fall
        # back to gettext's English rule (n != 1) and lose the Arabic forms.
        catalog = read_po(BytesIO(data), locale=_babel_locale(lang), abort_invalid=True)
        # Babel does not check the Plural-Forms expression; gettext does, when loading the .mo.
        translations = compile_translations(catalog)
    except PoFileError as error:
        # Babel counts lines from 0 and appends " on <that number>" to its message.
        detail = _BABEL_LINE_SUFFIX.sub("", str(error))
        return None, [Problem(where, error.lineno + 1, f'cannot read catalog for language "{lang}": {detail}')]
    except (UnicodeDecodeError, ValueError, SyntaxError) as error:
        # The bytes are UTF-8 by now (decoded above, with the line of any bad byte): a charset header that
        # disagrees, or an unparsable Plural-Forms expression, surfaces as one of these.
        return None, [Problem(where, 1, f'cannot read catalog for language "{lang}": {error}')]
    has_header = bool(_PLURAL_FORMS_HEADER.search(data.decode("utf-8", errors="replace")))
    loaded = _LoadedCatalog(
        path=path, catalog=catalog, translations=translations, has_plural_forms_header=has_header
    )
    return loaded, []


def _babel_locale(lang: str) -> str | None:
    """Return lang when Babel knows it (Catalog rejects unknown locales), else None."""
    try:
        Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return None
    return lang


def compile_translations(catalog: Catalog) -> Translations:
    """Compile a catalog to .mo bytes in memory and load them as Babel Translations."""
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def _msgid(message: Message) -> str:
    """Return the msgid of a message; the singular for a plural entry."""
    return message.id[0] if isinstance(message.id, (tuple, list)) else message.id


def _forms(message: Message) -> tuple[str, ...]:
    """Return the msgstr forms of a message (one for a singular entry)."""
    if isinstance(message.string, (tuple, list)):
        return tuple(message.string)
    return (message.string,)


def _user_messages(catalog: Catalog) -> Iterator[Message]:
    """Yield the catalog's entries without the header."""
    for message in catalog:
        if message.id:
            yield message


def check_required(loaded: _LoadedCatalog, lang: str, required: Iterable[str], root: Path) -> list[Problem]:
    """Report each required msgid that is absent, empty or fuzzy (gettext ignores fuzzy entries)."""
    where = relative_path(loaded.path, root)
    by_id = {_msgid(message): message for message in _user_messages(loaded.catalog)}
    problems = []
    for msgid in sorted(required):
        message = by_id.get(msgid)
        if message is None:
            problems.append(Problem(where, 1, f'missing translation for "{msgid}" in language "{lang}"'))
        elif not any(_forms(message)):
            problems.append(
                Problem(where, message.lineno, f'missing translation for "{msgid}" in language "{lang}"')
            )
        elif message.fuzzy:
            problems.append(
                Problem(
                    where,
                    message.lineno,
                    f'translation for "{msgid}" in language "{lang}" is marked fuzzy, so it would not be used',
                )
            )
    return problems


def check_plural_forms(loaded: _LoadedCatalog, lang: str, root: Path) -> list[Problem]:
    """Report plural entries that lack some of the forms the Plural-Forms header asks for."""
    where = relative_path(loaded.path, root)
    needed = loaded.catalog.num_plurals
    plural_messages = [message for message in _user_messages(loaded.catalog) if message.pluralizable]
    if plural_messages and not loaded.has_plural_forms_header:
        # Babel would silently substitute its own rule, and its Arabic table orders forms 4 and 5
        # unlike the usual GNU formula, so the catalog must state the rule it was written for.
        return [Problem(where, 1, f'catalog for language "{lang}" has plural entries but no Plural-Forms header')]
    problems = []
    for message in plural_messages:
        forms = _forms(message)
        present = sum(1 for form in forms if form)
        # Entirely empty entries are reported as missing translations when templates use them.
        if 0 < present < needed:
            problems.append(
                Problem(
                    where,
                    message.lineno,
                    f'plural translation for "{_msgid(message)}" in language "{lang}" has '
                    f"{present} of the {needed} forms required by its Plural-Forms header",
                )
            )
    return problems


def load_catalogs(
    locale_dirs: Sequence[Path],
    languages: Sequence[str],
    required: Iterable[str],
    root: Path,
) -> tuple[Catalogs, list[Problem]]:
    """Load and check the catalog of each language; the first of locale_dirs to have one wins."""
    required = frozenset(required)
    loaded_pairs: list[tuple[str, Translations]] = []
    problems: list[Problem] = []
    for lang in languages:
        path = find_catalog(locale_dirs, lang)
        if path is None:
            problems.append(missing_catalog_problem(locale_dirs, lang, root))
            continue
        loaded, read_problems = read_catalog(path, lang, root)
        problems.extend(read_problems)
        if loaded is None:
            continue
        problems.extend(check_required(loaded, lang, required, root))
        problems.extend(check_plural_forms(loaded, lang, root))
        loaded_pairs.append((lang, loaded.translations))
    return Catalogs(by_language=tuple(loaded_pairs)), problems


def missing_catalog_problem(locale_dirs: Sequence[Path], lang: str, root: Path) -> Problem:
    """Report a language without a catalog at the path where the highest-priority theme would keep it."""
    if not locale_dirs:
        return Problem("(theme)", 1, f'missing catalog for language "{lang}": the theme has no locales folder')
    expected = [relative_path(locale_dir / lang / CATALOG_NAME, root) for locale_dir in locale_dirs]
    message = f'missing catalog for language "{lang}"'
    if len(expected) > 1:
        message += f" (also looked for {', '.join(expected[1:])})"
    return Problem(expected[0], 1, message)


def extract_messages(
    template_dir: Path,
    *,
    trimmed: bool = False,
    extensions: Sequence[str] = (),
) -> frozenset[str]:
    """Return the msgids (singular for plurals) used by the Jinja templates under template_dir."""
    # trimmed and extensions must match the Jinja environment, or msgids and parsing differ.
    # Jinja's extractor silently skips a template with a syntax error; the theme stage reports
    # those when it compiles the templates, with file and line.
    options = {"trimmed": str(trimmed).lower(), "extensions": ",".join(extensions)}
    msgids: set[str] = set()
    for path in sorted(_template_files(template_dir)):
        try:
            # Read like every other input, so a template that is not UTF-8 is named with the line of its first
            # bad byte (Babel's extractor would raise UnicodeDecodeError with neither).
            source = inputs.read_text(path).encode("utf-8")
        except inputs.InputError as error:
            # template_dir is themes/<name>/templates; messages name files from the project folder.
            where = Path(*template_dir.resolve().parts[-3:]) / path.relative_to(template_dir)
            raise BuildError([Problem(where.as_posix(), error.line, error.message)]) from None
        for _lineno, message, _comments, _context in extract(
            JINJA_EXTRACTOR, BytesIO(source), options=options
        ):
            msgids.add(message[0] if isinstance(message, (tuple, list)) else message)
    return frozenset(msgids)


def _template_files(template_dir: Path) -> Iterator[Path]:
    """Yield every .html and .xml file under template_dir, at any depth."""
    # Not extract_from_dir: its default walk skips folders starting with "_" or ".", and
    # theme partials commonly live in templates/_partials/.
    for pattern in TEMPLATE_PATTERNS:
        yield from (path for path in template_dir.rglob(pattern) if path.is_file())


def untranslated_messages(locale_dirs: Sequence[Path], lang: str, root: Path) -> tuple[str, ...]:
    """The msgids a non-English catalog still gives as the English original (msgstr == msgid)."""
    path = find_catalog(locale_dirs, lang)
    if path is None or lang.split("_")[0] == "en":
        return ()
    loaded, _ = read_catalog(path, lang, root)
    if loaded is None:
        return ()
    return tuple(sorted(
        _msgid(message) for message in _user_messages(loaded.catalog)
        if any(form == _msgid(message) for form in _forms(message))
    ))


class ConstantTranslations(jinja2.ext.Extension):
    """Compiles each `_("text")` or `gettext("text")` (a string literal and nothing else) as its translation,
    the very Markup the call returns, so that Jinja folds it into the template's text: a page no longer calls
    gettext for it (the calls were a tenth of a page's rendering). The environment is one language's, its
    translate_constant set by install_constant_translations. Calls with variables run as before, and so does
    every call in a template with an {% autoescape %} block, where gettext returns plain text."""

    def filter_stream(self, stream: TokenStream) -> list[Token]:
        tokens = list(stream)
        translate = getattr(self.environment, "translate_constant", None)
        if translate is None or any(first.type == "block_begin" and second.test("name:autoescape")
                                    for first, second in zip(tokens, tokens[1:])):
            return tokens
        folded: list[Token] = []
        position = 0
        while position < len(tokens):
            call = tokens[position:position + 4]
            text = translate(call[2].value) if is_constant_gettext(call, folded[-1] if folded else None) else None
            if text is None:
                folded.append(tokens[position])
                position += 1
                continue
            # ("translation"|safe), which Jinja's optimiser turns into a constant Markup when it compiles.
            line = call[0].lineno
            folded += [Token(line, "lparen", "("), Token(line, "string", text), Token(line, "pipe", "|"),
                       Token(line, "name", "safe"), Token(line, "rparen", ")")]
            position += 4
        return folded


def is_constant_gettext(call: list[Token], before: Token | None) -> bool:
    """Whether four tokens are `_("text")` or `gettext("text")`: the global called with one string literal
    (not a method `x._(...)` nor a filter `|_(...)`; before is the token in front)."""
    return (len(call) == 4 and call[0].type == "name" and call[0].value in ("_", "gettext")
            and call[1].type == "lparen" and call[2].type == "string" and call[3].type == "rparen"
            and not (before is not None and before.type in ("dot", "pipe")))


def install_constant_translations(environment: jinja2.Environment, translations: Translations) -> None:
    """Have environment compile `_("text")` as text's translation (ConstantTranslations): Markup(translation)
    formatted with no variables, which is what newstyle gettext returns. A message that formatting rejects
    (a "%(name)s" with no value given) is left to the call, to fail when the page renders, as before.
    Compiled templates then hold one language's strings: keep each language's apart (theme.py does)."""

    def translate(message: str) -> str | None:
        try:
            return str(Markup(translations.gettext(message)) % {})
        except (KeyError, TypeError, ValueError):
            return None

    environment.add_extension(ConstantTranslations)
    environment.extend(translate_constant=translate)
