"""Web pages as articles: main text and metadata of an HTML page (trafilatura), turned into the article text
the rest of ingest reads, with the page's own metadata (title, date, site name, canonical URL, author)
winning over anything found in the text.

A page saved by `briefbot add URL` starts with a `<!-- briefbot-source: URL -->` line, so its address is
known even when the page names no canonical URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SOURCE_RE = re.compile(r"^<!-- briefbot-source: (\S+) -->")
HTML_SUFFIXES = {".html", ".htm"}


@dataclass
class Page:
    """What a page says about itself, and its body as article text (` date …` header when dated)."""

    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    site: str | None = None
    author: str | None = None
    language: str | None = None


def source_comment(url: str) -> str:
    return f"<!-- briefbot-source: {url} -->\n"


def read_page(html: str, url: str | None = None) -> Page | None:
    """The article in an HTML page; None when the page has no main text (a menu, a paywall stub, an error)."""
    import trafilatura  # imported here: a build of plain text files never pays for it

    marked = SOURCE_RE.match(html)
    if marked:
        url = url or marked.group(1)
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, date_extraction_params={"extensive_search": False,
                                                                                    "original_date": True})
    if doc is None or not (doc.text or "").strip():
        return None
    title = (doc.title or "").strip() or None
    lines = [line.strip() for line in doc.text.split("\n") if line.strip()]
    if title and lines and lines[0] == title:
        lines = lines[1:]
    if not lines:
        return None
    date = doc.date if doc.date and re.fullmatch(r"\d{4}-\d\d-\d\d", doc.date) else None
    head = f" date {date} {title or lines[0][:100]}" if date else (title or "")
    text = (head + "\n\n" if head else "") + "\n\n".join(lines) + "\n"
    return Page(text=text, title=title, date=date, url=doc.url or url, site=doc.sitename or doc.hostname,
                author=doc.author, language=doc.language)
