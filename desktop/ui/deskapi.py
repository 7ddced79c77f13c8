"""The slice of core's `Desk` the UI uses, as a Protocol, so panels run over a fake too."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import Future
from typing import TYPE_CHECKING, Protocol

from desktop.core.routing import RoutingRules, SeatStatus
from desktop.core.views import (
    AutoReplySettings,
    DunnedRow,
    DunningSettings,
    DunReport,
    FollowUpRow,
    HandoverFilter,
    HandoverRow,
    HandoverSettings,
    ItemState,
    ShiftRow,
    ResponseStatRow,
    UnpaidRow,
    PhraseDraft,
    PhraseImportReport,
    PhraseRow,
    RedLineHit,
    RedLineOverrideRow,
    RedLineRule,
    AssignmentRow,
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
    SeatProfile,
    SeatRow,
    SearchResults,
    ShopRow,
    StatusEventRow,
    TransferReport,
)

if TYPE_CHECKING:
    # Type-only: desktop.sdk imports httpx, which must not load before the first window.
    from desktop.sdk import PlatformInfo, ReplyDeadline, Tokens


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
    def webhook_settings(self) -> tuple[str, str]: ...
    def set_webhook_settings(self, listen: str, public_url: str) -> None:
        """Raises ValueError naming what is wrong; used from the next start."""
    def webhook_status(self) -> tuple[bool, str]: ...
    def webhook_url(self, shop_id: int) -> str: ...
    def plugin_statuses(self) -> Sequence[PluginStatusLike]: ...
    def platforms(self) -> list[PlatformInfo]: ...
    def test_connection(self, platform: str, platform_shop_id: str, credentials: Mapping[str, str],
                        settings: Mapping[str, object]) -> Future[None]: ...
    def oauth_authorize_url(self, platform: str, credentials: Mapping[str, str],
                            settings: Mapping[str, object], redirect_uri: str, state: str) -> str: ...
    def oauth_exchange(self, platform: str, platform_shop_id: str, credentials: Mapping[str, str],
                       settings: Mapping[str, object], code: str,
                       redirect_uri: str) -> Future[Tokens]: ...
    def can_authorize_self(self, platform: str) -> bool:
        """Whether the platform's adapter issues a token for a self-use app without a code."""
    def oauth_self(self, platform: str, platform_shop_id: str, credentials: Mapping[str, str],
                   settings: Mapping[str, object]) -> Future[Tokens]: ...
    def add_shop(self, platform: str, platform_shop_id: str, name: str,
                 credentials: Mapping[str, str], settings: Mapping[str, object]) -> Future[int]: ...
    def send_message(self, conversation_id: int, text: str) -> Future[int]:
        """Fails with RedLineRefused (nothing stored) when the text crosses a red line."""
    def send_overriding(self, conversation_id: int, text: str,
                        rules: Sequence[str]) -> Future[int]:
        """Send despite the hits of these rules (the agent's explicit override; logged)."""
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

    # -- search (issue 5) ------------------------------------------------------------------
    def search(self, query: str, limit: int = 50) -> SearchResults:
        """Every shop's messages, buyers, orders and remarks containing `query`, grouped,
        newest first. Called from a worker thread (the search dialog), never the GUI's."""

    # -- quick replies and platform red lines (issue 5) ------------------------------------
    def phrases(self, conversation_id: int | None = None) -> list[PhraseRow]:
        """For a chat: what to pick from there (shop overrides applied, favourite slots,
        picks so far); without: the whole library the seat sees (manager)."""
    def phrase_values(self, conversation_id: int) -> dict[str, str]:
        """What each variable ({买家}, {订单号}, …) means in the chat ("" = unknown)."""
    def save_phrase(self, draft: PhraseDraft, phrase_id: int | None = None, *,
                    allow_red_lines: bool = False) -> Future[int]:
        """Fails with PhraseError (a ValueError) or RedLineRefused."""
    def delete_phrase(self, phrase_id: int) -> Future[None]: ...
    def set_favorite_phrase(self, slot: int, phrase_id: int | None, *,
                            team: bool = False) -> Future[None]: ...
    def record_phrase_use(self, phrase_id: int, conversation_id: int) -> Future[int]: ...
    def export_phrases_csv(self, path: str, team: bool | None = None) -> Future[int]: ...
    def import_phrases_csv(self, path: str) -> Future[PhraseImportReport]: ...
    def red_line_hits(self, text: str, platforms: Sequence[str]) -> list[RedLineHit]:
        """Cheap (compiled rules): called as the agent types."""
    def red_line_sets(self) -> list[tuple[str, str]]:
        """(platform id, name) of every rule set, common first."""
    def red_line_rules(self, platform: str) -> list[RedLineRule]: ...
    def save_red_line_rule(self, rule: RedLineRule) -> Future[ChangeNotice]:
        """A lead's edit; fails with PermissionError or ValueError (a broken pattern)."""
    def reset_red_line_rule(self, platform: str, key: str) -> Future[ChangeNotice]: ...
    def red_line_overrides(self, limit: int = 200) -> list[RedLineOverrideRow]: ...

    # -- auto-replies, dunning, reply clocks (issue 5) ------------------------------------
    def reply_deadlines(self) -> dict[int, ReplyDeadline]:
        """shop id → its platform's reply deadline (shops without one left out)."""
    def response_stats(self, since: int, until: int | None = None) -> list[ResponseStatRow]:
        """First and average response times per seat and shop, answers in [since, until)."""
    def auto_reply_settings(self, shop_id: int) -> AutoReplySettings: ...
    def set_auto_reply_settings(self, shop_id: int,
                                settings: AutoReplySettings) -> Future[AutoReplySettings]:
        """Fails with AutoReplyError (a ValueError) saying what is wrong."""
    def unpaid_orders(self, shop_ids: frozenset[int] | None = None) -> list[UnpaidRow]: ...
    def dunned_orders(self, since: int, until: int | None = None,
                      shop_ids: frozenset[int] | None = None) -> list[DunnedRow]: ...
    def dunning_settings(self) -> DunningSettings: ...
    def set_dunning_settings(self, settings: DunningSettings) -> Future[DunningSettings]:
        """Fails with DunningError (a ValueError) saying what is wrong."""
    def dun(self, order_ids: Sequence[int]) -> Future[DunReport]:
        """Dun each order's buyer; refusals (too soon, …) come back in the report."""

    # -- seats, routing, transfer (issue 4) -----------------------------------------------
    @property
    def seat_id(self) -> int | None:
        """The seat this app is signed in as (None before sign_in / after sign_out)."""
    @property
    def home_seat_id(self) -> int | None:
        """The seat of settings' seat.name: the one to sign in as at start."""
    def seats(self, *, include_disabled: bool = False) -> list[SeatRow]: ...
    def seat(self) -> SeatRow | None:
        """The signed-in seat's row."""
    def is_lead(self) -> bool: ...
    def team_groups(self) -> list[str]: ...
    def routing_rules(self) -> RoutingRules: ...
    def assignment_log(self, conversation_id: int) -> list[AssignmentRow]: ...
    def status_timeline(self, seat_id: int, since: int = 0) -> list[StatusEventRow]: ...
    @property
    def team_mode(self) -> bool:
        """On a shared PostgreSQL: each seat is a person; no switching profiles."""
    def set_home_seat(self, seat_id: int) -> None:
        """Start as this seat next time (settings' seat.name)."""
    def sign_in(self, seat_id: int) -> Future[None]: ...
    def sign_out(self) -> Future[None]: ...
    def set_seat_status(self, seat_id: int, status: SeatStatus) -> Future[None]: ...
    def save_seat(self, profile: SeatProfile, seat_id: int | None = None) -> Future[int]:
        """Create (seat_id None) or change a seat; → its id. Fails with SeatError."""
    def set_seat_enabled(self, seat_id: int, enabled: bool) -> Future[None]: ...
    def set_routing_rules(self, rules: RoutingRules) -> Future[None]: ...
    def transfer(self, versions: Mapping[int, int], *, to_seat_id: int | None = None,
                 to_group: str = "", reason: str = "",
                 return_minutes: int | None = None) -> Future[TransferReport]:
        """Hand chats (id → the assign_version shown) to a seat or a group."""
    def claim(self, conversation_id: int, version: int) -> Future[TransferReport]:
        """Take a chat (from the queue; a lead from anyone) to the signed-in seat."""
    def release_seat(self, seat_id: int) -> Future[None]:
        """Every open chat of the seat back to routing; the seat is suspended."""

    # -- shifts and handover (issue 6) ------------------------------------------------------
    def handover_settings(self) -> HandoverSettings:
        """The team's follow-up tag, shift time zone, reminder lead time, overdue hours."""
    def set_handover_settings(self, settings: HandoverSettings) -> Future[HandoverSettings]:
        """Fails with ValueError on an unknown time zone or a number out of range."""
    def shifts(self) -> list[ShiftRow]: ...
    def save_shift(self, name: str, start: str, end: str, weekdays: Collection[int],
                   seat_ids: Collection[int], shift_id: int | None = None) -> Future[int]:
        """Create or change a shift and its roster; fails with ValueError on a bad time."""
    def delete_shift(self, shift_id: int) -> Future[None]: ...
    def current_shift(self, seat_id: int | None = None, at_ms: int | None = None) -> ShiftRow | None:
        """The shift the seat (this app's by default) works now."""
    def next_shift(self, after_shift_id: int | None = None,
                   at_ms: int | None = None) -> ShiftRow | None:
        """The shift that starts next after `after_shift_id` (by default this seat's current one)."""
    def shift_window(self, shift_id: int, at_ms: int | None = None) -> tuple[int, int] | None:
        """(start, end) ms of the shift's run going on at `at_ms` (now), else its next run."""
    def draft_handover(self, seat_id: int | None = None) -> HandoverRow:
        """A fresh draft (id 0) from what is open and the undone items left to the seat."""
    def save_handover(self, handover: HandoverRow) -> Future[int]: ...
    def send_handover(self, handover_id: int, release_chats: bool = False) -> Future[int]:
        """→ the number of chats handed to the next shift's seats (with release_chats)."""
    def handovers(self, flt: HandoverFilter, limit: int = 100) -> list[HandoverRow]:
        """Sent handovers (and this seat's drafts), newest first."""
    def handover(self, handover_id: int) -> HandoverRow | None: ...
    def unread_handovers(self, seat_id: int | None = None) -> list[HandoverRow]:
        """Sent to the seat or its shift, not acknowledged by it yet: newest first."""
    def acknowledge_handover(self, handover_id: int) -> Future[None]: ...
    def set_item_state(self, item_id: int, state: ItemState,
                       note: str | None = None) -> Future[None]: ...
    def add_follow_up(self, conversation_id: int, due_at_ms: int, note: str,
                      for_seat_id: int | None) -> Future[int]:
        """Remind `for_seat_id` (None: whoever works the next shift) at `due_at_ms`."""
    def follow_ups(self, seat_id: int | None = None, due_before: int | None = None,
                   open_only: bool = True) -> list[FollowUpRow]:
        """Promises for the seat (this app's) and for the next shift, soonest due first."""
    def complete_follow_up(self, follow_up_id: int) -> Future[None]: ...
    def handover_text(self, handover_id_or_row: int | HandoverRow, markdown: bool = True) -> str:
        """The export: Markdown or plain text, Chinese headings."""
    def handover_report(self, since_ms: int, until_ms: int) -> list[HandoverRow]:
        """For leads: the handovers sent in [since, until)."""

    def add_listener(self, callback: Callable[[ChangeNotice], None]) -> None: ...
