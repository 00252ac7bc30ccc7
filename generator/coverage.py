"""Translation coverage for `check`: articles without a translation, and catalog strings left untranslated."""

from __future__ import annotations

from generator.i18n import untranslated_messages
from generator.site import Site
from generator.theme import Theme


def report_coverage(site: Site, theme: Theme) -> list[str]:
    """One line per language: how many articles it lacks (named), then untranslated catalog strings."""
    lines = []
    keys = sorted(site.translations)
    for language_site in site.languages:
        code = language_site.language.code
        missing = [site.translations[key] for key in keys if code not in site.translations[key]]
        sources = sorted(next(iter(group.values())).article.path for group in missing)
        lines.append(f"{code}: {len(keys) - len(missing)} of {len(keys)} articles"
                     + (f"; not translated: {', '.join(sources)}" if sources else ""))
        strings = untranslated_messages(theme.locale_dirs, code, site.config.root)
        if strings:
            lines.append(f"{code}: {len(strings)} catalog string(s) still in English: "
                         + ", ".join(f'"{s}"' for s in strings))
    return lines
