"""Pure translation of JOS replies: the `_responce`/`error_response` envelopes into typed errors,
orderInfo records into OrderEvents and chat-log records into MessageEvents.

Anything a record must carry is checked; a broken record raises `Temporary` naming the record
and the field, so a page is never half-ingested and the engine retries the same cursor.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.sdk import (
    AdapterError,
    AuthExpired,
    Direction,
    MessageEvent,
    MessageKind,
    OrderEvent,
    OrderItem,
    OrderStatus,
    RateLimited,
    Rejected,
    Temporary,
)

from .protocol import (
    CODE_BAD_APP_KEY,
    CODE_BAD_SIGN,
    CODE_INVALID_TOKEN,
    CODE_NO_PERMISSION,
    CODE_TIMEOUTS,
    RESULT_NODE,
    parse_time,
    response_key,
)

CURRENCY = "CNY"  # JOS amounts are yuan strings ("199.00"); POP shops sell in CNY
DEFAULT_RETRY_AFTER = 30.0  # [UNVERIFIED] JD publishes no call-limit hint; wait this long

# [SPEC] 5.5 order states → the normalized status.
ORDER_STATUS: Mapping[str, OrderStatus] = {
    "WAIT_SELLER_STOCK_OUT": OrderStatus.PAID,  # 等待出库: paid, not shipped
    "WAIT_SELLER_DELIVERY": OrderStatus.PAID,  # 等待发货 (overseas)
    "PAUSE": OrderStatus.PAID,  # 暂停: paid and held before shipping
    "POP_ORDER_PAUSE": OrderStatus.PAID,  # pop业务暂停
    "SEND_TO_DISTRIBUTION_CENER": OrderStatus.SHIPPED,  # (sic) LBP/SOPL: sent to JD's centre
    "DISTRIBUTION_CENTER_RECEIVED": OrderStatus.SHIPPED,
    "WAIT_GOODS_RECEIVE_CONFIRM": OrderStatus.SHIPPED,  # 等待确认收货
    "RECEIPTS_CONFIRM": OrderStatus.COMPLETED,  # [UNVERIFIED] 收款确认 (LBP/SOPL)
    "FINISHED_L": OrderStatus.COMPLETED,  # 完成
    "TRADE_CANCELED": OrderStatus.CLOSED,  # 取消 (also where a refunded order ends)
    # 已锁定: JD locks an order while a buyer's cancel/refund request is pending.
    "LOCKED": OrderStatus.REFUNDING,
}

log = logging.getLogger("seatdesk.plugin.jd")


def malformed(what: str, problem: str) -> Temporary:
    return Temporary(f"malformed payload from JD: {what} {problem}")


class NoApiPermission(Rejected):
    """The app or the shop's authorization does not cover this API (e.g. 咚咚 chat logs)."""


# -- errors ----------------------------------------------------------------------------------------
_LIMIT_WORDS = ("频繁", "超限", "限流", "流控", "次数", "too many", "limit", "frequency", "frequently")
_BUSY_WORDS = ("繁忙", "超时", "系统错误", "系统异常", "服务不可用", "busy", "timeout", "unavailable")
_PERMISSION_WORDS = ("无权", "权限", "未授权", "permission", "not authorized", "unauthorized")
_TIMESTAMP_WORDS = ("时间戳", "timestamp")


def _has(text: str, words: tuple[str, ...]) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in words)


def platform_error(code: str, zh: str, en: str, where: str) -> AdapterError:
    """One JOS error (error_response, or a non-zero inner code) → the typed error.

    Codes JD publishes in our sources are matched by number; the call limit, a busy
    system and a refused timestamp have no known number, so their words decide."""
    message = zh or en or "no description"
    detail = f"JD {where}: code {code or '?'}: {message}"
    words = f"{zh} {en}"
    if code == CODE_INVALID_TOKEN:
        return AuthExpired(f"{detail} (access_token invalid or expired: authorize the shop again)")
    if code in (CODE_BAD_SIGN, CODE_BAD_APP_KEY):
        # a wrong App Key / App Secret is a wrong credential: the shop needs a new login
        return AuthExpired(f"{detail} (check the App Key and App Secret)")
    if _has(words, _LIMIT_WORDS):
        return RateLimited(DEFAULT_RETRY_AFTER, f"{detail} (call limit)")
    if code in CODE_TIMEOUTS or _has(words, _BUSY_WORDS):
        return Temporary(detail)
    if code == CODE_NO_PERMISSION or _has(words, _PERMISSION_WORDS):
        return NoApiPermission(detail)
    if _has(words, _TIMESTAMP_WORDS):
        return Rejected(f"{detail} (this computer's clock is more than 6 minutes off Beijing time)")
    return Rejected(detail)


def unwrap(method: str, payload: object) -> dict[str, Any]:
    """A decoded gateway reply → the method's result node, or raise its typed error."""
    if not isinstance(payload, dict):
        raise malformed(f"{method} reply", f"is {type(payload).__name__}, not an object")
    error = payload.get("error_response")
    if error is not None:
        if not isinstance(error, dict):
            raise malformed(f"{method} error_response", "is not an object")
        raise platform_error(str(error.get("code", "")), str(error.get("zh_desc") or ""),
                             str(error.get("en_desc") or ""), method)
    key = response_key(method)
    body = payload.get(key)
    if not isinstance(body, dict):
        raise malformed(f"{method} reply", f"lacks the {key!r} object")
    code = str(body.get("code", "0"))
    if code != "0":
        raise platform_error(code, str(body.get("zh_desc") or ""), str(body.get("en_desc") or ""), method)
    node = RESULT_NODE[method]
    result = body.get(node)
    if not isinstance(result, dict):
        raise malformed(f"{method} reply", f"lacks the {node!r} object")
    return result


def refusal_text(result: Mapping[str, Any]) -> str:
    for key in ("chineseErrCode", "englishErrCode", "resultDescribe", "result_describe", "errorMsg", "message"):
        value = result.get(key)
        if isinstance(value, str) and value:
            return value
    return "no reason given"


def check_success(result: Mapping[str, Any], where: str) -> None:
    """A business result's own verdict (`success: false` + a reason) → its typed error."""
    if result.get("success") is True:
        return
    if result.get("success") is False:
        raise platform_error("", refusal_text(result), "", where)
    raise malformed(f"{where} result", "lacks success=true|false")


# -- records -------------------------------------------------------------------------------------------
class Record:
    """Checked access to one JSON object of the wire."""

    __slots__ = ("data", "what")

    def __init__(self, data: object, what: str) -> None:
        if not isinstance(data, dict):
            raise malformed(what, f"is {type(data).__name__}, not an object")
        self.data: dict[str, Any] = data
        self.what = what

    def text(self, key: str) -> str:
        """A required id-like field; JOS sends ids as strings, sometimes as numbers."""
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
            raise malformed(self.what, f"lacks {key!r} (got {value!r})")
        return str(value)

    def opt_text(self, key: str) -> str:
        value = self.data.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise malformed(self.what, f"field {key!r} should be a string, got {type(value).__name__}")
        return str(value)

    def money(self, key: str) -> Decimal:
        raw = self.data.get(key)
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            raise malformed(self.what, f"field {key!r} should be a yuan amount, got {raw!r}")
        try:
            amount = Decimal(str(raw).strip())
        except InvalidOperation:
            raise malformed(self.what, f"field {key!r} is not a yuan amount: {raw!r}") from None
        if not amount.is_finite() or amount < 0:
            raise malformed(self.what, f"field {key!r} is not a yuan amount: {raw!r}")
        return amount

    def time(self, key: str) -> datetime:
        moment = self.opt_time(key)
        if moment is None:
            raise malformed(self.what, f"lacks the time {key!r}")
        return moment

    def opt_time(self, key: str) -> datetime | None:
        raw = self.data.get(key)
        if raw is None or raw == "":
            return None
        if isinstance(raw, bool):
            raise malformed(self.what, f"field {key!r} is not a time: {raw!r}")
        if isinstance(raw, int):  # epoch milliseconds, as the chat log sends them
            return datetime.fromtimestamp(raw / 1000, UTC)
        if not isinstance(raw, str):
            raise malformed(self.what, f"field {key!r} is not a time: {raw!r}")
        if raw.isdigit():
            return datetime.fromtimestamp(int(raw) / 1000, UTC)
        try:
            return parse_time(raw)
        except ValueError:
            raise malformed(self.what, f"field {key!r} is not a JOS time: {raw!r}") from None

    def array(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise malformed(self.what, f"field {key!r} should be an array, got {type(value).__name__}")
        return value


def fingerprint(record: Mapping[str, Any]) -> str:
    """A short digest of a whole record: the same order delivered unchanged has the same one."""
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def order_status(raw: str, order_id: str) -> OrderStatus:
    status = ORDER_STATUS.get(raw)
    if status is None:
        # A state JD added after our spec must not stop the feed: the raw status is kept
        # for display, and "paid" is the state that asks the least of anyone.
        log.warning("JD order %s has an unknown orderState %r; shown as paid", order_id, raw)
        return OrderStatus.PAID
    return status


def _items(r: Record) -> tuple[OrderItem, ...]:
    items = []
    for index, raw in enumerate(r.array("itemInfoList")):
        item = Record(raw, f"{r.what} itemInfoList[{index}]")
        quantity_text = item.text("itemTotal")
        if not quantity_text.isdigit() or int(quantity_text) <= 0:
            raise malformed(item.what, f"itemTotal is not a positive count: {quantity_text!r}")
        items.append(OrderItem(
            sku_id=item.text("skuId"),
            title=item.opt_text("skuName"),
            quantity=int(quantity_text),
            unit_price=item.money("jdPrice"),
        ))
    return tuple(items)


def _receiver(r: Record) -> str:
    """Name, phone and address exactly as JD masks them; never unmasked here."""
    raw = r.data.get("consigneeInfo")
    if raw is None:
        return ""
    info = Record(raw, f"{r.what} consigneeInfo")
    phone = info.opt_text("mobile") or info.opt_text("desen_mobile") or info.opt_text("telephone")
    parts = (info.opt_text("fullname"), phone, info.opt_text("fullAddress"))
    return " ".join(part for part in parts if part)


def buyer_of(r: Record) -> tuple[str, str]:
    """(buyer_id, buyer_nick). The chat log names buyers by pin, so the pin comes first and
    links an order to its buyer's chats; the open ids stand in where JD withholds the pin."""
    pin = r.opt_text("pin")
    for key in ("pin", "open_id_buyer", "xid_buyer"):
        value = r.opt_text(key)
        if value:
            return value, pin or value
    # No buyer id at all: one stand-in buyer per order rather than a stalled feed.
    order_id = r.text("orderId")
    return f"order:{order_id}", "京东买家"


def order_event(raw: object, flag: int | None) -> OrderEvent:
    """One orderInfo (with the fields of protocol.ORDER_FIELDS) → an OrderEvent.
    `flag` is the remark flag read by queryByOrderId (the search does not return it)."""
    r = Record(raw, "orderInfo")
    order_id = r.text("orderId")
    r.what = f"orderInfo {order_id}"
    raw_status = r.text("orderState")
    buyer_id, buyer_nick = buyer_of(r)
    extra = {key: r.opt_text(key) for key in ("orderStateRemark", "orderRemark", "venderId",
                                              "logisticsId", "freightPrice", "sellerDiscount")}
    return OrderEvent(
        platform_order_id=order_id,
        buyer_id=buyer_id,
        buyer_nick=buyer_nick,
        status=order_status(raw_status, order_id),
        raw_status=raw_status,
        items=_items(r),
        total=r.money("orderPayment"),  # what the buyer pays: goods − discounts + freight
        currency=CURRENCY,
        created_at=r.time("orderStartTime"),
        updated_at=r.time("modified"),
        paid_at=r.opt_time("paymentConfirmTime"),
        receiver_masked=_receiver(r),
        seller_memo=r.opt_text("venderRemark"),
        seller_flag=flag,
        waybill=r.opt_text("waybill"),
        extra={key: value for key, value in extra.items() if value},
    )


def search_page(result: Mapping[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """searchorderinfo_result → (orderInfo records, orderTotal), after its apiResult verdict."""
    api = result.get("apiResult")
    if not isinstance(api, dict):
        raise malformed("searchorderinfo_result", "lacks apiResult")
    check_success(api, "order search")
    records = Record(dict(result), "searchorderinfo_result").array("orderInfoList")
    total = result.get("orderTotal", len(records))
    if isinstance(total, str) and total.isdigit():
        total = int(total)
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise malformed("searchorderinfo_result", f"orderTotal is not a count: {total!r}")
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise malformed(f"orderInfoList[{index}]", f"is {type(record).__name__}, not an object")
    return records, total


def remark_flag(result: Mapping[str, Any], order_id: str) -> int:
    """venderRemarkQueryResult → the order's flag (0 = JD's default, grey)."""
    api = result.get("api_jos_result")
    if isinstance(api, dict) and api.get("success") is False:
        raise platform_error("", refusal_text(api), "", f"remark query of {order_id}")
    remark = result.get("vender_remark")
    if remark is None:
        return 0  # no remark kept for this order
    flag = Record(remark, f"vender_remark of {order_id}").data.get("flag", 0)
    if isinstance(flag, str) and flag.isdigit():
        flag = int(flag)
    if isinstance(flag, bool) or not isinstance(flag, int) or not 0 <= flag <= 5:
        raise malformed(f"vender_remark of {order_id}", f"flag is not 0–5: {flag!r}")
    return flag


# -- chat log ------------------------------------------------------------------------------------------
def count_of(result: Mapping[str, Any], what: str) -> int:
    total = result.get("totalRecord", 0)
    if isinstance(total, str) and total.isdigit():
        total = int(total)
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise malformed(what, f"totalRecord is not a count: {total!r}")
    return total


def session_customers(result: Mapping[str, Any]) -> tuple[list[str], int, int]:
    """ChatSessionPage → (distinct buyers in list order, sessions on this page, totalRecord).
    Fields [SDK] ChatSession: customer, waiter, beginTime, replyTime, endTime, sessionType,
    transfer, sid, skuId; only `customer` is needed (chatlog.get requires it)."""
    sessions = Record(dict(result), "ChatSessionPage").array("chatSessionList")
    customers: list[str] = []
    for index, raw in enumerate(sessions):
        customer = Record(raw, f"chatSessionList[{index}]").text("customer")
        if customer not in customers:
            customers.append(customer)
    return customers, len(sessions), count_of(result, "ChatSessionPage")


def message_id(sid: str, customer: str, millis: int, from_waiter: bool, content: str) -> str:
    """The chat log carries no message id; this one is derived from what identifies a line,
    so a replay gives the same id. Two identical lines in one millisecond become one."""
    key = "\x1f".join((sid, customer, str(millis), "1" if from_waiter else "0", content))
    return "jd:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:24]


def chat_message(raw: object) -> MessageEvent | None:
    """One ChatLog line → a MessageEvent, or None for an empty line.

    Fields [SDK] ChatLog: customer, waiter, content, sid, skuId, time, channel, waiterSend;
    `time` is epoch milliseconds in a published reply. (The spec's `isFromWaiter`/`timestamp`
    are a consumer app's own renaming of `waiterSend`/`time`, not wire names.)"""
    r = Record(raw, "chatLog line")
    content = r.opt_text("content")
    if not content:
        return None
    customer = r.text("customer")
    sent_at = r.time("time")
    from_waiter = r.data.get("waiterSend")
    if not isinstance(from_waiter, bool):
        raise malformed(r.what, f"waiterSend should be a boolean, got {from_waiter!r}")
    millis = int(sent_at.timestamp() * 1000)
    waiter = r.opt_text("waiter")
    sid = r.opt_text("sid")
    return MessageEvent(
        platform_msg_id=message_id(sid, customer, millis, from_waiter, content),
        # one conversation per buyer, as the 咚咚 workbench shows it; JD's `sid` is one
        # consultation and a buyer has many
        conversation_id=customer,
        buyer_id=customer,
        buyer_nick=customer,
        direction=Direction.OUT if from_waiter else Direction.IN,
        sender=(waiter or "客服") if from_waiter else customer,
        kind=MessageKind.TEXT,
        text=content,
        sent_at=sent_at,
    )


def chat_page(result: Mapping[str, Any]) -> tuple[list[MessageEvent], int, int]:
    """ChatLogPage → (messages, lines on this page, totalRecord)."""
    lines = Record(dict(result), "ChatLogPage").array("chatLogList")
    events = [event for event in (chat_message(line) for line in lines) if event is not None]
    return events, len(lines), count_of(result, "ChatLogPage")
