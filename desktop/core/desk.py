"""The desk: what the UI may ask of core — short reads, and commands run by the engine."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import TYPE_CHECKING

from . import queries
from .views import ChangeNotice, ConversationRow, InboxFilter, MessageRow, OrderRow, ShopRow

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desktop.sdk import PlatformInfo

    from .engine import EngineRunner
    from .registry import PluginStatus, Registry


class Desk:
    """One seat's view of the store. Reads run on the caller's thread (short,
    indexed, WAL beside the writer); every write is a command the engine
    thread runs, so the UI never waits on the database lock or the network."""

    def __init__(
        self, db: Engine, registry: Registry, runner: EngineRunner, seat_name: str
    ) -> None:
        self._db = db
        self._registry = registry
        self._runner = runner
        self.seat_name = seat_name

    # -- reads ---------------------------------------------------------------
    def shops(self) -> list[ShopRow]:
        return queries.shops(self._db, self._registry)

    def conversation_ids(self, flt: InboxFilter, limit: int | None = None,
                         offset: int = 0) -> list[int]:
        """Ids in inbox order (the buyer who has waited longest first); a window of
        `limit` ids from `offset` when given."""
        return queries.conversation_ids(self._db, flt, limit, offset)

    def count_conversations(self, flt: InboxFilter) -> int:
        return queries.count_conversations(self._db, flt)

    def conversation_rows(self, ids: Sequence[int]) -> dict[int, ConversationRow]:
        return queries.conversation_rows(self._db, self._registry, ids)

    def messages(self, conversation_id: int, limit: int = 200) -> list[MessageRow]:
        """The newest `limit` messages, oldest first."""
        return queries.messages(self._db, conversation_id, limit)

    def orders_for_conversation(self, conversation_id: int) -> list[OrderRow]:
        """The buyer's orders in that conversation's shop, newest first."""
        return queries.orders_for_conversation(self._db, self._registry, conversation_id)

    def platform_info(self, platform_id: str) -> PlatformInfo | None:
        return self._registry.info(platform_id)

    def plugin_statuses(self) -> list[PluginStatus]:
        return self._registry.statuses()

    # -- commands (run on the engine thread) ---------------------------------
    def send_message(self, conversation_id: int, text: str) -> Future[int]:
        """Store the message as pending and queue it in the outbox; → message id."""
        return self._runner.submit_send(conversation_id, text, self.seat_name)

    def retry_outbox(self, outbox_id: int) -> Future[None]:
        return self._runner.submit_retry(outbox_id)

    def mark_read(self, conversation_id: int) -> Future[None]:
        return self._runner.submit_mark_read(conversation_id)

    def close_conversation(self, conversation_id: int) -> Future[None]:
        """End the chat; it leaves the open inbox until the buyer writes again."""
        return self._runner.submit_close(conversation_id)

    # -- change notices --------------------------------------------------------
    def add_listener(self, callback: Callable[[ChangeNotice], None]) -> None:
        """`callback` runs on the engine thread; the UI bridge hops it to Qt."""
        self._runner.add_listener(callback)
