"""Headless Chromium for the browser tests: Debian's chromium driven by Playwright, and a local server."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

# Without these, Chromium tries Google's hosts at start-up and this machine's closed network refuses them.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def find_chromium() -> str:
    """The Chromium to drive; in CI its absence is a failure (a missing install step), never a skip."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: .ci/run must install Debian's chromium package")
    pytest.skip("chromium is not installed (apt-get install chromium); CI runs this test")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(directory: Path, prefix: str = "/") -> Iterator[str]:
    """Serve directory on 127.0.0.1 at a free port, under prefix (a sub-path such as /repo/ for Pages)."""
    root = directory
    if prefix != "/":
        # Mount the site under the sub-path by serving a parent folder that holds it there.
        root = directory.parent / "_served"
        mount = root / prefix.strip("/")
        mount.parent.mkdir(parents=True, exist_ok=True)
        if not mount.exists():
            mount.symlink_to(directory, target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


# Where each of some characters of an element's text is drawn: for every (start, end) range of the element's
# text content (its text nodes joined), the first box of a DOM Range over it, as {x, y, right}.
MEASURE_RANGES = """([selector, ranges]) => {
    const root = document.querySelector(selector);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let offset = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        nodes.push([node, offset]);
        offset += node.data.length;
    }
    const locate = (index, isEnd) => {
        for (const [node, start] of nodes) {
            const end = start + node.data.length;
            if (index >= start && (index < end || (isEnd && index === end))) return [node, index - start];
        }
        throw new Error('no text at ' + index);
    };
    return ranges.map(([start, end]) => {
        const range = document.createRange();
        range.setStart(...locate(start, false));
        range.setEnd(...locate(end, true));
        const box = [...range.getClientRects()].find(rect => rect.width > 0);
        return {x: box.left, right: box.right, y: Math.round(box.top + box.height / 2)};
    });
}"""


def text_of(page, selector: str) -> str:
    """An element's text content as MEASURE_RANGES numbers it (its text nodes joined)."""
    return page.evaluate("""selector => {
        const walker = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT);
        let text = '';
        for (let node = walker.nextNode(); node; node = walker.nextNode()) text += node.data;
        return text;
    }""", selector)


def measure(page, selector: str, tokens: list[str]) -> dict[str, dict]:
    """Where each token (a substring of the element's text; "token#2" is its second occurrence) is drawn:
    {line (0 at the top), x, right}. Boxes within 12 px of height (superscripts) are on one line."""
    text = text_of(page, selector)
    ranges = []
    for token in tokens:
        word, _, nth = token.partition("#")
        index = -1
        for _ in range(int(nth or 1)):
            index = text.index(word, index + 1)
        ranges.append((index, index + len(word)))
    boxes = page.evaluate(MEASURE_RANGES, [selector, ranges])
    line_tops: list[int] = []
    for y in sorted(box["y"] for box in boxes):
        if not line_tops or y - line_tops[-1] >= 12:
            line_tops.append(y)
    return {token: {**box, "line": max(i for i, top in enumerate(line_tops) if top - 12 < box["y"])}
            for token, box in zip(tokens, boxes)}


def visual_order(page, selector: str, tokens: list[str]) -> list[str]:
    """The tokens sorted as they are drawn: line by line from the top, left to right within a line."""
    boxes = measure(page, selector, tokens)
    return sorted(tokens, key=lambda token: (boxes[token]["line"], boxes[token]["x"]))
