"""Page bundles (bundles.py): an article as <slug>/index.md with its files beside it, and the images a Markdown
body shows, found with their lines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.bundles import ImageRef, bundle_slug, find_images

BASE = "https://x.github.io/repo/"
INDEX = """---
title: {title}
date: 2017-09-28
{extra}---
نص المقال و[التقرير](report.pdf).
"""


def write_index(site, folder: str, title: str = "مقال", extra: str = "") -> Path:
    return site.write(f"content/{folder}/index.md", INDEX.format(title=title, extra=extra))


def test_a_bundle_takes_its_slug_from_its_folder_and_publishes_its_files(make_site):
    site = make_site()
    write_index(site, "ar/2017/al-raqqa")
    site.write("content/ar/2017/al-raqqa/report.pdf", "%PDF")
    site.write("content/ar/2017/al-raqqa/data/table.csv", "a,b\n")
    site.article("ar", "plain-article")  # a plain file article still works beside bundles
    result = site.build("--base-url", BASE)
    assert result.code == 0, result.err
    folder = site.root / "output/ar/2017/09/al-raqqa"
    assert (folder / "index.html").is_file()
    assert (folder / "report.pdf").read_text() == "%PDF"
    assert (folder / "data/table.csv").read_text() == "a,b\n"
    assert 'href="report.pdf"' in (folder / "index.html").read_text(encoding="utf-8")
    assert (site.root / "output/ar/2017/09/plain-article/index.html").is_file()


def test_front_matter_slug_wins_over_the_folder_name(make_site):
    site = make_site()
    write_index(site, "ar/2017/folder-name", extra="slug: chosen-slug\n")
    site.write("content/ar/2017/folder-name/report.pdf", "%PDF")
    assert site.build("--base-url", BASE).code == 0
    assert (site.root / "output/ar/2017/09/chosen-slug/report.pdf").is_file()
    assert not (site.root / "output/ar/2017/09/folder-name").exists()


def test_index_md_beside_other_articles_is_an_error(make_site):
    site = make_site()
    write_index(site, "ar/2017")
    site.article("ar", "2017/other")
    result = site.build("--base-url", BASE)
    assert result.code == 1
    assert ("content/ar/2017/index.md:1: index.md makes its folder a page bundle, which holds one article, but "
            "other.md is beside it; move index.md into a folder of its own, or rename it") in result.err


def test_a_nested_bundle_keeps_its_own_files(make_site):
    site = make_site()
    write_index(site, "ar/2017/outer", title="خارجي")
    site.write("content/ar/2017/outer/outer.pdf", "outer")
    write_index(site, "ar/2017/outer/inner", title="داخلي")
    site.write("content/ar/2017/outer/inner/inner.pdf", "inner")
    assert site.build("--base-url", BASE).code == 0
    output = site.root / "output/ar/2017/09"
    assert (output / "outer/outer.pdf").is_file() and (output / "inner/inner.pdf").is_file()
    assert not (output / "outer/inner").exists()


def test_a_bundle_file_cannot_take_the_page_s_name(make_site):
    site = make_site()
    write_index(site, "ar/2017/clash")
    site.write("content/ar/2017/clash/index.html", "<p>mine</p>")
    result = site.build("--base-url", BASE)
    assert result.code == 1
    assert ("content/ar/2017/clash/index.html:1: a bundle file may not be called index.html: the article's page is "
            "written there; rename it") in result.err


def test_links_and_special_files_in_a_bundle_are_skipped_with_a_warning(make_site, tmp_path):
    site = make_site()
    write_index(site, "ar/2017/risky")
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    os.symlink(secret, site.root / "content/ar/2017/risky/secret.txt")
    os.mkfifo(site.root / "content/ar/2017/risky/pipe")
    result = site.build("--base-url", BASE)
    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        "content/ar/2017/risky/pipe:1: warning: is a named pipe (FIFO), not a regular file; skipped",
        f"content/ar/2017/risky/secret.txt:1: warning: is a symbolic link to {secret.resolve()}, outside the project; "
        "skipped",
    ]
    assert not (site.root / "output/ar/2017/09/risky/secret.txt").exists()


def test_a_changed_bundle_file_is_published_again(make_site):
    site = make_site()
    write_index(site, "ar/2017/changing")
    pdf = site.write("content/ar/2017/changing/report.pdf", "first")
    assert site.build("--base-url", BASE).code == 0
    pdf.write_text("second, longer")
    assert site.build("--base-url", BASE).code == 0
    assert (site.root / "output/ar/2017/09/changing/report.pdf").read_text() == "second, longer"
    pdf.unlink()
    assert site.build("--base-url", BASE).code == 0
    assert not (site.root / "output/ar/2017/09/changing/report.pdf").exists()


def test_a_draft_bundle_publishes_nothing(make_site):
    site = make_site()
    write_index(site, "ar/2017/draft-one", extra="draft: true\n")
    site.write("content/ar/2017/draft-one/report.pdf", "%PDF")
    assert site.build("--base-url", BASE).code == 0
    assert not (site.root / "output/ar/2017/09/draft-one").exists()


@pytest.mark.parametrize("rel, slug", [
    ("content/ar/2017/al-raqqa/index.md", "al-raqqa"),
    ("content/ar/2017/al-raqqa.md", "al-raqqa"),
    ("content/ar/index.md", "ar"),
])
def test_bundle_slug(rel, slug):
    assert bundle_slug(rel) == slug


def test_find_images_gives_lines_and_skips_code():
    body = "\n".join([
        "فقرة ![أ](a.jpg) و ![ب](<b c.png> \"عنوان (مع قوسين)\")",  # 10
        "",
        "```python",
        "![لا](no.jpg)  # تعليق",
        "```",
        "نص `![لا](no2.jpg)` نص",
        "",
        "    ~~~",
        "![مرجع][r] و ![اختصار]",  # 18
        "",
        "[r]: ref.png \"T\"",
        "[اختصار]: <short one.webp>",
        "![رابط](https://example.org/x.jpg 'x') ![عنوان](d\\_e.gif (عنوان))",  # 22
    ])
    assert find_images(body, 10) == (
        ImageRef("a.jpg", 10), ImageRef("b c.png", 10), ImageRef("ref.png", 18), ImageRef("short one.webp", 18),
        ImageRef("https://example.org/x.jpg", 22), ImageRef("d_e.gif", 22),
    )


def test_find_images_skips_indented_code_and_html_comments():
    # Python-Markdown shows these as code or hides them, so a missing file there must not stop the build.
    body = "\n".join([
        "فقرة.",  # 1
        "",
        "    ![شيفرة](code.png)",
        "\t![شيفرة](tab.png)",
        "",
        "<!-- ![معلق](comment.png) -->",
        "<!--",
        "![معلق](multi.png)",
        "-->",
        "- بند",  # 10
        "",
        "    ![فقرة في البند](in-list.png)",
        "",
        "        ![شيفرة في البند](list-code.png)",
        "",
        "> اقتباس",
        ">",
        ">     ![شيفرة مقتبسة](quoted-code.png)",
        "نص",
        "    ![متابعة](lazy.png)",  # 20
        "",
        "![بعد](after.png) <!-- ![](x.png) --> ![بعد](after2.png)",
    ])
    assert find_images(body, 1) == (ImageRef("in-list.png", 12), ImageRef("lazy.png", 20),
                                    ImageRef("after.png", 22), ImageRef("after2.png", 22))
