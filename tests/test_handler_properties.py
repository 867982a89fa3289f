"""Property tests: any string given to any command returns a reply (never an exception), with citations
that match the lines; autocomplete always returns a bounded list."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers import commands as c
from handlers.index import Index
from handlers.models import Reply
from tests.factories import build_mini_index

# Text a user might send: any unicode (surrogates, controls, combining marks included), FTS operators,
# names of the index, and long runs.
WORDS = ["okafor", "Marsh", "NRA", "refugees", '"', "*", "NEAR(", "AND", "OR", "NOT", ":", "^", "(", ")", "-",
         "!who", "/figures", "digest", "7d", "\x00", "\u0301", "’s", "person:ada-okafor"]
user_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join),
    st.text(min_size=300, max_size=5000),
)
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class Failures(logging.Handler):
    """Records every error the handlers log: a logged failure is a bug even though a reply came back."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    index = Index.open(build_mini_index(tmp_path_factory.mktemp("props") / "mini.sqlite3"))
    yield index
    index.close()


@pytest.fixture(scope="module")
def failures() -> Iterator[Failures]:
    handler = Failures()
    logger = logging.getLogger("handlers")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def check(reply: Reply) -> None:
    assert isinstance(reply, Reply)
    assert reply.status in {"ok", "ambiguous", "not_found", "error"}
    assert reply.title and len(reply.title) <= 256
    used = {int(n) for line in reply.lines for n in re.findall(r"\[(\d+)\]", line)}
    assert used <= {cit.n for cit in reply.citations}
    reply.model_dump_json()  # serialisable: what --json and the bot send


@PROPS
@given(text=user_text)
def test_every_command_answers_any_text(mini: Index, failures: Failures, text: str) -> None:
    for reply in (c.who(mini, text), c.quotes(mini, text), c.quotes(mini, "okafor", text), c.figures(mini, text),
                  c.search(mini, text), c.timeline(mini, text), c.dispatch(mini, text),
                  c.dispatch(mini, "!who " + text), c.dispatch(mini, "!quotes " + text),
                  c.dispatch(mini, "!digest " + text)):
        check(reply)
    assert not failures.records, failures.records[0].getMessage()


@PROPS
@given(text=user_text, limit=st.integers(min_value=-5, max_value=200))
def test_autocomplete_answers_any_text(mini: Index, text: str, limit: int) -> None:
    out = c.autocomplete(mini, text, limit=limit)
    assert isinstance(out, list)
    assert len(out) <= max(limit, 0)


@PROPS
@given(prefix=st.text(min_size=1, max_size=3), text=user_text)
def test_dispatch_with_any_prefix(mini: Index, failures: Failures, prefix: str, text: str) -> None:
    check(c.dispatch(mini, prefix + text, prefix=prefix))
    assert not failures.records


def test_help_and_sources_need_no_arguments(mini: Index) -> None:
    check(c.help_reply())
    check(c.sources(mini))
    check(c.digest(mini))


def test_seed_index_answers_random_text(seed_index: Path) -> None:
    """A short run over the real index: its quirks (long titles, odd dates) never break a reply."""
    with Index.open(seed_index) as index:

        @settings(max_examples=60, deadline=None)
        @given(text=user_text)
        def run(text: str) -> None:
            for command in ("who", "quotes", "figures", "search", "timeline"):
                check(c.dispatch(index, f"!{command} {text}"))

        run()
