"""Rendering replies as Discord embeds: every limit holds, long content pages, nothing is cut, no pings."""

from __future__ import annotations

import re

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import (
    DESCRIPTION_MAX,
    EMBED_TOTAL_MAX,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    MESSAGE_MAX,
    TITLE_MAX,
    cite_line,
    neutralise,
    plain_chunks,
    render_reply,
)
from handlers.models import Candidate, Citation, Reply, ReplyField


def within_limits(embed: discord.Embed) -> None:
    assert len(embed.title or "") <= TITLE_MAX
    assert len(embed.description or "") <= DESCRIPTION_MAX
    assert len(embed.fields) <= FIELDS_MAX
    for f in embed.fields:
        assert 0 < len(f.name or "") <= FIELD_NAME_MAX
        assert 0 < len(f.value or "") <= FIELD_VALUE_MAX
    assert len(embed) <= EMBED_TOTAL_MAX


def all_text(embeds: list[discord.Embed]) -> str:
    parts = []
    for e in embeds:
        parts.append(e.description or "")
        parts.extend(f"{f.name}\n{f.value}" for f in e.fields)
    return "\n".join(parts)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


CITES = [
    Citation(n=1, doc_id="a", title="Coalition meets in Washington", outlet="AP", date="2019-11-14"),
    Citation(n=2, doc_id="b", title="Sales urges repatriation", outlet=None, date="2019-11-16"),
    Citation(n=3, doc_id="c", title="Never cited in the text", outlet="ABC", date=None),
]


def test_short_reply_is_one_embed_with_its_sources() -> None:
    reply = Reply(command="who", title="Nathan Sales", lines=["Coordinator [1]", "Spoke in Rome [2]"],
                  citations=CITES)
    [embed] = render_reply(reply)
    within_limits(embed)
    assert embed.title == "Nathan Sales"
    assert embed.description == "Coordinator [1]\nSpoke in Rome [2]"
    assert embed.footer.text is None
    sources = next(f for f in embed.fields if f.name == "Sources")
    assert sources.value.splitlines() == [
        "[1] 2019-11-14 · AP — Coalition meets in Washington",
        "[2] 2019-11-16 — Sales urges repatriation",
        "[3] ABC — Never cited in the text",
    ]
    assert embed.colour == discord.Colour.blurple()


def test_long_body_pages_without_losing_a_word() -> None:
    lines = [f"line {i} " + "word " * 60 + f"[{1 + i % 2}]" for i in range(80)]
    lines.append("giant " * 2000)  # one line longer than a whole description
    reply = Reply(command="search", title="Search: word", lines=lines, citations=CITES)
    embeds = render_reply(reply)
    assert len(embeds) > 5
    for i, embed in enumerate(embeds, 1):
        within_limits(embed)
        assert embed.footer.text == f"Page {i}/{len(embeds)}"
    body = "\n".join(e.description or "" for e in embeds)
    assert words(body) == words("\n".join(lines))


def test_fields_split_at_1024_and_spill_past_25() -> None:
    fields = [ReplyField(name=f"Group {i}", value=f"value {i} " * 30) for i in range(40)]
    fields.append(ReplyField(name="Quotes", value="“quoted words here” [1]\n" * 150))
    fields.append(ReplyField(name="N" * 300, value="long name"))
    reply = Reply(command="figures", title="Figures", fields=fields, citations=CITES[:1])
    embeds = render_reply(reply)
    assert len(embeds) >= 3
    for embed in embeds:
        within_limits(embed)
    names = [f.name for e in embeds for f in e.fields]
    assert "Quotes" in names and "Quotes (cont.)" in names
    assert [n for n in names if n.startswith("Group")] == [f"Group {i}" for i in range(40)]
    text = all_text(embeds)
    assert text.count("“quoted words here”") == 150
    assert "N" * 300 in text  # the over-long field name is shown whole in its value


def test_long_title_is_marked_and_kept_whole_in_the_body() -> None:
    title = "A" * 300
    [embed] = render_reply(Reply(command="search", title=title, lines=["body"]))
    within_limits(embed)
    assert embed.title.endswith("…") and len(embed.title) == TITLE_MAX
    assert embed.description.startswith(title)


def test_everyone_and_user_mentions_are_neutralised() -> None:
    quote = "He said “@everyone, listen” and @here <@123456789012345678> <@&123456789012345678>"
    reply = Reply(command="quotes", title="@everyone quotes", lines=[quote],
                  fields=[ReplyField(name="@here", value="ping <@!123456789012345678>")])
    [embed] = render_reply(reply)
    text = f"{embed.title}\n{all_text([embed])}"
    assert "@everyone" not in text and "@here" not in text
    assert not re.search(r"<@[!&]?\d+>", text)
    assert "@\u200beveryone" in text
    assert neutralise("see <#123456789012345678>") == "see <#123456789012345678>"  # channels never ping


def test_plain_messages_split_at_2000() -> None:
    text = ("sentence number one. " * 300).strip()
    chunks = plain_chunks(text)
    assert len(chunks) == 4
    assert all(len(c) <= MESSAGE_MAX for c in chunks)
    assert words(" ".join(chunks)) == words(text)


def test_ambiguous_without_lines_lists_the_candidates() -> None:
    reply = Reply(status="ambiguous", command="who", title="Which Sales?", candidates=[
        Candidate(id="person:nathan-sales", name="Nathan Sales", kind="person"),
        Candidate(id="org:sales-corp", name="Sales Corp", kind="organization"),
    ])
    [embed] = render_reply(reply)
    assert embed.description == "Did you mean:\n• Nathan Sales (person)\n• Sales Corp (organization)"
    assert embed.colour == discord.Colour.gold()


def test_a_reply_with_nothing_still_renders_one_embed() -> None:
    [embed] = render_reply(Reply(status="not_found", command="who", title="No match for “xyz”"))
    within_limits(embed)
    assert embed.title == "No match for “xyz”"


text_st = st.text(st.characters(blacklist_categories=("Cs",)), max_size=1500)


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(max_size=400),
    lines=st.lists(text_st, max_size=30),
    fields=st.lists(st.tuples(st.text(max_size=300), text_st), max_size=30),
)
def test_any_reply_fits_every_limit_and_keeps_every_word(title: str, lines: list[str],
                                                         fields: list[tuple[str, str]]) -> None:
    reply = Reply(command="search", title=title, lines=lines, citations=CITES,
                  fields=[ReplyField(name=n, value=v) for n, v in fields])
    embeds = render_reply(reply)
    for embed in embeds:
        within_limits(embed)
    shown = words(neutralise("\n".join([e.title or "" for e in embeds] + [all_text(embeds)])))
    expected = words(neutralise("\n".join([title, *lines, *(f"{n}\n{v}" for n, v in fields)])))
    assert set(expected) <= set(shown)


def test_sources_listed_in_the_lines_are_not_repeated_and_long_titles_are_shortened() -> None:
    listing = Reply(command="sources", title="Sources", lines=["2019-11-14 · Coalition meets [1]"],
                    citations=CITES[:1], list_sources=False)
    [embed] = render_reply(listing)
    assert not embed.fields
    long = Citation(n=1, doc_id="a", title="word " * 100, outlet="AP", date="2019-11-14")
    [embed] = render_reply(Reply(command="who", title="x", lines=["y [1]"], citations=[long]))
    assert embed.fields[0].value.endswith("…") and len(embed.fields[0].value) < 160


def test_a_web_source_links_its_title() -> None:
    page = Citation(n=1, doc_id="a", title="Talks [live]", outlet="AP", date="2019-11-14", url="https://x.example/a")
    [embed] = render_reply(Reply(command="who", title="x", lines=["y [1]"], citations=[page]))
    assert embed.fields[0].value == "[1] 2019-11-14 · AP — [Talks (live)](<https://x.example/a>)"


def test_a_citation_marks_an_inferred_date() -> None:
    header = Citation(n=1, doc_id="a", title="Talks", outlet="Daily", date="2024-05-01", date_source="header")
    assert cite_line(header).startswith("[1] 2024-05-01 · Daily — ")
    inferred = header.model_copy(update={"date_source": "caption"})
    assert cite_line(inferred).startswith("[1] 2024-05-01 (inferred) · Daily — ")
