"""TOP wire constants shared by the adapter and the fake: API names, time format, limits, codes.

Everything here is taken from the platform spec (shared research, section 2); where
the spec marks a value [UNVERIFIED] the comment says so.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

GATEWAY_URL = "https://eco.taobao.com/router/rest"
OAUTH_URL = "https://oauth.taobao.com"  # authorize page host (GET /authorize)

API_VERSION = "2.0"
SIGN_METHODS = ("md5", "hmac", "hmac-sha256")
# The spec names the three methods but no default; the official Java SDK's
# DefaultTaobaoClient signs with "hmac" unless told otherwise.
DEFAULT_SIGN_METHOD = "hmac"

# APIs this adapter calls.
INCREMENT_GET = "taobao.trades.sold.increment.get"
FULLINFO_GET = "taobao.trade.fullinfo.get"
MEMO_UPDATE = "taobao.trade.memo.update"
MEMO_ADD = "taobao.trade.memo.add"  # one-shot; update also adds, so the adapter never needs it
TOKEN_CREATE = "taobao.top.auth.token.create"
TOKEN_REFRESH = "taobao.top.auth.token.refresh"
TMC_USER_PERMIT = "taobao.tmc.user.permit"
TMC_CONSUME = "taobao.tmc.messages.consume"
TMC_CONFIRM = "taobao.tmc.messages.confirm"

# Time: "yyyy-MM-dd HH:mm:ss" in GMT+8, the server tolerating 10 minutes of skew.
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
CHINA_TZ = timezone(timedelta(hours=8), "GMT+8")
TIMESTAMP_TOLERANCE = timedelta(minutes=10)

# taobao.trades.sold.increment.get
WINDOW_MAX = timedelta(days=1)  # end_modified - start_modified <= 1 day
WINDOW_RECOMMENDED = timedelta(minutes=30)
# "Only trades from the last 3 months": 89 days stays inside any three calendar months.
HISTORY_MAX = timedelta(days=89)
PAGE_SIZE_MIN, PAGE_SIZE_MAX, PAGE_SIZE_DEFAULT = 1, 100, 40

MEMO_MAX_BYTES = 1000  # taobao.trade.memo.update / .add: memo <= 1000 bytes
FLAG_VALUES = (0, 1, 2, 3, 4, 5)  # 0 grey (the default, "no flag") .. 5 pink/purple

# TMC over HTTP pull (spec 2.7): consume 10..200 messages a call, confirm <= 200 ids a call.
TMC_QUANTITY_MIN, TMC_QUANTITY_MAX = 10, 200
TMC_QUANTITY_DEFAULT = 100  # ours: the spec gives the range, not a default
TMC_CONFIRM_MAX = 200
TMC_DEFAULT_GROUP = "default"  # the group consumed when `group_name` is not sent
# Topics that concern an order: every trade topic and every refund topic.
ORDER_TOPIC_PREFIXES = ("taobao_trade_", "taobao_refund_")

# error_response codes (spec 2.2). 25, 26 and 29 are marked or recalled [UNVERIFIED].
CODE_CALL_LIMITED = 7  # "App Call Limited", sub_code accesscontrol.*
CODE_SERVICE_UNAVAILABLE = 10  # "Service Currently Unavailable" [UNVERIFIED]
# 11 / 12 are not in the spec: TOP's code table as public SDK sources print it, e.g.
# 11 "Insufficient isv permissions" with sub_code isv.permission-api-package-limit.
CODE_INSUFFICIENT_ISV_PERMISSIONS = 11  # the app lacks the API's permission package
CODE_INSUFFICIENT_USER_PERMISSIONS = 12  # the seller's account may not do this
CODE_REMOTE_ERROR = 15  # "Remote service error", sub_code isv.* / isp.*
CODE_INVALID_SIGNATURE = 25  # msg "Invalid signature"
CODE_MISSING_SESSION = 26
CODE_INVALID_SESSION = 27  # "Invalid session", e.g. sub_code session-expired
CODE_INVALID_APP_KEY = 29
CODE_INVALID_TIMESTAMP = 31  # "Invalid timestamp"

TRADE_STATUSES = (
    "TRADE_NO_CREATE_PAY",
    "WAIT_BUYER_PAY",
    "SELLER_CONSIGNED_PART",
    "WAIT_SELLER_SEND_GOODS",
    "WAIT_BUYER_CONFIRM_GOODS",
    "TRADE_BUYER_SIGNED",
    "TRADE_FINISHED",
    "TRADE_CLOSED",
    "TRADE_CLOSED_BY_TAOBAO",
    "PAY_PENDING",
    "WAIT_PRE_AUTH_CONFIRM",
    "PAID_FORBID_CONSIGN",
)
REFUND_ACTIVE = ("WAIT_SELLER_AGREE", "WAIT_BUYER_RETURN_GOODS", "WAIT_SELLER_CONFIRM_GOODS")
REFUND_OVER = ("SELLER_REFUSE_BUYER", "CLOSED", "SUCCESS")
# Not in the spec's list, but what TOP sends for a sub-order without a refund.
REFUND_NONE = ("NO_REFUND", "")


def response_key(api: str) -> str:
    """`taobao.trades.sold.get` → `trades_sold_get_response`."""
    name = api.removeprefix("taobao.")
    return name.replace(".", "_") + "_response"


def format_time(moment: datetime) -> str:
    """A moment as TOP writes it: GMT+8 wall time, whole seconds."""
    return moment.astimezone(CHINA_TZ).strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    """TOP's `yyyy-MM-dd HH:mm:ss` (GMT+8) → an aware datetime; ValueError if it is not one."""
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=CHINA_TZ)


def china_now_second(moment: datetime) -> datetime:
    """`moment` in GMT+8, truncated to the second (TOP's time resolution)."""
    return moment.astimezone(CHINA_TZ).replace(microsecond=0)
