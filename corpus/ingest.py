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
    r"|(we use )?cookies.*|click here.*|follow us.*"
    r"|follow [\w .'’-]{1,40} on (facebook|twitter|instagram|youtube|tiktok|linkedin)\b.*"
    r"|listen to (this )?(article|story).*|print|email)\W*$",
    re.IGNORECASE,
)
# "Get <Outlet>'s weekly newsletter …": a promotion, read for names only
PROMO_RE = re.compile(r"^(?:get|sign up for|subscribe to) [\w .'’-]{0,40}newsletter\b", re.IGNORECASE)
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
ARCHIVE_RE = re.compile(r"\b(?:file|archive|archival)\s+(?:photo|picture|image)\b|\bin this (?:file|archive)\b",
                        re.IGNORECASE)
CAPTION_START_RE = re.compile(r"^(FILE|PHOTO|IMAGE)\s*(PHOTO)?\s*[-–—:]", re.IGNORECASE)
CAPTION_END_RE = re.compile(
    r"(/\s*(AP|AFP|Reuters|Getty Images|EPA)( Photo)?[^.]*|\((AP|AFP|Reuters|EPA|Getty)[^)]*\)|"
    r"\b(Image|Photo|Picture|Credit|Photograph)s?\s*:\s*[^.]+|"
    r"\.\s*(Reuters|AP|AFP|EPA|Getty Images|AP Photo|File photo))\.?\s*$",
)
_DASH = r"(?:--?|[—–])"
OUTLET_TAGS_FILE = Path(__file__).with_name("data") / "outlet_tags.txt"
_OUTLET_TAGS = "|".join(re.escape(line.strip()) for line in OUTLET_TAGS_FILE.read_text(encoding="utf-8").splitlines()
                        if line.strip() and not line.startswith("#"))
DATELINE_RES = (
    re.compile(rf"^\((?P<place>[A-Z][A-Za-z .,'-]{{1,40}})\)\s*{_DASH}\s*"),
    re.compile(rf"^(?P<place>[A-Z][A-Z .,'-]{{2,40}})\s*\((?P<outlet>[^)]{{2,40}})\)\s*{_DASH}\s*"),
    # "TALLINN, March 6, 2024 -", "Tallinn, Estonia, 6 March 2024 —"
    re.compile(rf"^(?P<place>[A-Z][A-Za-z .'-]{{2,30}}(?:, [A-Z][A-Za-z. ]{{2,25}})?),\s+"
               rf"(?P<date>(?:{_MONTH_RE}\s+\d{{1,2}},?|\d{{1,2}}\s+{_MONTH_RE})\s+(?:19|20)\d\d)\s*(?:\([^)]{{2,40}}\)\s*)?"
               rf"{_DASH}\s+"),
    # "SINGAPORE -", "WASHINGTON —", "KUALA LUMPUR, Malaysia —"
    re.compile(rf"^(?P<place>[A-Z][A-Z .'-]{{2,30}}(?:, [A-Z][A-Za-z.]+)?)\s+{_DASH}\s+(?=[A-Z“\"'‘])"),
    # "(CNN)", "Bangkok, Thailand (CNN)": an outlet tag before the first sentence
    re.compile(rf"^(?:(?P<place>[A-Z][A-Za-z .'-]{{2,30}}(?:, [A-Z][A-Za-z.]+)?)\s+)?\((?P<outlet>{_OUTLET_TAGS})\)\s*"
               rf"(?:{_DASH}\s*)?(?=[A-Z“\"'‘])"),
)
# "By Ada Okafor", "By Ada Okafor and Lee Min, BBC News, Tokyo", "Ada Okafor, BBC tennis correspondent"
BYLINE_RE = re.compile(
    r"^By\s+(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}(?:\s+and\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})?)"
    r"(?:\s*[,|]\s*(?P<rest>.{2,80}))?$"
)
BYLINE_ROLE_RE = re.compile(
    r"^(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}),\s+(?P<rest>(?:[\w'’&.-]+\s+){0,4}"
    r"(?:correspondent|reporter|editor|writer|columnist|journalist|producer|analyst)\b.{0,40})$"
)
# "July 2020: <Name> announces …", "March 3 - talks begin": a timeline entry is content, not a heading
TIMELINE_RE = re.compile(rf"^(?:(?:\d{{1,2}}\s+)?{_MONTH_RE}(?:\s+\d{{1,2}})?,?(?:\s+(?:19|20)\d\d)?|(?:19|20)\d\d)"
                         rf"\s*(?::|{_DASH})\s+\S")
# a line that is only a date ("Wednesday, September 7, 2016"): the article's date when near the top
DATE_LINE_RE = re.compile(rf"^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?:{_MONTH_RE}\s+\d{{1,2}},?|"
                          rf"\d{{1,2}}\s+{_MONTH_RE})\s+(?:19|20)\d\d\b[\w\s:.,()+-]{{0,30}}$")
# a sentence ends at . ! ? before a capital, but not after an initial or abbreviation ("U.S. Secretary")
SENTENCE_END_RE = re.compile(
    r"(?<![A-Z]\.[A-Z]\.)(?<!\b[A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bMrs\.)"
    r"(?<=[.!?])\s+(?=[A-Z“\"])"
)
TERMINAL = ('.', '!', '?', '"', '”', '’', "''", ':', ';', ')', '…')


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
    author: str | None = None
    author_role: str | None = None
    credits: list[str] = []
    captions: list[str] = []
    url: str | None = None
    paragraphs: list[str] = []
    body_count: int | None = None  # paragraphs[:body_count] are the body; the rest (title, headings, captions,
    # byline) are read for names only. None: all are body.

    @property
    def body(self) -> list[str]:
        return self.paragraphs if self.body_count is None else self.paragraphs[:self.body_count]


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
    """A title or sub-heading: short and unpunctuated, and no timeline entry ("July 2020: <Name> announces …")."""
    words = par.split()
    return 0 < len(words) <= 20 and not par.endswith(TERMINAL) and not TIMELINE_RE.match(par)


def _byline(par: str) -> tuple[str, str | None] | None:
    """(author, role) of a byline: "By <Name>[, outlet, place]" or "<Name>, BBC tennis correspondent"."""
    m = BYLINE_RE.match(par) or BYLINE_ROLE_RE.match(par)
    if not m:
        return None
    rest = (m.group("rest") or "").strip()
    role = re.search(r"(?:[\w'’&.-]+\s+){0,3}(?:correspondent|reporter|editor|writer|columnist|journalist|producer"
                     r"|analyst)\b", rest)
    return m.group("name"), role.group(0) if role else None


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
    date_lines: list[str] = []
    for par in _blocks(text):
        if BOILERPLATE_RE.match(par):
            continue
        if len(body) < 2 and DATE_LINE_RE.match(par):
            date_lines.append(par)
            continue
        byline = _byline(par) if len(body) < 3 or len(par.split()) <= 12 else None
        if byline and art.author is None:
            art.author, art.author_role = byline
            headings.append(par)
            continue
        if COPYRIGHT_RE.search(par) and len(par.split()) <= 25:
            year, owner = _copyright(par)
            copyright_year = copyright_year or year
            art.outlet = art.outlet or owner
            continue
        if PROMO_RE.match(par):
            headings.append(par)
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
    dateline_date = _strip_dateline(art, body)
    body = [p for p in body if p]
    title_read = bool(art.title)
    if not art.title:
        first = body[0] if body else doc_id
        sentence = SENTENCE_END_RE.split(first, maxsplit=1)[0]
        art.title = sentence if len(sentence) <= 120 else sentence[:117].rsplit(" ", 1)[0] + "…"
    furniture = ([art.title] if title_read else []) + headings + art.captions
    art.paragraphs = body + (furniture if body else [])
    art.body_count = len(body)
    if art.date is None:
        _infer_date(art, dateline_date, date_lines)
    if art.date is None and copyright_year:
        art.date, art.date_source = copyright_year, "copyright"
    return art


def _strip_dateline(art: Article, body: list[str]) -> str | None:
    """Take the dateline ("CITY, March 6, 2024 -", "SINGAPORE -", "(CNN)") off the first body paragraphs into
    metadata; the date it states, if any."""
    for i, par in enumerate(body[:2]):
        for rx in DATELINE_RES:
            m = rx.match(par)
            if m:
                groups = m.groupdict()
                if groups.get("place"):
                    art.dateline = groups["place"].strip(" ,").title()
                outlet = groups.get("outlet")
                art.outlet = art.outlet or (outlet.strip() if outlet else None)
                body[i] = par[m.end():].lstrip()
                found = find_full_dates(groups["date"]) if groups.get("date") else []
                return found[0][1] if found else None
    return None


def _infer_date(art: Article, dateline_date: str | None, date_lines: list[str]) -> None:
    """An article without a header line takes its date only where the page states its own date: the dateline,
    a date line at the top, or a photo caption of the day (never a FILE or archive photo, never a date in the
    text, which is as often another event's)."""
    plain_captions = [c for c in art.captions if not CAPTION_START_RE.match(c) and not ARCHIVE_RE.search(c)]
    for source, texts in (("text", [dateline_date or ""]), ("text", date_lines), ("caption", plain_captions)):
        dates = [d for t in texts for _, d in find_full_dates(t)]
        if dates:
            art.date, art.date_source = dates[0], source  # type: ignore[assignment]
            return
