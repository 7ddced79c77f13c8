"""The desk: what the UI may ask of core — short reads, and commands run by the engine."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import Future
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from pathlib import Path

from . import aftersale, assign, autoreply, buyers, clocks, dunning, orderbook, queries, seats
from .clock import now_ms
from . import phrasebook, redline_store
from .redlines import RedLineRefused
from .phrases import context_values
from .routing import RoutingRules, SeatStatus
from .remarks import DEFAULT_FORMAT, DEFAULT_TIME_FORMAT, compose_memo
from .search import GROUP_LIMIT, search as search_store
from .views import (
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
from . import handover as handovers_store, handover_draft, shifts as shift_store
from .handover_text import as_text as handover_as_text
from .views import (
    FollowUpRow,
    HandoverFilter,
    HandoverRow,
    HandoverSettings,
    ItemState,
    ShiftRow,
)
from .views import (
    AutoReplySettings,
    DunnedRow,
    DunningSettings,
    DunReport,
    ResponseStatRow,
    UnpaidRow,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desktop.sdk import Capability, PlatformInfo, ReplyDeadline, Tokens

    from .engine import EngineRunner
    from .registry import PluginStatus, Registry
    from .settings import Settings


T = TypeVar("T")


def _same(notice: ChangeNotice) -> ChangeNotice:
    """For store functions that return their own change notice."""
    return notice


class Desk:
    """One seat's view of the store. Reads run on the caller's thread (short,
    indexed, WAL beside the writer); every write is a command the engine
    thread runs, so the UI never waits on the database lock or the network."""

    def __init__(
        self, db: Engine, registry: Registry, runner: EngineRunner, seat_name: str, *,
        remark_format: str = DEFAULT_FORMAT, remark_time_format: str = DEFAULT_TIME_FORMAT,
        settings: Settings | None = None,
    ) -> None:
        self._db = db
        self._registry = registry
        self._runner = runner
        self.seat_name = seat_name
        self.remark_format = remark_format
        self.remark_time_format = remark_time_format
        self._settings = settings
        self.seat_id: int | None = None  # the seat this app signed in as (sign_in)
        # the platforms' red-line rules, compiled; a notice with red_lines (ours or, in team
        # mode, another seat's) drops them
        self.red_lines = redline_store.Rulebook(db)
        runner.add_listener(self._on_red_lines_notice)
        self.home_seat_id: int | None = None  # the seat of settings' seat.name

    # -- reads ---------------------------------------------------------------
    def shops(self) -> list[ShopRow]:
        return queries.shops(self._db, self._registry)

    def conversation_ids(self, flt: InboxFilter, limit: int | None = None,
                         offset: int = 0) -> list[int]:
        """Ids in inbox order (the buyer who has waited longest first, or with
        `flt.sort` "deadline" the reply deadline that runs out first); a window of
        `limit` ids from `offset` when given."""
        rules = self.reply_deadlines() if flt.sort == "deadline" else None
        return queries.conversation_ids(self._db, flt, limit, offset, deadlines=rules)

    def count_conversations(self, flt: InboxFilter) -> int:
        return queries.count_conversations(self._db, flt)

    def conversation_rows(self, ids: Sequence[int]) -> dict[int, ConversationRow]:
        return queries.conversation_rows(self._db, self._registry, ids)

    def messages(self, conversation_id: int, limit: int = 200) -> list[MessageRow]:
        """The newest `limit` messages, oldest first."""
        return queries.messages(self._db, conversation_id, limit)

    def orders_for_conversation(self, conversation_id: int) -> list[OrderRow]:
        """The buyer's orders in that conversation's shop, newest first."""
        return orderbook.orders_for_conversation(self._db, self._registry, conversation_id)

    def buyer_profile(self, conversation_id: int) -> BuyerProfile | None:
        return queries.buyer_profile(self._db, self._registry, conversation_id)

    def labels(self, kind: str | None = None) -> list[LabelRow]:
        return buyers.labels(self._db, kind)

    def orders(self, flt: OrderFilter, limit: int | None = None,
               offset: int = 0) -> list[OrderRow]:
        return orderbook.orders(self._db, self._registry, flt, limit, offset)

    def count_orders(self, flt: OrderFilter) -> int:
        return orderbook.count_orders(self._db, self._registry, flt)

    def order(self, order_id: int) -> OrderRow | None:
        return orderbook.order(self._db, self._registry, order_id)

    def remarks(self, order_id: int) -> list[RemarkRow]:
        return orderbook.remarks(self._db, self._registry, order_id)

    def compose_memo(self, text: str, at_ms: int | None = None) -> str:
        return compose_memo(text, self.seat_name, now_ms() if at_ms is None else at_ms,
                            self.remark_format, self.remark_time_format)

    def set_remark_format(self, fmt: str) -> None:
        """The team's remark format, e.g. `{text} —— {author} {time}`; kept in settings.
        Raises ValueError unless it holds {text} and only the known fields."""
        if "{text}" not in fmt:
            raise ValueError("the format must contain {text}")
        try:
            fmt.format(text="", author="", time="")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"unknown field in the format: {exc}") from None
        self.remark_format = fmt
        if self._settings is not None:
            self._settings.set("remarks.format", fmt)

    def cases(self, flt: CaseFilter) -> list[CaseRow]:
        return orderbook.cases(self._db, flt)

    def case(self, case_id: int) -> CaseRow | None:
        return orderbook.case(self._db, case_id)

    def platform_info(self, platform_id: str) -> PlatformInfo | None:
        return self._registry.info(platform_id)

    # -- the webhook receiver --------------------------------------------------------------
    def webhook_settings(self) -> tuple[str, str]:
        """(listen address, public URL) as saved; both empty when the receiver is off."""
        if self._settings is None:
            return "", ""
        return str(self._settings.get("webhooks.listen")), str(self._settings.get("webhooks.public_url"))

    def set_webhook_settings(self, listen: str, public_url: str) -> None:
        """Save the receiver's settings (used from the next start). Both empty turns it off.
        Raises ValueError naming what is wrong."""
        from urllib.parse import urlsplit

        from .webhooks import parse_listen

        listen, public_url = listen.strip(), public_url.strip().rstrip("/")
        if listen or public_url:
            if parse_listen(listen) is None:
                raise ValueError(f"listen address {listen!r} is not host:port")
            parts = urlsplit(public_url)
            if parts.scheme not in ("https", "http") or not parts.netloc:
                raise ValueError(f"public URL {public_url!r} is not an http(s):// address")
        if self._settings is not None:
            self._settings.set("webhooks.listen", listen)
            self._settings.set("webhooks.public_url", public_url)

    def webhook_status(self) -> tuple[bool, str]:
        """(listening?, plain words): where the receiver listens, or why it does not."""
        receiver = self._runner.webhooks
        if receiver is not None and receiver.address is not None:
            host, port = receiver.address
            return True, f"{host}:{port} → {receiver.public_url}"
        return False, self._runner.webhook_problem

    def webhook_url(self, shop_id: int) -> str:
        """What to register with the platform for this shop; "" while no public URL is set."""
        from .webhooks import shop_url

        public = self.webhook_settings()[1]
        return shop_url(public, shop_id) if public else ""

    def plugin_statuses(self) -> list[PluginStatus]:
        return self._registry.statuses()

    def platforms(self) -> list[PlatformInfo]:
        """Every loaded platform plugin's declaration, for the add-shop wizard."""
        return sorted(self._registry.platforms(), key=lambda info: info.display_name)

    # -- adding a shop -----------------------------------------------------------------------
    def test_connection(self, platform: str, platform_shop_id: str,
                        credentials: Mapping[str, str],
                        settings: Mapping[str, object]) -> Future[None]:
        """A live check of credentials not saved yet; fails with the adapter's typed error."""
        return self._runner.submit_probe(platform, platform_shop_id, credentials, settings)

    def oauth_authorize_url(self, platform: str, credentials: Mapping[str, str],
                            settings: Mapping[str, object], redirect_uri: str, state: str) -> str:
        adapter = self._registry.adapter(platform)
        build = getattr(adapter, "authorize_url", None)
        if build is None:
            raise LookupError(f"{platform} has no OAuth step")
        url: str = build(dict(settings), dict(credentials), redirect_uri, state)
        return url

    def oauth_exchange(self, platform: str, platform_shop_id: str, credentials: Mapping[str, str],
                       settings: Mapping[str, object], code: str,
                       redirect_uri: str) -> Future[Tokens]:
        return self._runner.submit_oauth_exchange(platform, platform_shop_id, credentials,
                                                  settings, code, redirect_uri)

    def can_authorize_self(self, platform: str) -> bool:
        """Whether the adapter issues a token for a self-use (自用型) app without a code."""
        adapter = self._registry.adapter(platform)
        return adapter is not None and callable(getattr(adapter, "authorize_self", None))

    def oauth_self(self, platform: str, platform_shop_id: str, credentials: Mapping[str, str],
                   settings: Mapping[str, object]) -> Future[Tokens]:
        return self._runner.submit_oauth_self(platform, platform_shop_id, credentials, settings)

    def add_shop(self, platform: str, platform_shop_id: str, name: str,
                 credentials: Mapping[str, str], settings: Mapping[str, object]) -> Future[int]:
        """Keep the shop (credentials in the keyring only) and start syncing it; → shop id."""
        return self._runner.submit_add_shop(platform, platform_shop_id, name, credentials, settings)

    # -- commands (run on the engine thread) ---------------------------------
    def send_message(self, conversation_id: int, text: str) -> Future[int]:
        """Store the message as pending and queue it in the outbox; → message id. Fails
        with RedLineRefused, nothing stored, when it crosses a platform red line."""
        return self._send_checked(conversation_id, text, None)

    def send_overriding(self, conversation_id: int, text: str,
                        rules: Sequence[str]) -> Future[int]:
        """Send a reply whose red-line hits the agent explicitly accepted (`rules`: their
        keys); the override is logged with the message. A hit of any other rule still
        refuses it (the rules changed since the agent looked)."""
        return self._send_checked(conversation_id, text, tuple(rules))

    def _send_checked(self, conversation_id: int, text: str,
                      accepted: tuple[str, ...] | None) -> Future[int]:
        send = partial(redline_store.send_checked, self._db, self.red_lines, conversation_id,
                       text, self.seat_name, self.seat_id, accepted)
        cid = frozenset({conversation_id})
        return self._runner.submit_write(
            send, notice=lambda _id: ChangeNotice(messages=cid, conversations=cid), wake_outbox=True)

    def retry_outbox(self, outbox_id: int) -> Future[None]:
        return self._runner.submit_retry(outbox_id)

    def mark_read(self, conversation_id: int) -> Future[None]:
        return self._runner.submit_mark_read(conversation_id)

    def close_conversation(self, conversation_id: int) -> Future[None]:
        """End the chat; it leaves the open inbox until the buyer writes again."""
        return self._runner.submit_close(conversation_id)

    # -- buyers: tags, groups, note ---------------------------------------------------
    def _buyers_changed(self, buyer_ids: Sequence[int]) -> Callable[[object], ChangeNotice]:
        return lambda _: ChangeNotice(buyers=frozenset(buyer_ids))

    @staticmethod
    def _catalogue_changed(_: object) -> ChangeNotice:
        return ChangeNotice(labels=True)

    def add_labels(self, buyer_ids: Sequence[int], kind: str,
                   names: Sequence[str]) -> Future[None]:
        """Put the buyers under these tags/groups, creating any name not known yet."""
        ids, names = list(buyer_ids), list(names)
        return self._runner.submit_write(
            buyers.add_labels, self._db, ids, kind, names, self.seat_name, self._tag_platforms(),
            notice=lambda _: ChangeNotice(buyers=frozenset(ids), labels=True), wake_outbox=True)

    def remove_label(self, buyer_ids: Sequence[int], label_id: int) -> Future[None]:
        ids = list(buyer_ids)
        return self._runner.submit_write(buyers.remove_label, self._db, ids, label_id,
                                         self._tag_platforms(), notice=self._buyers_changed(ids),
                                         wake_outbox=True)

    def _tag_platforms(self) -> frozenset[str]:
        from desktop.sdk import Capability

        return self._platforms_with(Capability.BUYER_TAGS)

    def _platforms_with(self, capability: Capability) -> frozenset[str]:
        return frozenset(info.platform_id for info in self._registry.platforms()
                         if capability in info.capabilities)

    def create_label(self, kind: str, name: str, color: str) -> Future[int]:
        return self._runner.submit_write(buyers.create_label, self._db, kind, name, color,
                                         notice=self._catalogue_changed)

    def rename_label(self, label_id: int, name: str) -> Future[None]:
        return self._runner.submit_write(buyers.rename_label, self._db, label_id, name,
                                         notice=self._catalogue_changed)

    def recolor_label(self, label_id: int, color: str) -> Future[None]:
        return self._runner.submit_write(buyers.recolor_label, self._db, label_id, color,
                                         notice=self._catalogue_changed)

    def merge_labels(self, source_id: int, target_id: int) -> Future[None]:
        """Every buyer of `source` gets `target`; `source` is deleted."""
        return self._runner.submit_write(buyers.merge_labels, self._db, source_id, target_id,
                                         notice=self._catalogue_changed)

    def delete_label(self, label_id: int) -> Future[None]:
        return self._runner.submit_write(buyers.delete_label, self._db, label_id,
                                         notice=self._catalogue_changed)

    def set_buyer_note(self, buyer_id: int, text: str) -> Future[None]:
        return self._runner.submit_write(buyers.set_note, self._db, buyer_id, text,
                                         self.seat_name, notice=self._buyers_changed([buyer_id]))

    def export_labels_csv(self, path: str) -> Future[int]:
        """→ the number of buyers written."""
        return self._runner.submit_write(buyers.export_csv, self._db, Path(path))

    def import_labels_csv(self, path: str) -> Future[ImportReport]:
        return self._runner.submit_write(buyers.import_csv, self._db, Path(path), self.seat_name,
                                         notice=self._catalogue_changed)

    # -- remarks and after-sale cases ------------------------------------------------------
    def add_remark(self, order_id: int, text: str, flag: int | None) -> Future[int]:
        """Keep the remark and queue its memo (team format) for the platform; → remark id.
        Fails with ValueError, before anything is stored, when the memo is over the
        platform's limit."""
        at = now_ms()
        memo = self.compose_memo(text, at)
        row = self.order(order_id)
        info = self._registry.info(row.platform) if row is not None else None
        problem = info.memo_problem(memo) if info is not None else None
        if row is None or problem or not text.strip():
            failed: Future[int] = Future()
            failed.set_exception(ValueError(
                "no such order" if row is None else problem or "the remark is empty"))
            return failed
        return self._runner.submit_remark(order_id, text.strip(), flag, self.seat_name, memo, at)

    def open_case(self, order_id: int, kind: str, reason: str, items: Sequence[CaseItemRow],
                  return_waybill: str = "", note: str = "") -> Future[int]:
        return self._runner.submit_write(
            aftersale.open_case, self._db, order_id, kind, reason, list(items), return_waybill,
            note, self.seat_name, notice=lambda _: ChangeNotice(order_ids=frozenset({order_id})))

    def update_case(self, case_id: int, *, state: str | None = None,
                    return_waybill: str | None = None, note: str | None = None,
                    reason: str | None = None) -> Future[int]:
        """→ the case's order id. Fails with CaseError (a ValueError) on a step the
        case's kind does not allow from where it is now."""
        def run(db: Engine) -> int:
            return aftersale.update_case(db, case_id, self.seat_name, state=state,
                                         return_waybill=return_waybill, note=note, reason=reason)
        return self._runner.submit_write(
            run, self._db, notice=lambda order_id: ChangeNotice(order_ids=frozenset({order_id})))

    # -- search (Ctrl+K) ---------------------------------------------------------------------
    def search(self, query: str, limit: int = GROUP_LIMIT) -> SearchResults:
        """Messages, buyers, order and waybill numbers and remarks of every shop that
        contain `query`, each group newest first. A read that may take tens of ms on a
        big store: the UI runs it on a worker thread, never on its own."""
        return search_store(self._db, query, limit)

    # -- auto-replies, dunning, reply clocks (issue 5) ------------------------------------
    def reply_deadlines(self) -> dict[int, ReplyDeadline]:
        """shop id → its platform's reply deadline (shops without one left out)."""
        with self._db.connect() as conn:
            return clocks.shop_rules(conn, self._registry.reply_deadline)

    def response_stats(self, since: int, until: int | None = None) -> list[ResponseStatRow]:
        """First-response and average-response times per seat and shop in [since, until)."""
        return clocks.response_stats(self._db, self.reply_deadlines(), since, until, now_ms())

    def auto_reply_settings(self, shop_id: int) -> AutoReplySettings:
        return autoreply.load(self._db, shop_id)

    def set_auto_reply_settings(self, shop_id: int,
                                settings: AutoReplySettings) -> Future[AutoReplySettings]:
        """Fails with AutoReplyError (a ValueError) on a bad time, cooldown or variable, and
        with RedLineRefused when a line crosses the shop's platform's red lines: automatic
        lines go out unseen, so there is no override for them."""
        shop = next((r for r in self.shops() if r.id == shop_id), None)
        refused: Future[AutoReplySettings] | None = self._red_line_refusal(
            [settings.welcome_text, settings.busy_text, settings.away_text],
            [shop.platform] if shop is not None else [])
        if refused is not None:
            return refused
        return self._runner.submit_write(autoreply.save, self._db, shop_id, settings)

    def unpaid_orders(self, shop_ids: frozenset[int] | None = None) -> list[UnpaidRow]:
        return dunning.unpaid_orders(self._db, shop_ids=shop_ids)

    def dunned_orders(self, since: int, until: int | None = None,
                      shop_ids: frozenset[int] | None = None) -> list[DunnedRow]:
        return dunning.dunned_orders(self._db, since, until, shop_ids)

    def dunning_settings(self) -> DunningSettings:
        return dunning.load(self._db)

    def set_dunning_settings(self, settings: DunningSettings) -> Future[DunningSettings]:
        """Fails with DunningError (a ValueError) on an unknown variable or interval, and
        with RedLineRefused when a template crosses a red line of a shop's platform."""
        texts = [settings.asked_text, settings.silent_text]
        texts += [t for per_shop in settings.shop_templates.values() for t in per_shop.values()]
        refused: Future[DunningSettings] | None = self._red_line_refusal(texts, sorted({r.platform for r in self.shops()}))
        if refused is not None:
            return refused
        return self._runner.submit_write(dunning.save, self._db, settings)

    def _red_line_refusal(self, texts: Sequence[str], platforms: Sequence[str]) -> Future[T] | None:
        """A failed future when one of `texts` crosses a red line of these platforms."""
        for text in texts:
            hits = self.red_lines.check(text, platforms)
            if hits:
                refused: Future[T] = Future()
                refused.set_exception(RedLineRefused(hits))
                return refused
        return None

    def dun(self, order_ids: Sequence[int]) -> Future[DunReport]:
        """Send each order's buyer the dunning template of their variant, signed by this
        seat; refusals (too soon, not unpaid, …) come back in the report."""
        from desktop.sdk import Capability

        run = partial(dunning.dun, self._db, list(order_ids), actor=self.seat_name,
                      seat_id=self.seat_id, sendable=self._platforms_with(Capability.SEND),
                      platform_names={i.platform_id: i.display_name
                                      for i in self._registry.platforms()})
        return self._runner.submit_write(run, notice=DunReport.notice, wake_outbox=True)

    # -- seats, routing, transfer ------------------------------------------------------
    def seats(self, *, include_disabled: bool = False) -> list[SeatRow]:
        """The board: every seat with its status, load and replies in the last hour."""
        return seats.seat_rows(self._db, include_disabled=include_disabled)

    def seat(self) -> SeatRow | None:
        """The seat this app is signed in as."""
        return next((r for r in self.seats(include_disabled=True) if r.id == self.seat_id), None)

    def is_lead(self) -> bool:
        row = self.seat()
        return row is not None and row.is_lead

    def team_groups(self) -> list[str]:
        return seats.team_groups(self._db)

    def routing_rules(self) -> RoutingRules:
        return seats.rules(self._db)

    def assignment_log(self, conversation_id: int) -> list[AssignmentRow]:
        return assign.log(self._db, conversation_id)

    def status_timeline(self, seat_id: int, since: int = 0) -> list[StatusEventRow]:
        return seats.timeline(self._db, seat_id, since)

    @property
    def team_mode(self) -> bool:
        """On a shared database (PostgreSQL) each seat is a person on their own machine:
        no switching to another seat's profile there."""
        return self._db.dialect.name != "sqlite"

    def set_home_seat(self, seat_id: int) -> None:
        """Start as this seat next time (settings' seat.name; solo mode's local profiles)."""
        row = next(r for r in self.seats(include_disabled=True) if r.id == seat_id)
        self.home_seat_id = seat_id
        if self._settings is not None:
            self._settings.set("seat.name", row.profile.name)
            self._settings.set("seat.display_name", row.profile.display_name)

    def sign_in(self, seat_id: int) -> Future[ChangeNotice]:
        """Work as this seat from now on: online, beating, its chats are "mine", and its
        display name signs messages, remarks and transfers."""
        self.seat_id = seat_id
        self._runner.seat_id = seat_id
        row = next((r for r in self.seats(include_disabled=True) if r.id == seat_id), None)
        if row is not None:
            self.seat_name = row.profile.display_name
        return self._runner.submit_write(seats.sign_in, self._db, seat_id, self.seat_name,
                                         notice=_same)

    def sign_out(self) -> Future[ChangeNotice]:
        seat_id, self.seat_id = self.seat_id, None
        self._runner.seat_id = None
        if seat_id is None:
            done: Future[ChangeNotice] = Future()
            done.set_result(ChangeNotice())
            return done
        return self._runner.submit_write(seats.sign_out, self._db, seat_id, self.seat_name,
                                         notice=_same)

    def set_seat_status(self, seat_id: int, status: SeatStatus) -> Future[ChangeNotice]:
        """The seat itself, or a lead for any seat."""
        return self._runner.submit_write(seats.set_status, self._db, seat_id, status,
                                         self.seat_name, notice=_same)

    def save_seat(self, profile: SeatProfile, seat_id: int | None = None) -> Future[int]:
        """Create (seat_id None) or change a seat's profile; → its id. Raises SeatError."""
        return self._runner.submit_write(seats.save_seat, self._db, profile, seat_id,
                                         notice=lambda sid: ChangeNotice(seats=frozenset({sid})))

    def set_seat_enabled(self, seat_id: int, enabled: bool) -> Future[ChangeNotice]:
        return self._runner.submit_write(seats.set_enabled, self._db, seat_id, enabled,
                                         notice=_same)

    def set_routing_rules(self, rules: RoutingRules) -> Future[ChangeNotice]:
        return self._runner.submit_write(seats.save_rules, self._db, rules, notice=_same)

    def transfer(self, versions: Mapping[int, int], *, to_seat_id: int | None = None,
                 to_group: str = "", reason: str = "",
                 return_minutes: int | None = None) -> Future[TransferReport]:
        """Hand chats (id → the assign_version the view showed) to a seat or a group.
        A lead's move may go above a seat's cap or to a seat that is away."""
        from desktop.sdk import Capability

        move = partial(
            assign.transfer, self._db, dict(versions), actor_seat_id=self.seat_id,
            actor=self.seat_name, to_seat_id=to_seat_id, to_group=to_group, reason=reason,
            return_minutes=return_minutes, force=self.is_lead(),
            transfer_platforms=self._platforms_with(Capability.TRANSFER))
        return self._runner.submit_write(move, notice=TransferReport.notice, wake_outbox=True)

    def claim(self, conversation_id: int, version: int) -> Future[TransferReport]:
        """Take a chat from the queue (or, for a lead, from anyone) to this seat."""
        if self.seat_id is None:
            raise RuntimeError("not signed in as a seat")
        return self.transfer({conversation_id: version}, to_seat_id=self.seat_id)

    def release_seat(self, seat_id: int) -> Future[ChangeNotice]:
        """Every open chat of the seat back to routing; the seat is suspended."""
        return self._runner.submit_write(assign.release_seat, self._db, seat_id, self.seat_name,
                                         notice=_same)

    # -- quick replies (issue 5) ----------------------------------------------------------
    def phrases(self, conversation_id: int | None = None) -> list[PhraseRow]:
        """For a chat: the phrases to pick from there (the shop's overrides applied, with
        favourite slots and picks so far); without: the whole library (team + mine)."""
        return phrasebook.library(self._db, self.seat_id, conversation_id)

    def phrase_values(self, conversation_id: int) -> dict[str, str]:
        """What {买家}, {订单号}, … mean in this chat (the buyer's latest order in the shop)."""
        conv = self.conversation_rows([conversation_id]).get(conversation_id)
        orders = self.orders_for_conversation(conversation_id) if conv is not None else []
        return context_values(conv, orders[0] if orders else None, self.seat_name)

    def save_phrase(self, draft: PhraseDraft, phrase_id: int | None = None, *,
                    allow_red_lines: bool = False) -> Future[int]:
        """Create or change a phrase; → its id. Fails with PhraseError (unknown variables,
        no right to) or RedLineRefused unless `allow_red_lines` (then the override is logged)."""
        save = partial(phrasebook.save_phrase, self._db, self.seat_id, self.seat_name, draft,
                       phrase_id, self.red_lines.check, allow_red_lines=allow_red_lines)
        return self._runner.submit_write(save, notice=self._phrases_changed)

    def delete_phrase(self, phrase_id: int) -> Future[None]:
        return self._runner.submit_write(phrasebook.delete_phrase, self._db, self.seat_id,
                                         phrase_id, notice=self._phrases_changed)

    def set_favorite_phrase(self, slot: int, phrase_id: int | None, *,
                            team: bool = False) -> Future[None]:
        """Ctrl+slot inserts the phrase, for this seat (or, by a lead, the team's default)."""
        fav = partial(phrasebook.set_favorite, self._db, self.seat_id, slot, phrase_id, team=team)
        return self._runner.submit_write(fav, notice=self._phrases_changed)

    def record_phrase_use(self, phrase_id: int, conversation_id: int) -> Future[int]:
        """The phrase was picked in the chat: its next pick there offers the next answer."""
        return self._runner.submit_write(phrasebook.record_use, self._db, phrase_id,
                                         conversation_id, self.seat_id)

    def export_phrases_csv(self, path: str, team: bool | None = None) -> Future[int]:
        return self._runner.submit_write(partial(phrasebook.export_csv, self._db, self.seat_id,
                                                 Path(path), team=team))

    def import_phrases_csv(self, path: str) -> Future[PhraseImportReport]:
        return self._runner.submit_write(phrasebook.import_csv, self._db, self.seat_id,
                                         self.seat_name, Path(path), self.red_lines.check,
                                         notice=self._phrases_changed)

    @staticmethod
    def _phrases_changed(_: object) -> ChangeNotice:
        return ChangeNotice(phrases=True)

    # -- platform red lines (issue 5) ---------------------------------------------------------
    def red_line_hits(self, text: str, platforms: Sequence[str]) -> list[RedLineHit]:
        """The spans of `text` that cross a red line of any of these platforms (cheap:
        compiled rules, no query unless the team just edited them)."""
        return self.red_lines.check(text, platforms)

    def red_line_sets(self) -> list[tuple[str, str]]:
        """(platform id, name) of every shipped set, `common` first."""
        sets = self.red_lines.sets()
        return sorted(((p, s.name) for p, s in sets.items()), key=lambda ps: (ps[0] != "common", ps[0]))

    def red_line_rules(self, platform: str) -> list[RedLineRule]:
        """The platform's rules in force (switched-off ones included), inherited first."""
        return self.red_lines.rules(platform)

    def save_red_line_rule(self, rule: RedLineRule) -> Future[ChangeNotice]:
        """A lead's edit of a rule (or a new one) for `rule.platform`'s set."""
        def save(db: Engine) -> ChangeNotice:
            notice = redline_store.save_rule(db, rule, self.seat_id, self.seat_name)
            self.red_lines.invalidate()
            return notice
        return self._runner.submit_write(save, self._db, notice=_same)

    def reset_red_line_rule(self, platform: str, key: str) -> Future[ChangeNotice]:
        """Back to the shipped rule (an added rule is deleted)."""
        def reset(db: Engine) -> ChangeNotice:
            notice = redline_store.reset_rule(db, platform, key, self.seat_id)
            self.red_lines.invalidate()
            return notice
        return self._runner.submit_write(reset, self._db, notice=_same)

    def red_line_overrides(self, limit: int = 200) -> list[RedLineOverrideRow]:
        """The override log, newest first."""
        return redline_store.overrides(self._db, limit)

    def _on_red_lines_notice(self, notice: ChangeNotice) -> None:
        if notice.red_lines:
            self.red_lines.invalidate()

    # -- shifts and handover (issue 6) ----------------------------------------------------
    def handover_settings(self) -> HandoverSettings:
        """The team's follow-up tag, shift time zone, reminder lead time, overdue hours."""
        return shift_store.load_settings(self._db)

    def set_handover_settings(self, settings: HandoverSettings) -> Future[HandoverSettings]:
        """Fails with ShiftError (a ValueError) on an unknown zone or a bad number."""
        return self._runner.submit_write(shift_store.save_settings, self._db, settings,
                                         notice=shift_store.notice)

    def shifts(self) -> list[ShiftRow]:
        return shift_store.shift_rows(self._db)

    def save_shift(self, name: str, start: str, end: str, weekdays: Collection[int],
                   seat_ids: Collection[int], shift_id: int | None = None) -> Future[int]:
        """Create or change a shift and its roster; → its id. Fails with ShiftError (a
        ValueError) on a bad time ("HH:MM"), no weekday, or a name taken."""
        save = partial(shift_store.save_shift, self._db, name, start, end, list(weekdays),
                       list(seat_ids), shift_id, self.seat_name)
        return self._runner.submit_write(save, notice=shift_store.notice)

    def delete_shift(self, shift_id: int) -> Future[None]:
        return self._runner.submit_write(shift_store.delete_shift, self._db, shift_id,
                                         notice=shift_store.notice)

    def current_shift(self, seat_id: int | None = None,
                      at_ms: int | None = None) -> ShiftRow | None:
        """The shift the seat (this app's by default) works now: on its roster, running."""
        seat = self.seat_id if seat_id is None else seat_id
        if seat is None:
            return None
        tz = self.handover_settings().timezone
        found = shift_store.current(self.shifts(), tz, seat, now_ms() if at_ms is None else at_ms)
        return found[0] if found is not None else None

    def next_shift(self, after_shift_id: int | None = None,
                   at_ms: int | None = None) -> ShiftRow | None:
        """The shift that starts next after `after_shift_id` (by default this seat's
        current shift; without one, the next shift to start)."""
        at = now_ms() if at_ms is None else at_ms
        rows = self.shifts()
        after = next((r for r in rows if r.id == after_shift_id), None) \
            if after_shift_id is not None else self.current_shift(at_ms=at)
        return shift_store.following(rows, self.handover_settings().timezone, after, at)

    def shift_window(self, shift_id: int, at_ms: int | None = None) -> tuple[int, int] | None:
        """(start, end) in ms of the shift's run going on at `at_ms` (now), else its next
        run: the end-of-shift reminder's timer."""
        row = next((r for r in self.shifts() if r.id == shift_id), None)
        if row is None:
            return None
        return shift_store.window(row, self.handover_settings().timezone,
                                  now_ms() if at_ms is None else at_ms)

    def _me(self, seat_id: int | None) -> int:
        seat = self.seat_id if seat_id is None else seat_id
        if seat is None:
            raise RuntimeError("not signed in as a seat")
        return seat

    def draft_handover(self, seat_id: int | None = None) -> HandoverRow:
        """A fresh draft (id 0) for the seat: its waiting chats, follow-ups, unpaid orders
        not dunned, open cases, this shift's remarks, tagged buyers, and the undone items
        earlier handovers left it. A read; nothing is saved."""
        return handover_draft.draft(self._db, self._me(seat_id))

    def save_handover(self, handover: HandoverRow) -> Future[int]:
        """Create (id 0) or update a draft; → its id. Fails with HandoverError (a
        ValueError) on a sent handover or an item without text."""
        return self._runner.submit_write(
            handovers_store.save, self._db, handover, self.seat_name,
            notice=lambda hid: ChangeNotice(handovers=frozenset({hid})))

    def send_handover(self, handover_id: int, release_chats: bool = False) -> Future[int]:
        """Send the draft; with `release_chats` the author's open chats go to the next
        shift's seats (and the named ones), each with the note "交接：…"; → the number
        of chats handed over."""
        from desktop.sdk import Capability

        notices: list[ChangeNotice] = []

        def run(db: Engine) -> int:
            sent = handovers_store.send(db, handover_id)
            notices.append(ChangeNotice(handovers=frozenset({handover_id})))
            if not release_chats:
                return 0
            report = handovers_store.hand_over_chats(
                db, sent, actor_seat_id=self.seat_id, actor=self.seat_name,
                transfer_platforms=self._platforms_with(Capability.TRANSFER))
            notices.append(report.notice())
            return len(report.moved)
        return self._runner.submit_write(run, self._db, notice=lambda _: ChangeNotice.merge(notices),
                                         wake_outbox=release_chats)

    def handovers(self, flt: HandoverFilter, limit: int = 100) -> list[HandoverRow]:
        """Sent handovers (and this seat's drafts), newest first."""
        return handovers_store.listing(self._db, flt, limit, self.seat_id)

    def handover(self, handover_id: int) -> HandoverRow | None:
        return handovers_store.get(self._db, handover_id)

    def unread_handovers(self, seat_id: int | None = None) -> list[HandoverRow]:
        """Sent to the seat or a shift it works, not acknowledged by it yet: newest first."""
        seat = self.seat_id if seat_id is None else seat_id
        return [] if seat is None else handovers_store.unread(self._db, seat)

    def acknowledge_handover(self, handover_id: int) -> Future[None]:
        """This seat has read it (who and when are kept)."""
        ack = partial(handovers_store.acknowledge, self._db, handover_id, self._me(None),
                      self.seat_name)
        return self._runner.submit_write(
            ack, notice=lambda _: ChangeNotice(handovers=frozenset({handover_id})))

    def set_item_state(self, item_id: int, state: ItemState,
                       note: str | None = None) -> Future[None]:
        """Tick an item done or dropped (signed by this seat), or back to do."""
        notices: list[ChangeNotice] = []

        def run(db: Engine) -> None:
            notices.append(handovers_store.set_item_state(db, item_id, ItemState(state), note,
                                                          self.seat_name))
        return self._runner.submit_write(run, self._db, notice=lambda _: notices[0])

    def add_follow_up(self, conversation_id: int, due_at_ms: int, note: str,
                      for_seat_id: int | None) -> Future[int]:
        """A promise on the chat: remind `for_seat_id` (None: whoever works the next
        shift) at `due_at_ms`; it goes into the next handover draft too."""
        add = partial(handovers_store.add_follow_up, self._db, conversation_id, due_at_ms, note,
                      for_seat_id, self.seat_id, self.seat_name)
        return self._runner.submit_write(add, notice=lambda _: ChangeNotice(
            follow_ups=True, conversations=frozenset({conversation_id})))

    def follow_ups(self, seat_id: int | None = None, due_before: int | None = None,
                   open_only: bool = True) -> list[FollowUpRow]:
        """Promises for the seat (this app's; every promise when not signed in) and for
        whoever works the next shift, soonest due first."""
        return handovers_store.follow_ups(self._db, self.seat_id if seat_id is None else seat_id,
                                          due_before, open_only)

    def complete_follow_up(self, follow_up_id: int) -> Future[None]:
        notices: list[ChangeNotice] = []

        def run(db: Engine) -> None:
            notices.append(handovers_store.complete_follow_up(db, follow_up_id, self.seat_name))
        return self._runner.submit_write(run, self._db, notice=lambda _: notices[0])

    def handover_text(self, handover_id_or_row: int | HandoverRow, markdown: bool = True) -> str:
        """The handover as Markdown or plain text (Chinese headings, items by kind)."""
        row = (handover_id_or_row if isinstance(handover_id_or_row, HandoverRow)
               else self.handover(handover_id_or_row))
        if row is None:
            raise LookupError(f"no handover {handover_id_or_row}")
        names = {r.id: r.name for r in self.seats(include_disabled=True)}
        return handover_as_text(row, markdown=markdown,
                                shift_names={r.id: r.name for r in self.shifts()},
                                seat_names=names, tz_name=self.handover_settings().timezone)

    def handover_report(self, since_ms: int, until_ms: int) -> list[HandoverRow]:
        """For leads: the handovers sent in [since, until), with who acknowledged and what
        is still to do (HandoverRow.overdue with HandoverSettings.overdue_hours; overdue
        follow-ups: follow_ups(due_before=now))."""
        return handovers_store.report(self._db, since_ms, until_ms)

    # -- change notices --------------------------------------------------------
    def add_listener(self, callback: Callable[[ChangeNotice], None]) -> None:
        """`callback` runs on the engine thread; the UI bridge hops it to Qt."""
        self._runner.add_listener(callback)

