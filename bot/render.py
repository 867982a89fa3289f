"""Reply models → Discord embeds and plain messages, within every Discord limit.

Nothing is cut silently: a body, a field or a list of sources that does not fit goes on the next
page (the paginator turns them). Every piece of text from articles or users is mention-neutralised
here, and every send also carries `AllowedMentions.none()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import discord

from handlers.cite import CITED_TITLE_CHARS
from handlers.models import Citation, Reply
from handlers.text import plural, shorten, shown_date

NO_MENTIONS = discord.AllowedMentions.none()  # on the bot and on every send: nothing the bot posts pings

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
EMBED_TOTAL_MAX = 6000
MESSAGE_MAX = 2000
SELECT_LABEL_MAX = 100

DESCRIPTION_CHUNK = 3000  # a body block; leaves room in the 6000 total for fields and sources
FOOTER_RESERVE = 40  # "Page 999/999"
CONTINUED = " (cont.)"
IMAGE_NAME = "chart.png"  # a reply's picture is attached under this name and shown in its first embed

COLOURS = {
    "ok": discord.Colour.blurple(),
    "ambiguous": discord.Colour.gold(),
    "not_found": discord.Colour.orange(),
    "error": discord.Colour.red(),
}

_CITE = re.compile(r"\[(\d+)\]")
_MENTION = re.compile(r"@(everyone|here|[!&]?\d{15,20})|<(@[!&]?)(\d{15,20})>")


def neutralise(text: str) -> str:
    """`@everyone`, `@here`, `<@…>` and `<@&…>` shown as text (a zero-width space breaks them)."""

    def fix(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return "@\u200b" + match.group(1)
        return "<\u200b" + match.group(2) + match.group(3) + ">"

    return _MENTION.sub(fix, text)


def split_text(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at line breaks, else spaces, else anywhere."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def plain_chunks(text: str) -> list[str]:
    """A plain message's text, neutralised, in messages of at most 2000 characters."""
    return split_text(neutralise(text), MESSAGE_MAX)


def cite_line(citation: Citation) -> str:
    """`[2] 2019-11-14 · Outlet — Title` (date and outlet when known; a long title shortened; linked to the
    page when the article came from the web)."""
    date = shown_date(citation.date, citation.date_source, "") if citation.date else None
    meta = " · ".join(part for part in (date, citation.outlet) if part)
    head = f"[{citation.n}] {meta} — " if meta else f"[{citation.n}] "
    title = shorten(citation.title, CITED_TITLE_CHARS).replace("[", "(").replace("]", ")")
    also = f" · also in {plural(citation.also_in, 'other outlet')}" if citation.also_in else ""
    return head + (f"[{title}](<{citation.url}>)" if citation.url else title) + also  # a web page: its title links


@dataclass
class _Block:
    """One unit of page content: a body chunk (name is None) or one embed field."""

    value: str
    name: str | None = None
    inline: bool = False
    cites: set[int] = field(default_factory=set)
    new_page: bool = False  # the first block of one of the handler's pages: starts an embed

    def size(self) -> int:
        return len(self.value) + len(self.name or "")


def _numbers(text: str) -> set[int]:
    return {int(n) for n in _CITE.findall(text)}


def _body_blocks(lines_pages: list[list[str]]) -> list[_Block]:
    blocks = []
    for page in lines_pages:
        text = "\n".join(neutralise(line) for line in page)
        for i, piece in enumerate(split_text(text, DESCRIPTION_CHUNK)):
            blocks.append(_Block(piece, cites=_numbers(piece), new_page=i == 0))
    return blocks


def _field_blocks(name: str, value: str, inline: bool = False) -> list[_Block]:
    name, value = neutralise(name) or "\u200b", neutralise(value) or "\u200b"
    if len(name) > FIELD_NAME_MAX:  # the whole name stays readable at the top of the value
        value = f"{name}\n{value}"
        name = name[: FIELD_NAME_MAX - len(CONTINUED) - 1] + "…"
    pieces = split_text(value, FIELD_VALUE_MAX)
    blocks = []
    for i, piece in enumerate(pieces):
        label = name if i == 0 else name[: FIELD_NAME_MAX - len(CONTINUED)] + CONTINUED
        blocks.append(_Block(piece, label, inline and len(pieces) == 1, _numbers(piece)))
    return blocks


def _source_blocks(citations: list[Citation]) -> list[_Block]:
    if not citations:
        return []
    return _field_blocks("Sources", "\n".join(cite_line(c) for c in citations))


def _cited(blocks: list[_Block], by_n: dict[int, Citation]) -> list[Citation]:
    numbers = set().union(*(b.cites for b in blocks)) if blocks else set()
    return [by_n[n] for n in sorted(numbers & by_n.keys())]


def _fits(title: str, blocks: list[_Block], by_n: dict[int, Citation]) -> bool:
    everything = blocks + _source_blocks(_cited(blocks, by_n))
    body = sum(len(b.value) + 1 for b in blocks if b.name is None)
    fields = sum(1 for b in everything if b.name is not None)
    total = len(title) + sum(b.size() for b in everything) + FOOTER_RESERVE
    return body <= DESCRIPTION_MAX and fields <= FIELDS_MAX and total <= EMBED_TOTAL_MAX


def _embed(title: str, colour: discord.Colour, blocks: list[_Block]) -> discord.Embed:
    embed = discord.Embed(title=title or None, colour=colour)
    body = "\n".join(b.value for b in blocks if b.name is None)
    if body:
        embed.description = body
    for b in blocks:
        if b.name is not None:
            embed.add_field(name=b.name, value=b.value, inline=b.inline)
    return embed


def _title(reply: Reply) -> tuple[str, list[str]]:
    """The embed title and, when the title is too long for Discord, the full title as a first body line."""
    title = neutralise(reply.title)
    if len(title) <= TITLE_MAX:
        return title, []
    return title[: TITLE_MAX - 1] + "…", [title]


def _candidate_lines(reply: Reply) -> list[str]:
    if reply.lines or not reply.candidates:
        return []
    return ["Did you mean:"] + [f"• {c.name} ({c.kind})" for c in reply.candidates]


def render_reply(reply: Reply) -> list[discord.Embed]:
    """The reply as one or more embeds, each within every Discord limit; pages are footed `Page i/n`."""
    title, lead = _title(reply)
    lines_pages = reply.pages
    extra = lead + _candidate_lines(reply)
    if extra:
        lines_pages = [extra + lines_pages[0], *lines_pages[1:]] if lines_pages else [extra]
    citations = reply.citations if reply.list_sources else []  # the sources reply lists them in its lines
    by_n = {c.n: c for c in citations}
    blocks = _body_blocks(lines_pages)
    for f in reply.fields:
        blocks.extend(_field_blocks(f.name, f.value, f.inline))

    pages: list[list[_Block]] = []
    current: list[_Block] = []
    for block in blocks:
        if current and (block.new_page or not _fits(title, [*current, block], by_n)):
            pages.append(current)
            current = []
        current.append(block)
    pages.append(current)

    # sources cited nowhere in the text still appear, on the last page
    cited_anywhere = {c.n for c in _cited(blocks, by_n)}
    uncited = [c for c in citations if c.n not in cited_anywhere]

    finished: list[list[_Block]] = []
    for i, page in enumerate(pages):
        citations = _cited(page, by_n)
        if i == len(pages) - 1:
            citations = sorted([*citations, *uncited], key=lambda c: c.n)
        finished.extend(_spill(title, page, _source_blocks(citations)))

    colour = COLOURS.get(reply.status, discord.Colour.blurple())
    embeds = [_embed(title, colour, page) for page in finished]
    if reply.image:
        embeds[0].set_image(url=f"attachment://{IMAGE_NAME}")
    if len(embeds) > 1:
        for i, embed in enumerate(embeds, 1):
            embed.set_footer(text=f"Page {i}/{len(embeds)}")
    return embeds


def _spill(title: str, page: list[_Block], sources: list[_Block]) -> list[list[_Block]]:
    """`page` plus its source fields; sources that do not fit continue on extra pages of their own."""
    out = [list(page)]
    for block in sources:
        candidate = [*out[-1], block]
        fields = sum(1 for b in candidate if b.name is not None)
        total = len(title) + sum(b.size() for b in candidate) + FOOTER_RESERVE
        if fields > FIELDS_MAX or total > EMBED_TOTAL_MAX:
            out.append([block])
        else:
            out[-1] = candidate
    return out

