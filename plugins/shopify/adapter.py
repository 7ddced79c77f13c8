"""The Shopify adapter: order feed, order note as the remark, customer tags, OAuth, and
order webhooks as push.

Settings (per shop): ``shop_domain`` (xxx.myshopify.com), ``base_url`` (admin origin
override), ``api_version``, ``page_size``, ``history_days``, ``order_overlap_seconds``,
``read_customer_details``, ``expiring_tokens``. Credentials (keyring): ``access_token``
(a custom app's Admin API token pasted by the user, or what OAuth or the client
credentials grant yields), ``client_id`` and ``client_secret`` (OAuth, the client
credentials grant, token refresh, and checking webhook signatures), and after an OAuth
with expiring tokens ``refresh_token``.

Three ways in:
- a custom app's Admin API access token (shpat_…) pasted as ``access_token``, with
  ``shop_domain``: no OAuth, the token does not expire, nothing is ever refreshed (apps
  made in the store admin before 2026-01-01; no new ones can be made there);
- a self-use app made in the Dev Dashboard (`authorize_self`, the client credentials
  grant): ``client_id``, ``client_secret`` and ``shop_domain`` give a 24-hour token with
  no refresh token; the engine asks for a new one the same way before it runs out;
- OAuth (`authorize_url`, `exchange_code`): by default an expiring offline token (1 h)
  with a rotating 90-day refresh token, renewed by `refresh_tokens`; with the
  ``expiring_tokens`` setting off, a non-expiring one.

Push ([SPEC] §6 webhooks): when the user runs SeatDesk's webhook receiver behind a public
URL, `push` checks each delivery's `X-Shopify-Hmac-SHA256` with the client secret, answers
at once, reads the order it names with the single-order GraphQL query and yields the same
OrderEvent the feed would. Without a public URL or a client secret there is no push and
the orders are polled.

Stateless translation only: no retries, sleeps or persistence here (the engine owns them).
Chat: Shopify's Admin API offers no Inbox conversations ([SPEC] §9), so none is declared.
"""

from __future__ import annotations

import math
from collections.abc import AsyncGenerator, Mapping
from typing import ClassVar
from urllib.parse import urlencode

from desktop.sdk import (
    AdapterContext,
    AdapterError,
    AuthExpired,
    Capability,
    CredentialField,
    Event,
    MessageEvent,
    OrderEvent,
    Page,
    PlatformInfo,
    PushUnavailable,
    Rejected,
    SendMessage,
    SetBuyerTags,
    SetRemark,
    SettingField,
    Tokens,
    Transfer,
)
from desktop.sdk.push import WebhookDelivery
from desktop.sdk.settings import setting_bool, setting_int

from .client import ShopifyClient
from .envelope import malformed, mutation_result
from .feed import OrderCursor
from .mapping import GUEST_PREFIX, fingerprint, order_event, orders_page
from .protocol import (
    ALREADY_SUBSCRIBED,
    AUTHORIZE_PATH,
    DEFAULT_API_VERSION,
    HISTORY_DAYS_MAX,
    NOTE_MAX_CHARS,
    ORDER_NOTE_MUTATION,
    ORDER_OPERATION,
    ORDERS_OPERATION,
    PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
    SCOPES,
    SHOP_QUERY,
    TAG_MAX_CHARS,
    TAGS_ADD_MUTATION,
    TAGS_MAX,
    TAGS_REMOVE_MUTATION,
    WEBHOOK_SUBSCRIBE_MUTATION,
    WEBHOOK_SUBSCRIBE_OPERATION,
    admin_origin,
    gid,
    order_query,
    orders_query,
    shop_domain,
    updated_between,
)
from .signing import verify_webhook
from .webhooks import (
    APP_UNINSTALLED,
    EVENT_ID_HEADER,
    HMAC_HEADER,
    SHOP_HEADER,
    SUBSCRIBE_TOPICS,
    TOPIC_HEADER,
    WEBHOOK_ID_HEADER,
    MalformedDelivery,
    SeenIds,
    order_gid,
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
    SettingField("expiring_tokens", "使用会过期的令牌", True,
                 "OAuth asks for an expiring offline token (1 hour, renewed with a 90-day refresh token), "
                 "which Shopify requires of public apps from 2027-01-01. Off: a token that does not expire."),
)
_CREDENTIALS = (
    CredentialField("access_token", "Admin API access token",
                    help="A custom app's token (shpat_…) pasted here, or filled in by the OAuth authorization "
                         "or by the self-use app's token request."),
    CredentialField("client_id", "Client ID", secret=False, required=False,
                    help="The app's client ID (API key, Dev Dashboard → the app → Settings); needed to get a "
                         "self-use app's token, to authorize through OAuth and to refresh its token."),
    CredentialField("client_secret", "Client secret", required=False,
                    help="The app's client secret (API secret key): for a self-use app's token, OAuth, token "
                         "refresh and checking webhook signatures; without it orders are polled."),
)
_NO_PUBLIC_URL = "未配置 Webhook 公网地址，订单按轮询同步"
_NO_SECRET = "未填写 Shopify 应用的 Client secret，无法校验 Webhook，订单按轮询同步"
_NO_CHAT = "not offered by this platform's open API (Shopify has no Admin API for Inbox conversations)"


class ShopifyAdapter:
    """One Shopify shop over the versioned Admin GraphQL API."""

    info: ClassVar[PlatformInfo] = PlatformInfo(
        platform_id="shopify",
        display_name="Shopify",
        api_versions=(1,),
        capabilities=frozenset({Capability.ORDERS, Capability.REMARKS, Capability.BUYER_TAGS, Capability.OAUTH,
                                Capability.PUSH}),
        credential_fields=_CREDENTIALS,
        flags=(),  # Shopify has notes and free tags, no flag palette [SPEC] §8
        memo_max_chars=NOTE_MAX_CHARS,
        color="#95bf47",
        settings=_SETTINGS,
        limits_note=("可同步订单、写订单备注（Shopify 没有插旗）并同步顾客标签；配置 Webhook 公网地址后订单变化实时推送，"
                     "否则按轮询同步。Shopify 开放接口不提供客服聊天（Shopify Inbox），聊天请在 Shopify Inbox 中处理。"),
        push_by_webhook=True,  # the shop's SeatDesk webhook URL is subscribed (subscribe_webhooks) or registered
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
        """The code → an offline token: an expiring one with its refresh token (expires_at,
        refresh_token, refresh_expires_at set) unless the ``expiring_tokens`` setting is off.
        The token request takes no redirect_uri: Shopify checked it at authorize time."""
        if not code.strip():
            raise Rejected("the Shopify authorization code is empty")
        expiring = setting_bool(self._ctx.settings, "expiring_tokens", True)
        return await self._client.exchange(code.strip(), expiring)

    async def authorize_self(self) -> Tokens:
        """A self-use app's token without a code: the client credentials grant
        (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/client-credentials-grant;
        protocol.CLIENT_CREDENTIALS_GRANT). For an app made in the Dev Dashboard by the
        store's own organization and installed on the store. The token lasts 24 hours
        (`expires_in` 86399) and has no refresh token: the engine calls this again to renew it.

        The token goes to the keyring at once, so a crash before the engine stores the reply
        cannot lose it; a refresh token left from an earlier OAuth is cleared, so the engine
        renews this token by asking again instead of refreshing a token that is gone.
        A refusal (wrong client id or secret, `app_not_installed`, `shop_not_permitted`) is
        AuthExpired with Shopify's message; no shop_domain is Rejected."""
        shop_domain(self._ctx.settings, self._ctx.platform_shop_id)  # Rejected without one
        tokens = await self._client.client_credentials()
        self._ctx.secrets.set("access_token", tokens.access_token)
        if self._ctx.secrets.get("refresh_token"):
            self._ctx.secrets.set("refresh_token", "")
        return tokens

    async def refresh_tokens(self) -> Tokens:
        """Renew an expiring offline token with its refresh token (`grant_type=refresh_token`,
        https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens).
        Shopify rotates the refresh token, so the new pair goes to the keyring at once: a crash
        before the engine stores the reply cannot strand the shop.

        A non-expiring token (a custom app's pasted token, or OAuth without expiring tokens)
        has no refresh token and nothing to renew: one that stopped working was revoked (the
        app was uninstalled or its access changed) and only a new token helps. Returning the
        same token as "refreshed" would make the engine retry a dead token at once."""
        refresh = self._ctx.secrets.get("refresh_token")
        if not refresh:
            if not self._ctx.secrets.get("access_token"):
                raise AuthExpired("Shopify access_token is missing; authorize the shop again")
            raise AuthExpired("this Shopify token has no refresh token: non-expiring tokens do not expire and "
                              "cannot be refreshed; if Shopify refuses the token, authorize the shop again "
                              "or enter a new Admin API access token")
        tokens = await self._client.refresh(refresh)
        self._ctx.secrets.set("access_token", tokens.access_token)
        self._ctx.secrets.set("refresh_token", tokens.refresh_token)
        return tokens

    # -- push: order webhooks [SPEC] §6 -----------------------------------------------------------------
    async def push(self) -> AsyncGenerator[Event, None]:
        """The shop's webhook deliveries → the orders they name. Each delivery is checked
        (signature, shop) and answered at once, before the order is read: Shopify allows 5 s.
        Forged → 401, nothing yielded. A delivery for another shop → 401 as well (see
        `_accept`). Repeats (the same X-Shopify-Webhook-Id, or the same X-Shopify-Event-Id
        for the same order) are answered and skipped. Topics that name no order are answered
        and ignored; a malformed body is logged and answered. A failed follow-up read is
        logged and left to the next poll, except AuthExpired, which ends the push."""
        hooks = self._ctx.webhooks
        if hooks is None:
            raise PushUnavailable(_NO_PUBLIC_URL)
        secret = self._ctx.secrets.get("client_secret")
        if not secret:
            raise PushUnavailable(_NO_SECRET)
        shop = self._webhook_shop()
        details = setting_bool(self._ctx.settings, "read_customer_details", True)
        seen = SeenIds()
        async for delivery in hooks:
            order = self._accept(delivery, secret, shop, seen)
            if order is None:
                continue
            event = await self._pushed_order(order, details)
            if event is not None:
                yield event

    async def subscribe_webhooks(self, public_url: str | None = None) -> list[str]:
        """Subscribe the shop's webhook URL (`public_url`, else `ctx.webhooks.public_url`) to
        the order topics with `webhookSubscriptionCreate` (webhooks.SUBSCRIBE_TOPICS); → the
        topics now subscribed. A topic already subscribed at that address counts as done, so
        this can run again safely. Deliveries of such subscriptions are signed with the app's
        client secret, which `push` checks. Not called by `push` itself: a shop may deliver
        through subscriptions the user made another way."""
        url = public_url or (self._ctx.webhooks.public_url if self._ctx.webhooks is not None else "")
        if not url.lower().startswith("https://"):
            raise Rejected(f"Shopify delivers webhooks only to an https:// address, got {url!r}")
        done = []
        for topic in SUBSCRIBE_TOPICS:
            variables = {"topic": topic, "webhookSubscription": {"uri": url, "format": "JSON"}}
            data = await self._client.graphql(WEBHOOK_SUBSCRIBE_OPERATION, WEBHOOK_SUBSCRIBE_MUTATION, variables)
            try:
                mutation_result(data, "webhookSubscriptionCreate", f"the {topic} webhook subscription")
            except Rejected as exc:
                if ALREADY_SUBSCRIBED not in exc.reason:
                    raise
            done.append(topic)
        return done

    def _webhook_shop(self) -> str:
        """The myshopify.com domain deliveries must name, or "" when the settings give none."""
        try:
            return shop_domain(self._ctx.settings, self._ctx.platform_shop_id)
        except Rejected:
            return ""

    def _accept(self, delivery: WebhookDelivery, secret: str, shop: str, seen: SeenIds) -> str | None:
        """Answer one delivery; → the GID of the order to read, or None.

        A genuine delivery naming another shop (the same app installed on several shops,
        registered with this shop's URL) is refused with 401, not taken with 200: the order
        is not this shop's to store, and a refusal shows up in Shopify's delivery failures
        where a silent 200 would hide the wrong URL forever."""
        log, topic = self._ctx.logger, delivery.header(TOPIC_HEADER).strip()
        if not verify_webhook(delivery.body, delivery.header(HMAC_HEADER), secret):
            log.warning("Shopify webhook %r refused: its signature does not match the client secret", topic[:60])
            delivery.reply(401, b"invalid webhook signature")
            return None
        domain = delivery.header(SHOP_HEADER).strip().lower()
        if shop and domain and domain != shop:
            log.warning("Shopify webhook %r for shop %s refused: this is the webhook URL of %s",
                        topic[:60], domain[:100], shop)
            delivery.reply(401, b"this webhook URL belongs to another shop")
            return None
        delivery.reply(200)
        if seen.repeat(delivery.header(WEBHOOK_ID_HEADER)):
            log.debug("Shopify webhook %s delivered again; already taken", delivery.header(WEBHOOK_ID_HEADER))
            return None
        if topic == APP_UNINSTALLED:
            log.warning("Shopify says the app was uninstalled from %s: its token no longer works; "
                        "install the app and authorize the shop again", domain or shop)
            return None
        try:
            order = order_gid(topic, delivery.body)
        except MalformedDelivery as exc:
            log.warning("Shopify webhook %r ignored: %s; the next poll reads the order", topic[:60], exc)
            return None
        if order is None:
            log.debug("Shopify webhook %r ignored: it concerns no order", topic[:60])
            return None
        event_id = delivery.header(EVENT_ID_HEADER)
        if event_id and seen.repeat(f"{event_id} {order}"):
            log.debug("Shopify event %s for %s delivered again; already taken", event_id, order)
            return None
        return order

    async def _pushed_order(self, order: str, details: bool) -> OrderEvent | None:
        """The order a delivery named, read as the feed reads it; None when it is gone or
        the read failed (logged; the next poll reads it). AuthExpired ends the push."""
        try:
            data = await self._client.graphql(ORDER_OPERATION, order_query(details), {"id": order})
            node = data.get("order")
            if node is None:
                self._ctx.logger.info("Shopify webhook named order %s, which no longer exists", order)
                return None
            return order_event(node)
        except AuthExpired:
            raise
        except AdapterError as exc:
            self._ctx.logger.warning("Shopify webhook for order %s: reading the order failed (%s); "
                                     "the next poll reads it", order, exc)
            return None


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
