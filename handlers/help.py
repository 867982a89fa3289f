"""`help`: every command with an example taken from the index itself."""

from __future__ import annotations

from typing import NamedTuple

from handlers import query
from handlers.index import Index
from handlers.models import Reply
from handlers.text import fold


class Command(NamedTuple):
    usage: str
    what: str
    example: str  # with {person}, {org}, {place}, {doc} filled from the index
    discord_only: bool = False


COMMANDS: dict[str, Command] = {
    "who": Command("who <name or role>", "who or what a name is: roles, quotes, figures, related names; a role "
                   "(“minister”) lists the people who held it", "who {person}"),
    "quotes": Command("quotes [name, role or unknown] [words]", "what someone said, newest first (no name: the "
                      "latest quotes; unknown: those with no known speaker)", "quotes {person}"),
    "figures": Command("figures [topic or name]", "key numbers, how many sources state them, and conflicts",
                       "figures {org}"),
    "search": Command("search <words>", "sentences, best first: \"a phrase\", OR, NOT or -word, from:2019-11, "
                      "to:2019-12, source:outlet, page:2", "search {place}"),
    "sources": Command("sources [name, outlet or date range]", "the documents: all, those mentioning a name, "
                       "from an outlet, or dated in a range (2019, 2019-01..2019-06)", "sources {person}"),
    "doc": Command("doc <id>[#sentence] or doc <n>", "one document: title, outlet, file, date and how it is "
                   "known, and a sentence with its neighbours; doc <n> opens source [n] of your last answer",
                   "doc {doc}"),
    "timeline": Command("timeline [topic or name] [year or range]", "dated events and statements in order",
                        "timeline {org}"),
    "trend": Command("trend <name or topic>", "how often it is mentioned per week or month, as a chart",
                     "trend {person}"),
    "digest": Command("digest [now] [since]", "what is new in the index since 7d, 24h, yesterday or a date "
                      "(default: the latest week)", "digest 7d"),
    "digest subscribe": Command("digest subscribe <HH:MM> [daily|weekdays|weekly] [day] [time zone] [#channel]",
                                "post the digest on a schedule", "digest subscribe 08:00 weekdays", True),
    "digest list": Command("digest list", "the scheduled digests of this server and your DMs", "digest list",
                           True),
    "digest unsubscribe": Command("digest unsubscribe <id>", "stop a scheduled digest", "digest unsubscribe ab12",
                                  True),
    "sync": Command("sync [guild|global|clear]", "owners only: publish the slash commands", "sync", True),
    "help": Command("help [command]", "this list, or one command", "help search"),
}


def examples(index: Index | None) -> dict[str, str]:
    """Example arguments from the index: its most mentioned person, organisation or group, place, and its
    newest document (generic words when the index has none)."""
    found = {"person": "Smith", "org": "the council", "place": "Paris", "doc": "d1"}
    if index is None:
        return found
    res = index.resolver
    for key, kinds in (("person", ("person",)), ("org", ("organization",)), ("place", ("place",))):
        top = res.top(kinds, 1)
        if top:
            name = top[0].name
            short = name.split()[-1] if key == "person" else name
            # a surname is the example only when it finds the same person
            check = res.resolve(short, ("person",)) if key == "person" else None
            found[key] = short if check is None or check.entity_id == top[0].id else name
    docs, _ = query.newest_documents(index.conn, 1)
    if docs:
        found["doc"] = docs[0].id
    return found


def help_reply(prefix: str = "!", index: Index | None = None, command: str = "", *,
               console: bool = False) -> Reply:
    """Every command (or the one asked about) with an example from the index; in the console, the commands
    that need Discord say so."""
    filled = examples(index)
    wanted = fold(command.lstrip(prefix + "/"))
    chosen = {k: c for k, c in COMMANDS.items() if not wanted or k == wanted or k.startswith(wanted + " ")}
    if not chosen:
        chosen = COMMANDS
    lines = []
    for c in chosen.values():
        where = " (Discord only)" if console and c.discord_only else ""
        lines.append(f"{prefix}{c.usage} — {c.what}.{where} Example: {prefix}{c.example.format(**filled)}")
    if len(chosen) > 1:
        lines.append("Names can be partial or misspelt: a surname, a first name, an acronym, a typo.")
        if index is not None:
            people = index.resolver.top(("person",), 3)
            if people:
                lines.append("Some names in this index: " + ", ".join(c.name for c in people))
    return Reply(command="help", title="briefbot commands", lines=lines)
