"""The slice of core's `Desk` the UI uses, as a Protocol, so panels run over a fake too."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import TYPE_CHECKING, Protocol

from desktop.core.views import (
    BuyerProfile,
    CaseFilter,
    CaseItemRow,
    CaseRow,
    ChangeNotice,
    ConversationRow,
    ImportReport,
    InboxFilter,
    LabelRow,
    MessageRow,
    OrderFilter,
    OrderRow,
    RemarkRow,
    ShopRow,
)

if TYPE_CHECKING:
    # Type-only: desktop.sdk imports httpx, which must not load before the first window.
    from desktop.sdk import PlatformInfo


class PluginStatusLike(Protocol):
    """What the plugins dialog shows of one loaded (or broken) platform plugin."""

    @property
    def name(self) -> str: ...
    @property
    def platform_id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def error(self) -> str | None: ...


class DeskLike(Protocol):
    """Structurally satisfied by `desktop.core.desk.Desk` and by `tests/ui/fakes.FakeDesk`."""

    @property
    def seat_name(self) -> str: ...

    def shops(self) -> list[ShopRow]: ...
    def conversation_ids(self, flt: InboxFilter, limit: int | None = None,
                         offset: int = 0) -> list[int]: ...
    def count_conversations(self, flt: InboxFilter) -> int: ...
    def conversation_rows(self, ids: Sequence[int]) -> dict[int, ConversationRow]: ...
    def messages(self, conversation_id: int, limit: int = 200) -> list[MessageRow]: ...
    def orders_for_conversation(self, conversation_id: int) -> list[OrderRow]: ...
    def platform_info(self, platform_id: str) -> PlatformInfo | None: ...
    def plugin_statuses(self) -> Sequence[PluginStatusLike]: ...
    def send_message(self, conversation_id: int, text: str) -> Future[int]: ...
    def retry_outbox(self, outbox_id: int) -> Future[None]: ...
    def mark_read(self, conversation_id: int) -> Future[None]: ...
    def close_conversation(self, conversation_id: int) -> Future[None]: ...

    # -- buyers: tags, groups, note (issue 3) --------------------------------------------
    def buyer_profile(self, conversation_id: int) -> BuyerProfile | None: ...
    def labels(self, kind: str | None = None) -> list[LabelRow]:
        """The catalogue (kind "tag" / "group" / None = both) by name, with buyer counts."""
    def add_labels(self, buyer_ids: Sequence[int], kind: str,
                   names: Sequence[str]) -> Future[None]:
        """Put the buyers under these tags/groups, creating any name not known yet."""
    def remove_label(self, buyer_ids: Sequence[int], label_id: int) -> Future[None]: ...
    def create_label(self, kind: str, name: str, color: str) -> Future[int]: ...
    def rename_label(self, label_id: int, name: str) -> Future[None]: ...
    def recolor_label(self, label_id: int, color: str) -> Future[None]: ...
    def merge_labels(self, source_id: int, target_id: int) -> Future[None]:
        """Every buyer of `source` gets `target`; `source` is deleted."""
    def delete_label(self, label_id: int) -> Future[None]: ...
    def set_buyer_note(self, buyer_id: int, text: str) -> Future[None]: ...
    def export_labels_csv(self, path: str) -> Future[int]:
        """→ the number of buyers written."""
    def import_labels_csv(self, path: str) -> Future[ImportReport]: ...

    # -- orders, remarks, after-sale cases (issue 3) --------------------------------------
    def orders(self, flt: OrderFilter, limit: int | None = None,
               offset: int = 0) -> list[OrderRow]: ...
    def count_orders(self, flt: OrderFilter) -> int: ...
    def order(self, order_id: int) -> OrderRow | None: ...
    def remarks(self, order_id: int) -> list[RemarkRow]:
        """The order's local remark history, newest first."""
    def compose_memo(self, text: str, at_ms: int | None = None) -> str:
        """The memo as it will be pushed: the team's format with author and time."""
    @property
    def remark_format(self) -> str: ...
    def set_remark_format(self, fmt: str) -> None:
        """Raises ValueError unless `fmt` holds {text} and only {author}/{time} besides."""
    def add_remark(self, order_id: int, text: str, flag: int | None) -> Future[int]:
        """Keep the remark and queue its memo for the platform; → remark id. Fails
        with ValueError when the platform's memo limit is exceeded."""
    def cases(self, flt: CaseFilter) -> list[CaseRow]: ...
    def case(self, case_id: int) -> CaseRow | None:
        """One case with its history."""
    def open_case(self, order_id: int, kind: str, reason: str, items: Sequence[CaseItemRow],
                  return_waybill: str = "", note: str = "") -> Future[int]: ...
    def update_case(self, case_id: int, *, state: str | None = None,
                    return_waybill: str | None = None, note: str | None = None,
                    reason: str | None = None) -> Future[int]:
        """→ the case's order id. Fails with ValueError on a state change
        next_case_states() does not allow."""
    def add_listener(self, callback: Callable[[ChangeNotice], None]) -> None: ...
