"""The Shopify adapter: order feed, order note as the remark, customer tags, OAuth.

Settings (per shop): ``shop_domain`` (xxx.myshopify.com), ``base_url`` (admin origin
override), ``api_version``, ``page_size``, ``history_days``, ``order_overlap_seconds``,
``read_customer_details``. Credentials (keyring): ``access_token`` (a custom app's Admin API
token, or what OAuth yields), ``client_id`` and ``client_secret`` (OAuth apps only).

Stateless translation only: no retries, sleeps or persistence here (the engine owns them).
Chat: Shopify's Admin API offers no Inbox conversations ([SPEC] §9), so none is declared.
Push: webhooks need a public HTTPS receiver, which a desktop app is not; `verify_webhook`
(signing.py) is ready for a relay, but no PUSH capability is declared.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import ClassVar
from urllib.parse import urlencode

from desktop.sdk import (
    AdapterContext,
    AuthExpired,
    Capability,
    CredentialField,
    MessageEvent,
    OrderEvent,
    Page,
    PlatformInfo,
    Rejected,
    SendMessage,
    SetBuyerTags,
    SetRemark,
    SettingField,
    Tokens,
    Transfer,
)
from desktop.sdk.settings import setting_bool, setting_int

from .client import ShopifyClient
from .envelope import malformed, mutation_result
from .feed import OrderCursor
from .mapping import GUEST_PREFIX, fingerprint, order_event, orders_page
from .protocol import (
    AUTHORIZE_PATH,
    DEFAULT_API_VERSION,
    HISTORY_DAYS_MAX,
    NOTE_MAX_CHARS,
    ORDER_NOTE_MUTATION,
    ORDERS_OPERATION,
    PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
    SCOPES,
    SHOP_QUERY,
    TAG_MAX_CHARS,
    TAGS_ADD_MUTATION,
    TAGS_MAX,
    TAGS_REMOVE_MUTATION,
    admin_origin,
    gid,
    orders_query,
    updated_between,
)

_SETTINGS = (
    SettingField("shop_domain", "店铺域名", "", "The shop's your-store.myshopify.com address (not a custom domain)."),
    SettingField("base_url", "接口地址", "", "Admin origin override, e.g. a test server; empty = https://<shop_domain>."),
    SettingField("api_version", "API 版本", DEFAULT_API_VERSION,
                 "Shopify Admin API release (YYYY-MM, quarterly; each is supported for at least 12 months)."),
    SettingField("page_size", "每页订单数", PAGE_SIZE_DEFAULT,
                 f"Orders per GraphQL page, 1..{PAGE_SIZE_MAX} (keeps each query under Shopify's cost limit)."),
    SettingField("history_days", "首次同步天数", 30,
                 f"Days of updated orders the first sync reads, 1..{HISTORY_DAYS_MAX} "
                 "(older orders need Shopify's read_all_orders access)."),
    SettingField("order_overlap_seconds", "订单回看秒数", 120,
                 "Each poll re-reads this many seconds before the last one: Shopify's order search trails writes."),
    SettingField("read_customer_details", "读取顾客姓名和地区", True,
                 "Read the buyer's name and shipping city/province/country (Shopify protected customer data; "
                 "turn off if the app is not approved for it)."),
)
_CREDENTIALS = (
    CredentialField("access_token", "Admin API access token",
                    help="A custom app's token (shpat_…), or filled in by the OAuth authorization."),
    CredentialField("client_id", "Client ID", secret=False,
                    help="The app's client ID (API key); only needed to authorize through OAuth."),
    CredentialField("client_secret", "Client secret",
                    help="The app's client secret; only for OAuth and for checking webhook signatures."),
)
_NO_CHAT = "not offered by this platform's open API (Shopify has no Admin API for Inbox conversations)"


class ShopifyAdapter:
    """One Shopify shop over the versioned Admin GraphQL API."""

    info: ClassVar[PlatformInfo] = PlatformInfo(
        platform_id="shopify",
        display_name="Shopify",
        api_versions=(1,),
        capabilities=frozenset({Capability.ORDERS, Capability.REMARKS, Capability.BUYER_TAGS, Capability.OAUTH}),
        credential_fields=_CREDENTIALS,
        flags=(),  # Shopify has notes and free tags, no flag palette [SPEC] §8
        memo_max_chars=NOTE_MAX_CHARS,
        color="#95bf47",
        settings=_SETTINGS,
        limits_note=("可同步订单、写订单备注（Shopify 没有插旗）并同步顾客标签；"
                     "Shopify 开放接口不提供客服聊天（Shopify Inbox），聊天请在 Shopify Inbox 中处理。"),
    )

    def __init__(self, ctx: AdapterContext) -> None:
        self._ctx = ctx
        self._client = ShopifyClient(ctx)

    def _now(self) -> int:
        return math.floor(self._ctx.clock().timestamp())

    def _setting(self, name: str, default: int, low: int, high: int) -> int:
        return setting_int(self._ctx.settings, name, default, low, high)

    async def check_connection(self) -> None:
        """The cheapest authenticated call: the shop's name and currency."""
        data = await self._client.graphql("SeatDeskShop", SHOP_QUERY)
        if not isinstance(data.get("shop"), dict):
            raise malformed("SeatDeskShop", "has no shop")

    # -- orders --------------------------------------------------------------------------------------
    async def fetch_orders(self, cursor: str | None) -> Page[OrderEvent]:
        size = self._setting("page_size", PAGE_SIZE_DEFAULT, 1, PAGE_SIZE_MAX)
        overlap = self._setting("order_overlap_seconds", 120, 0, 3600)
        details = setting_bool(self._ctx.settings, "read_customer_details", True)
        now = self._now()
        at = (OrderCursor.load(cursor) if cursor
              else OrderCursor.initial(now, self._setting("history_days", 30, 1, HISTORY_DAYS_MAX) * 86400))
        at = at.opened(now)
        assert at.end is not None
        data = await self._client.graphql(ORDERS_OPERATION, orders_query(details), {
            "first": size, "after": at.after, "query": updated_between(at.start, at.end)})
        nodes, has_next, end_cursor = orders_page(data)
        events: list[OrderEvent] = []
        delivered: dict[str, tuple[str, int]] = {}
        last_updated = at.start
        for node in nodes:
            event = order_event(node)
            updated = math.floor(event.updated_at.timestamp())
            last_updated = max(last_updated, updated)
            digest = fingerprint(node)
            if at.is_new(event.platform_order_id, digest):
                events.append(event)
            delivered[event.platform_order_id] = (digest, updated)
        if has_next:
            assert end_cursor is not None
            return Page(tuple(events), at.next_page(end_cursor, delivered, last_updated).dump(), has_more=True)
        return Page(tuple(events), at.window_done(delivered, overlap, now).dump(), has_more=at.end < now)

    # -- the order note as the remark -------------------------------------------------------------------
    async def set_remark(self, cmd: SetRemark) -> None:
        """`orderUpdate(input: {id, note})` — the note is overwritten, so the same command twice
        leaves the same note. Shopify has no flags: `cmd.flag` is ignored."""
        problem = self.info.memo_problem(cmd.text)
        if problem is not None:
            raise Rejected(f"Shopify order note too long: {problem}")
        if cmd.flag is not None:
            self._ctx.logger.debug("Shopify has no order flags; flag %r of order %s ignored",
                                   cmd.flag, cmd.platform_order_id)
        order = gid("Order", cmd.platform_order_id)
        where = "SeatDeskOrderNote"
        data = await self._client.graphql(where, ORDER_NOTE_MUTATION, {"input": {"id": order, "note": cmd.text}})
        result = mutation_result(data, "orderUpdate", f"the note of order {cmd.platform_order_id}")
        if not isinstance(result.get("order"), dict):
            raise malformed(where, "has no order after a successful update")

    # -- customer tags -------------------------------------------------------------------------------------
    async def set_buyer_tags(self, cmd: SetBuyerTags) -> None:
        """`tagsAdd` / `tagsRemove` on the customer: both leave the set as asked however often
        they run, so a replayed command is harmless."""
        if cmd.buyer_id.startswith(GUEST_PREFIX):
            raise Rejected("this buyer checked out as a guest: Shopify keeps tags only on customer records")
        customer = gid("Customer", cmd.buyer_id)
        for document, field, tags in ((TAGS_ADD_MUTATION, "tagsAdd", cmd.add),
                                      (TAGS_REMOVE_MUTATION, "tagsRemove", cmd.remove)):
            clean = _checked_tags(tags)
            if not clean:
                continue
            operation = "SeatDeskTagsAdd" if field == "tagsAdd" else "SeatDeskTagsRemove"
            data = await self._client.graphql(operation, document, {"id": customer, "tags": clean})
            mutation_result(data, field, f"{field} on customer {cmd.buyer_id}")

    # -- not offered --------------------------------------------------------------------------------------
    async def fetch_messages(self, cursor: str | None) -> Page[MessageEvent]:
        return Page((), cursor, has_more=False)

    async def send_message(self, cmd: SendMessage) -> str:
        raise Rejected(f"sending chat messages is {_NO_CHAT}")

    async def transfer(self, cmd: Transfer) -> None:
        raise Rejected(f"chat transfer is {_NO_CHAT}")

    # -- OAuth (authorization-code grant on the shop's own domain) [SPEC] §6 ---------------------------
    @classmethod
    def authorize_url(cls, settings: Mapping[str, object], secrets: Mapping[str, str],
                      redirect_uri: str, state: str) -> str:
        """`https://{shop}/admin/oauth/authorize?client_id&scope&redirect_uri&state`; no
        per-user grant option, so the token is an offline one. The redirect carries `code`,
        `shop`, `state`, `timestamp` and an `hmac` to check with `signing.verify_callback`."""
        client_id = secrets.get("client_id")
        if not client_id:
            raise Rejected("enter the Shopify app's client ID before authorizing the shop")
        query = urlencode({"client_id": client_id, "scope": ",".join(SCOPES),
                           "redirect_uri": redirect_uri, "state": state})
        return f"{admin_origin(settings)}{AUTHORIZE_PATH}?{query}"

    async def exchange_code(self, code: str, redirect_uri: str) -> Tokens:
        # The token request takes no redirect_uri: Shopify checked it at authorize time.
        if not code.strip():
            raise Rejected("the Shopify authorization code is empty")
        return await self._client.exchange(code.strip())

    async def refresh_tokens(self) -> Tokens:
        """Offline access tokens do not expire and Shopify has no refresh grant for them, so
        there is nothing to renew: a token that stopped working was revoked (the app was
        uninstalled or its access changed) and only a new authorization helps. Returning the
        same token as "refreshed" would make the engine retry a dead token at once."""
        if not self._ctx.secrets.get("access_token"):
            raise AuthExpired("Shopify access_token is missing; authorize the shop again")
        raise AuthExpired("Shopify offline access tokens do not expire and cannot be refreshed; "
                          "if Shopify refuses the token, authorize the shop again")


def _checked_tags(tags: tuple[str, ...]) -> list[str]:
    """Trimmed, de-duplicated tags; Shopify splits a tag on commas, so one is refused."""
    clean: list[str] = []
    for tag in tags:
        text = tag.strip()
        if not text:
            continue
        if "," in text:
            raise Rejected(f"a Shopify tag cannot contain a comma: {tag!r}")
        if len(text) > TAG_MAX_CHARS:
            raise Rejected(f"a Shopify tag has at most {TAG_MAX_CHARS} characters: {text[:40]!r}…")
        if text not in clean:
            clean.append(text)
    if len(clean) > TAGS_MAX:
        raise Rejected(f"Shopify takes at most {TAGS_MAX} tags in one change, got {len(clean)}")
    return clean
