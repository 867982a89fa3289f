"""The `briefbot` command: build, export, ask, console, run, start."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefbot.settings import Settings, SettingsError, load_settings


def _index_path(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.index) if args.index else settings.index


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from corpus.build import build_index, index_roots, print_summary

    index = _index_path(args, settings)
    paths = [Path(p) for p in args.paths] or index_roots(index) or [settings.seeds]
    report = build_index(paths, index, jobs=args.jobs, aliases_file=settings.aliases_file,
                         progress=not args.quiet, prune=args.prune)
    print_summary(report)
    return 0 if report.documents or not report.skipped else 1


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    from corpus.build import print_summary, remove_documents

    print_summary(remove_documents(_index_path(args, settings), args.targets, aliases_file=settings.aliases_file))
    return 0


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    """Fetch pages by URL into the pages folder and index them."""
    import asyncio

    from corpus.build import build_index, print_summary
    from corpus.sources import save_pages

    saved = asyncio.run(save_pages(args.urls, settings.pages_dir, allow_private=settings.fetch_allow_private))
    for s in saved:
        print(f"{s.url}: {s.reason if s.status == 'failed' else s.status}")
    if any(s.status != "failed" for s in saved):
        report = build_index([settings.pages_dir], _index_path(args, settings), aliases_file=settings.aliases_file,
                             progress=False)
        print_summary(report)
    return 0 if all(s.status != "failed" for s in saved) else 1


def cmd_feed(args: argparse.Namespace, settings: Settings) -> int:
    """Follow, list, stop following or poll feeds."""
    import asyncio

    from corpus.build import build_index, print_summary
    from corpus.sources import FeedStore

    with FeedStore(settings.feeds_file) as store:
        if args.action == "add":
            for url in args.urls:
                print(f"{url}: {'following' if store.add(url, settings.fetch_allow_private) else 'already followed'}")
        elif args.action == "remove":
            for url in args.urls:
                print(f"{url}: {'no longer followed' if store.remove(url) else 'was not followed'}")
        elif args.action == "list":
            for f in store.feeds():
                state = f"error: {f.last_error}" if f.last_error else "ok"
                print(f"{f.url}  {f.title or ''}  next poll {f.next_poll}  {state}")
        else:  # poll
            results = asyncio.run(store.poll_due(settings.pages_dir, allow_private=settings.fetch_allow_private))
            for r in results:
                print(f"{r.feed}: {r.error or ('not modified' if r.not_modified else f'{len(r.new_pages)} new')}"
                      + "".join(f"\n  {s.url}: {s.reason}" for s in r.failed))
            if any(r.new_pages for r in results):
                print_summary(build_index([settings.pages_dir], _index_path(args, settings),
                                          aliases_file=settings.aliases_file))
        return 0


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Poll the followed feeds and watch BRIEFBOT_WATCH folders into the index until interrupted, without
    Discord (for a separate ingestion process)."""
    import asyncio
    import logging

    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from bot.live import LiveIngest

    logging.basicConfig(level=getattr(logging, settings.log_level), format="%(asctime)s %(levelname)s %(message)s")
    if args.index:
        settings = settings.model_copy(update={"index": Path(args.index)})

    async def serve() -> None:
        scheduler = AsyncIOScheduler()
        scheduler.start()
        live = LiveIngest(settings)
        live.start(scheduler)
        try:
            await asyncio.Event().wait()
        finally:
            await live.stop()
            scheduler.shutdown(wait=False)

    asyncio.run(serve())
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from corpus.store import open_index, read_export

    conn = open_index(_index_path(args, settings))
    sys.stdout.write(read_export(conn).model_dump_json(indent=2) + "\n")
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import ask

    return ask(_index_path(args, settings), " ".join(args.command), as_json=args.json)


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_console

    return run_console(_index_path(args, settings))


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import run_bot

    if args.index:
        settings = settings.model_copy(update={"index": Path(args.index)})
    return run_bot(settings)


def cmd_start(args: argparse.Namespace, settings: Settings) -> int:
    """What `make run` does: build the index from the seeds if needed, then the bot or, with no token, the
    console. An index built from other files is left as it is; one built from the seeds is refreshed."""
    from corpus.build import build_index, print_summary

    index = _index_path(args, settings)
    if _needs_seed_build(index, settings.seeds):
        report = build_index([settings.seeds], index, aliases_file=settings.aliases_file, progress=True)
        if report.changed:
            print_summary(report)
    if settings.discord_token is None:
        print("No DISCORD_TOKEN set: opening the console (set it in .env to start the Discord bot).")
        return cmd_console(args, settings)
    return cmd_run(args, settings)


def _needs_seed_build(index: Path, seeds: Path) -> bool:
    """True when the index is missing or unusable, or holds only documents from the seeds folder."""
    from corpus.store import IndexUnavailable, open_index

    try:
        conn = open_index(index)
    except IndexUnavailable:
        return True
    try:
        paths = [Path(p).resolve() for (p,) in conn.execute("SELECT path FROM documents")]
    finally:
        conn.close()
    root = seeds.resolve()
    return all(path.is_relative_to(root) for path in paths)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="briefbot", description="A Discord briefing assistant over a news corpus.")
    sub = top.add_subparsers(dest="cmd", required=True, metavar="COMMAND")

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("--index", help="index file (default: BRIEFBOT_INDEX, else data/briefbot.sqlite3)")
        return p

    b = add("build", "Add or update articles (.txt, .md files and folders) in the index. Documents whose files "
                     "are gone from a folder being built are removed; nothing else is.")
    b.add_argument("paths", nargs="*",
                   help="files or folders, searched recursively (default: the folders the index was built from, "
                        "else seeds/)")
    b.add_argument("--jobs", type=int, default=1, help="parser processes (default 1)")
    b.add_argument("--prune", action="store_true", help="also remove documents whose files are gone, wherever")
    b.add_argument("--quiet", action="store_true", help="no progress output")
    b.set_defaults(func=cmd_build)

    rm = add("remove", "Remove documents from the index, by id or by the file or folder they came from.")
    rm.add_argument("targets", nargs="+", help="document ids, files or folders")
    rm.set_defaults(func=cmd_remove)

    ad = add("add", "Fetch web pages by URL and add them to the index (kept in BRIEFBOT_PAGES).")
    ad.add_argument("urls", nargs="+", help="http(s) addresses of articles")
    ad.set_defaults(func=cmd_add)

    fd = add("feed", "Follow RSS/Atom/JSON feeds: add, list, remove, or poll the due ones now.")
    fd.add_argument("action", choices=["add", "list", "remove", "poll"])
    fd.add_argument("urls", nargs="*", help="feed addresses (add, remove)")
    fd.set_defaults(func=cmd_feed)

    ing = add("ingest", "Poll followed feeds and watch BRIEFBOT_WATCH folders into the index, without Discord.")
    ing.set_defaults(func=cmd_ingest)

    e = add("export", "Print the whole index as JSON (schema in README.md).")
    e.set_defaults(func=cmd_export)

    a = add("ask", 'Answer one command and exit, e.g. briefbot ask "!who Sales".')
    a.add_argument("command", nargs="+", help="a command such as '!who Sales' (leading ! or / optional)")
    a.add_argument("--json", action="store_true", help="print the reply model as JSON")
    a.set_defaults(func=cmd_ask)

    c = add("console", "An interactive prompt over the same commands as the bot.")
    c.set_defaults(func=cmd_console)

    r = add("run", "Start the Discord bot (needs DISCORD_TOKEN).")
    r.set_defaults(func=cmd_run)

    s = add("start", "Build the index from seeds/ if needed, then the bot (DISCORD_TOKEN set) or the console.")
    s.set_defaults(func=cmd_start)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        return 2
    from corpus.build import BuildError
    from corpus.fetch import FetchError
    from corpus.store import IndexUnavailable

    try:
        return int(args.func(args, settings))
    except (IndexUnavailable, BuildError, FetchError) as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into a command that stopped reading (`| head`)
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
