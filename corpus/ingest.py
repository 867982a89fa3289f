"""Ingest: find article files, read them safely, and split body text from page furniture.

An article becomes an `Article`: title, date (and where the date came from), outlet, dateline, credits,
captions, and the body paragraphs that the extractor reads. Furniture (navigation, photo captions,
credits, copyright, datelines, sub-headings) never reaches the body, so its names are never speakers.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel

from corpus.models import DateSource
from corpus.pages import HTML_SUFFIXES, read_page

SUFFIXES = {".txt", ".md", ".html", ".htm"}
MAX_BYTES = 2_000_000

MONTHS = {
    m: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for m in names
}
_MONTH_RE = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|" \
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
FULL_DATE_RES = (
    re.compile(rf"\b(?P<month>{_MONTH_RE})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_RE})\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)\b"),
)

HEADER_RE = re.compile(r"^\s?date\s+(\d{4}-\d{2}-\d{2})\s+(.+?)\s*$")
BOILERPLATE_RE = re.compile(
    r"^(accessibility links|skip to (main )?content|breaking news|advertisement|share( this)?( article| story)?"
    r"|subscribe.*|sign up.*|read more.*|related( stories| articles| content)?|most (read|popular)"
    r"|(we use )?cookies.*|click here.*|follow us.*|listen to (this )?(article|story).*|print|email)\W*$",
    re.IGNORECASE,
)
COPYRIGHT_RE = re.compile(r"^(?:copyright|©|\(c\))\b|all rights reserved", re.IGNORECASE)
COPYRIGHT_PARTS_RE = re.compile(
    r"(?:copyright|©|\(c\))\s*(?:©\s*)?(?P<year>(?:19|20)\d\d)?\s*,?\s*(?P<owner>[^.]*?)\s*(?:\.|$)",
    re.IGNORECASE,
)
CREDIT_RE = re.compile(
    r"^\(?\s*(with (additional )?(input|inputs|reporting|contributions?) (from|by)|(additional )?reporting by"
    r"|editing by|writing by|compiled by|written by)\b.*\)?\s*$",
    re.IGNORECASE,
)
CAPTION_START_RE = re.compile(r"^(FILE|PHOTO|IMAGE)\s*(PHOTO)?\s*[-–—:]", re.IGNORECASE)
CAPTION_END_RE = re.compile(
    r"(/\s*(AP|AFP|Reuters|Getty Images|EPA)( Photo)?[^.]*|\((AP|AFP|Reuters|EPA|Getty)[^)]*\)|"
    r"\b(Image|Photo|Picture|Credit|Photograph)s?\s*:\s*[^.]+|"
    r"\.\s*(Reuters|AP|AFP|EPA|Getty Images|AP Photo|File photo))\.?\s*$",
)
DATELINE_RES = (
    re.compile(r"^\((?P<place>[A-Z][A-Za-z .,'-]{1,40})\)\s*[—–-]+\s*"),
    re.compile(r"^(?P<place>[A-Z][A-Z .,'-]{2,40})\s*\((?P<outlet>[^)]{2,40})\)\s*[—–-]+\s*"),
    re.compile(r"^(?P<place>[A-Z][A-Z .'-]{2,30}(?:, [A-Z][A-Za-z.]+)?)\s+[—–]\s+"),
)
# a sentence ends at . ! ? before a capital, but not after an initial or abbreviation ("U.S. Secretary")
SENTENCE_END_RE = re.compile(
    r"(?<![A-Z]\.[A-Z]\.)(?<!\b[A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bMrs\.)"
    r"(?<=[.!?])\s+(?=[A-Z“\"])"
)
TERMINAL = ('.', '!', '?', '"', '”', '’', ':', ';', ')', '…')


class FileProblem(BaseModel):
    path: str
    reason: str


class Article(BaseModel):
    id: str
    path: str
    sha256: str
    title: str
    date: str | None = None
    date_source: DateSource = "unknown"
    outlet: str | None = None
    dateline: str | None = None
    credits: list[str] = []
    captions: list[str] = []
    url: str | None = None
    paragraphs: list[str] = []


def discover(paths: list[Path]) -> tuple[list[Path], list[FileProblem]]:
    """Article files under `paths` (files or folders, recursively), sorted; and paths that are not usable."""
    found: set[Path] = set()
    problems: list[FileProblem] = []
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                         and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                found.add(path)
            else:
                problems.append(FileProblem(path=str(path), reason="not a .txt, .md or .html file"))
        else:
            problems.append(FileProblem(path=str(path), reason="no such file or folder"))
    return sorted(found, key=lambda p: (p.stem, str(p))), problems


class ReadText(NamedTuple):
    text: str
    sha256: str
    encoding: str = "utf-8"


def _decode(raw: bytes) -> tuple[str, str] | None:
    """(text, encoding) of bytes that are not UTF-8. Mostly-ASCII text (news in a Western language) is tried as
    Windows-1252 first, the usual encoding of such pages, which detectors confuse with its cousins on short
    texts; otherwise charset-normalizer's guess. A decoding with control characters or a 16/32-bit encoding
    (those need a BOM) is no text."""
    from charset_normalizer import from_bytes

    ascii_share = sum(b < 0x80 for b in raw) / len(raw)
    candidates = ["cp1252"] if ascii_share >= 0.8 else []
    best = from_bytes(raw).best()
    candidates += [best.encoding] if best is not None else []
    for encoding in candidates:
        if encoding.startswith(("utf_16", "utf_32")):
            continue
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
            return text, encoding.replace("_", "-")
    return None


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> ReadText | FileProblem:
    """(text, sha256, encoding) of an article file, or the reason it is skipped. UTF-8 first; another
    encoding is detected (and named in the result, so the build can report it)."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return FileProblem(path=str(path), reason=f"too large ({size:,} bytes; the limit is {max_bytes:,})")
        raw = path.read_bytes()
    except OSError as exc:
        return FileProblem(path=str(path), reason=f"unreadable ({exc.strerror or exc})")
    if b"\x00" in raw[:8192]:
        return FileProblem(path=str(path), reason="binary file (contains NUL bytes)")
    encoding = "utf-8"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        decoded = _decode(raw)
        if decoded is None:
            return FileProblem(path=str(path), reason=f"not UTF-8 (invalid byte 0x{raw[exc.start]:02x} at offset "
                                                      f"{exc.start}) and no other encoding fits")
        text, encoding = decoded
    if not text.strip():
        return FileProblem(path=str(path), reason="empty file")
    return ReadText(text, hashlib.sha256(raw).hexdigest(), encoding)


def load_article(doc_id: str, path: Path, text: str, sha256: str) -> Article | FileProblem:
    """The article in a file: HTML pages through their main text and metadata (the page's own date, title,
    site name and address win), other files as text."""
    if path.suffix.lower() not in HTML_SUFFIXES:
        return parse_article(doc_id, text, str(path), sha256)
    page = read_page(text)
    if page is None:
        return FileProblem(path=str(path), reason="no article text in this page (a menu, an error page or a "
                                                  "paywall stub?)")
    art = parse_article(doc_id, page.text, str(path), sha256)
    if page.date:
        art.date_source = "metadata"
    art.outlet = page.site or art.outlet
    art.url = page.url
    return art


def find_full_dates(text: str) -> list[tuple[int, str]]:
    """(offset, ISO date) of every full calendar date written in `text`."""
    found = []
    for rx in FULL_DATE_RES:
        for m in rx.finditer(text):
            groups = m.groupdict()
            month = int(groups["mnum"]) if groups.get("mnum") else MONTHS.get(groups["month"].lower().rstrip("."))
            try:
                d = date(int(groups["year"]), month or 0, int(groups["day"]))
            except ValueError:
                continue
            found.append((m.start(), d.isoformat()))
    return sorted(found)


def _blocks(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"\n\s*\n", text):
        blocks = [" ".join(line.strip() for line in b.splitlines()) for b in re.split(r"\n\s*\n", text)]
    else:
        blocks = [line.strip() for line in text.splitlines()]
    return [re.sub(r"\s+", " ", b).strip() for b in blocks if b.strip()]


def _is_headline(par: str) -> bool:
    words = par.split()
    return 0 < len(words) <= 20 and not par.endswith(TERMINAL)


def _copyright(par: str) -> tuple[str | None, str | None]:
    m = COPYRIGHT_PARTS_RE.search(par)
    if not m:
        return None, None
    owner = (m.group("owner") or "").strip(" ,") or None
    if owner and re.fullmatch(r"all rights reserved", owner, re.IGNORECASE):
        owner = None
    return m.group("year"), owner


def parse_article(doc_id: str, text: str, path: str = "", sha256: str = "") -> Article:
    """Split a raw article into metadata and body paragraphs."""
    art = Article(id=doc_id, path=path, sha256=sha256, title="")
    lines = text.replace("\r\n", "\n").split("\n")
    header = HEADER_RE.match(lines[0]) if lines else None
    if header:
        art.date, art.date_source, art.title = header.group(1), "header", header.group(2).strip()
        text = "\n".join(lines[1:])
    copyright_year = None
    body: list[str] = []
    headings: list[str] = []
    for par in _blocks(text):
        if BOILERPLATE_RE.match(par):
            continue
        if COPYRIGHT_RE.search(par) and len(par.split()) <= 25:
            year, owner = _copyright(par)
            copyright_year = copyright_year or year
            art.outlet = art.outlet or owner
            continue
        if CREDIT_RE.match(par):
            art.credits.append(par.strip("() "))
            continue
        if CAPTION_START_RE.match(par) or (CAPTION_END_RE.search(par) and len(par.split()) <= 45):
            art.captions.append(par)
            continue
        if _is_headline(par):
            if not body and not art.title:
                art.title = par
            else:
                headings.append(par)
            continue
        body.append(par)
    for i, par in enumerate(body[:2]):
        for rx in DATELINE_RES:
            m = rx.match(par)
            if m:
                art.dateline = m.group("place").strip(" ,").title()
                outlet = m.groupdict().get("outlet")
                art.outlet = art.outlet or (outlet.strip() if outlet else None)
                body[i] = par[m.end():].lstrip()
                break
        if art.dateline:
            break
    art.paragraphs = [p for p in body if p]
    if not art.title:
        first = art.paragraphs[0] if art.paragraphs else doc_id
        sentence = SENTENCE_END_RE.split(first, maxsplit=1)[0]
        art.title = sentence if len(sentence) <= 120 else sentence[:117].rsplit(" ", 1)[0] + "…"
    if art.date is None:
        plain_captions = [c for c in art.captions if not CAPTION_START_RE.match(c)]
        file_captions = [c for c in art.captions if CAPTION_START_RE.match(c)]
        for source, texts in (("caption", plain_captions), ("text", art.paragraphs), ("caption", file_captions)):
            dates = [d for t in texts for _, d in find_full_dates(t)]
            if dates:
                art.date, art.date_source = dates[0], source  # type: ignore[assignment]
                break
    if art.date is None and copyright_year:
        art.date, art.date_source = copyright_year, "copyright"
    return art
