"""The same benchmark corpus as a minimal Hugo site, for timing Warraq against Hugo in one run.

    python bench/hugo.py CORPUS SITE      # write SITE from the Warraq project at CORPUS, then build it once

The site has the corpus's articles byte for byte (Hugo reads Warraq's YAML front matter as it is: title,
slug, date, tags and summary are Hugo's own keys; author, views and translation_key become params), in two
languages (content/ar right-to-left, the default, and content/en: a translation sits at the same path, as
Warraq's do), listings paginated by 10 as site.toml's page_size, tag pages, Hugo's RSS feeds and sitemap,
and a single template each for articles and lists: less theme than Warraq renders, so the ratio flatters Hugo
a little. Hugo has no persistent incremental build from the command line: every run renders everything.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CONFIG = """\
baseURL = "https://example.org/"
title = "Warraq benchmark"
defaultContentLanguage = "ar"
defaultContentLanguageInSubdir = true
paginate = 10
enableRobotsTXT = false

[languages.ar]
contentDir = "content/ar"
languageName = "العربية"
languageDirection = "rtl"
weight = 1

[languages.en]
contentDir = "content/en"
languageName = "English"
languageDirection = "ltr"
weight = 2

[markup.tableOfContents]
startLevel = 2
endLevel = 3
"""

HEAD = """\
<!DOCTYPE html>
<html lang="{{ .Language.Lang }}" dir="{{ .Language.LanguageDirection }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title>
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Lang }}" href="{{ .Permalink }}">
{{ end }}</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
{{ range .Translations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Lang }}">{{ .Language.LanguageName }}</a>{{ end }}
</header>
"""

SINGLE = HEAD + """\
<main><article>
<h1>{{ .Title }}</h1>
<p>{{ .Params.author }} · <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
· {{ .ReadingTime }} min</p>
{{ .TableOfContents }}
{{ .Content }}
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</nav>
</article></main>
</body>
</html>
"""

LIST = HEAD + """\
<main>
<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}
{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ else if eq .Kind "section" }}{{ $pages = .RegularPagesRecursive }}{{ end }}
<ul>
{{ range (.Paginate $pages).Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>
{{ if .IsPage }}<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
<p>{{ .Params.summary }}</p>{{ end }}</li>
{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
</main>
</body>
</html>
"""


@dataclass(frozen=True)
class HugoSite:
    """A Hugo site written from a Warraq corpus: the hugo executable and the site's folder."""

    hugo: str
    site: Path

    def command(self) -> list[str]:
        """The build command: the whole site into SITE/public, only errors printed."""
        return [self.hugo, "--quiet", "--source", str(self.site), "--destination", str(self.site / "public")]

    def clean(self) -> None:
        """Remove what a build leaves (public/, resources/, the build lock), for a cold build."""
        for name in ("public", "resources"):
            if (self.site / name).exists():
                shutil.rmtree(self.site / name)
        (self.site / ".hugo_build.lock").unlink(missing_ok=True)

    def article(self, corpus_path: Path, corpus: Path) -> Path:
        """The site's copy of a corpus article (CORPUS/content/ar/... -> SITE/content/ar/...)."""
        return self.site / corpus_path.relative_to(corpus)


def find_hugo(name: str = "hugo") -> str | None:
    """The path of the hugo executable (a name looked up on PATH, or a path), or None when there is none."""
    return shutil.which(name)


def hugo_version(hugo: str) -> str:
    """`hugo version`'s first line, e.g. 'hugo v0.111.3+extended linux/amd64 ...'."""
    done = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False)
    return (done.stdout.strip().splitlines() or ["hugo (version unknown)"])[0]


def make_hugo_site(corpus: Path, site: Path, hugo: str) -> HugoSite:
    """Write site (replacing it) from the Warraq project at corpus: config, two layouts, a copy of content/."""
    if site.exists():
        shutil.rmtree(site)
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (site / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    (layouts / "single.html").write_text(SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(LIST, encoding="utf-8")
    shutil.copytree(corpus / "content", site / "content")
    for lang in ("ar", "en"):
        (site / "content" / lang).mkdir(exist_ok=True)
    return HugoSite(hugo, site)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python bench/hugo.py CORPUS SITE", file=sys.stderr)
        return 2
    hugo = find_hugo()
    if hugo is None:
        print("hugo is not on PATH (Debian: apt-get install hugo)", file=sys.stderr)
        return 1
    site = make_hugo_site(Path(argv[0]), Path(argv[1]), hugo)
    done = subprocess.run(site.command(), check=False)
    pages = sum(1 for _ in (site.site / "public").rglob("*.html"))
    print(f"{site.site}: {pages} HTML files ({hugo_version(hugo)})")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
