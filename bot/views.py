"""Interactive message parts: the author-only page turner and the candidate picker.

Both answer only the person who asked (others get a short ephemeral refusal) and disable their
controls when they time out, so a stale message never shows buttons that do nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import discord

from bot.render import NO_MENTIONS, SELECT_LABEL_MAX, render_reply
from handlers.models import Candidate, Reply

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 180.0


class AuthorOnlyView(discord.ui.View):
    """A view only its author may use (anyone when `author_id` is None: a scheduled digest); its items are
    disabled when it times out."""

    def __init__(self, author_id: int | None, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.author_id = author_id
        self.message: discord.Message | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if self.author_id is None or interaction.user.id == self.author_id:
            return True
        await interaction.response.send_message(
            "Only the person who asked can use these controls — run the command yourself to get your own.",
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        return False

    def disable_all(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True

    async def on_timeout(self) -> None:
        self.disable_all()
        if self.message is None:
            return
        try:
            await self.message.edit(view=self, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:  # deleted message, lost access: nothing left to clean
            log.info("could not disable the controls of message %s: %s", self.message.id, exc)

    async def on_error(self, interaction: discord.Interaction, error: Exception,
                       item: discord.ui.Item) -> None:
        log.exception("view %s failed for user %s on item %r", type(self).__name__, interaction.user.id, item,
                      exc_info=error)
        responder = interaction.followup.send if interaction.response.is_done() else \
            interaction.response.send_message
        await responder("Sorry, that failed on my side; it has been logged.", ephemeral=True,
                        allowed_mentions=NO_MENTIONS)


class Paginator(AuthorOnlyView):
    """◀ / ▶ through a list of embeds; the middle button shows the page number."""

    def __init__(self, pages: list[discord.Embed], author_id: int | None, *,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(author_id, timeout=timeout)
        if len(pages) < 2:
            raise ValueError("a paginator needs at least two pages")
        self.pages = pages
        self.index = 0
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index == len(self.pages) - 1
        self.counter.label = f"{self.index + 1}/{len(self.pages)}"

    async def _show(self, interaction: discord.Interaction, index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        self._sync()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self,
                                                allowed_mentions=NO_MENTIONS)

    @discord.ui.button(label="◀", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        await self._show(interaction, self.index - 1)

    @discord.ui.button(label="1/1", style=discord.ButtonStyle.secondary, disabled=True)
    async def counter(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        await interaction.response.defer()  # never enabled; present only to show the page number

    @discord.ui.button(label="▶", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        await self._show(interaction, self.index + 1)


def view_for(reply: Reply, pages: list[discord.Embed], author_id: int, answer: Callable[[str], Reply] | None,
             *, timeout: float = DEFAULT_TIMEOUT) -> AuthorOnlyView | None:
    """The controls a reply needs: candidates to pick from (when `answer` can answer a pick), pages to
    turn, or none."""
    if answer is not None and reply.status in ("ambiguous", "not_found") and reply.candidates:
        return CandidatePicker(reply.candidates, author_id, answer, timeout=timeout)
    if len(pages) > 1:
        return Paginator(pages, author_id, timeout=timeout)
    return None


class CandidatePicker(AuthorOnlyView):
    """A select menu of candidate entities; picking one replaces the message with that answer."""

    def __init__(self, candidates: list[Candidate], author_id: int, answer: Callable[[str], Reply],
                 *, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(author_id, timeout=timeout)
        self.answer = answer
        self.select = discord.ui.Select(placeholder="Which one did you mean?", min_values=1, max_values=1)
        for c in candidates[:25]:
            label = f"{c.name} ({c.kind})"
            if len(label) > SELECT_LABEL_MAX:
                label = label[: SELECT_LABEL_MAX - 1] + "…"
            self.select.add_option(label=label, value=c.id[:SELECT_LABEL_MAX])
        self.select.callback = self._picked
        self.add_item(self.select)

    async def _picked(self, interaction: discord.Interaction) -> None:
        reply = self.answer(self.select.values[0])
        pages = render_reply(reply)
        follow_up = view_for(reply, pages, self.author_id, self.answer, timeout=self.timeout or DEFAULT_TIMEOUT)
        self.stop()
        await interaction.response.edit_message(embed=pages[0], view=follow_up, allowed_mentions=NO_MENTIONS)
        if follow_up is not None:
            follow_up.message = interaction.message
