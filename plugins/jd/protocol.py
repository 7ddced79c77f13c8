"""The JOS wire contract shared by the adapter and the fake: names, limits, time format, signing.

Evidence labels follow research/platform-apis.md §5: [SPEC] is stated there; [SDK] comes from
the generated JD SDK classes (request/response/domain) the spec's sources are copies of;
[COMMUNITY] from third-party JD clients; [UNVERIFIED] is our own choice where nothing says.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

from desktop.sdk.signing import md5_wrap_hex, sorted_concat

GATEWAY_URL = "https://api.jd.com/routerjson"  # [SPEC] 5.1
GATEWAY_PATH = "/routerjson"
OAUTH_URL = "https://open-oauth.jd.com"  # [SPEC] 5.4
API_V = "2.0"  # [SPEC] 5.1 system param `v`

# Beijing time, no DST: a fixed offset needs no tz database (absent on Windows).
CST = timezone(timedelta(hours=8), "CST")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # [SPEC] 5.1 timestamp, 5.5 start/end_date, 5.8 startTime/endTime
TIMESTAMP_TOLERANCE = timedelta(minutes=6)  # [SPEC] 5.1 "server tolerance 6 minutes" (older help page)

# -- methods and their result nodes ---------------------------------------------------------------
ORDER_SEARCH = "jingdong.pop.order.search"  # [SPEC] 5.5
REMARK_UPDATE = "jingdong.pop.order.modifyVenderRemark"  # [SPEC] 5.6
REMARK_QUERY = "jingdong.order.venderRemark.queryByOrderId"  # [SPEC] 5.6 (read)
CHATLOG_GET = "jingdong.im.pop.chatlog.get"  # [SPEC] 5.8
# [SDK] not in the spec: chatlog.get needs a buyer (`customer`, required), and this is the
# API that lists who chatted in a time window (ImPopSessionlistGetRequest/ChatSessionPage).
SESSIONLIST_GET = "jingdong.im.pop.sessionlist.get"

RESULT_NODE = {
    ORDER_SEARCH: "searchorderinfo_result",  # [SPEC] 5.2
    REMARK_UPDATE: "modifyvenderremark_result",  # [SPEC] 5.6
    REMARK_QUERY: "venderRemarkQueryResult",  # [SPEC] 5.6
    CHATLOG_GET: "ChatLogPage",  # [SDK] ImPopChatlogGetResponse; see mapping.py on the spec's field names
    SESSIONLIST_GET: "ChatSessionPage",  # [SDK] ImPopSessionlistGetResponse
}


def response_key(method: str) -> str:
    """`jingdong.pop.order.search` → `jingdong_pop_order_search_responce` (the platform's spelling)."""
    return method.replace(".", "_") + "_responce"


# -- orders ------------------------------------------------------------------------------------------
ORDER_PAGE_SIZE_MAX = 100  # [SPEC] 5.5 page_size ≤ 100
ORDER_DATE_TYPE_MODIFIED = 0  # [SPEC] 5.5 dateType 0 = modified time
# [SPEC] 5.5 start/end ≤ 1 month apart. 28 days is inside one calendar month whatever the
# month, so no reading of "1 month" (30 days, 31 days, same day next month) can refuse it.
ORDER_WINDOW_MAX = timedelta(days=28)
# [SPEC] 5.5 states. order_state is required; we ask for every state a POP shop has.
# The LBP/SOPL-only states are mapped when seen but not asked for (an unknown value in the
# filter might be refused).
ORDER_STATES_ASKED = (
    "WAIT_SELLER_STOCK_OUT", "WAIT_GOODS_RECEIVE_CONFIRM", "WAIT_SELLER_DELIVERY", "PAUSE",
    "FINISHED_L", "TRADE_CANCELED", "LOCKED", "POP_ORDER_PAUSE",
)
# [SPEC] 5.5 optional_fields (required param): what mapping.py reads, plus the buyer ids.
ORDER_FIELDS = (
    "orderId", "venderId", "orderState", "orderStateRemark", "orderTotalPrice", "orderSellerPrice",
    "orderPayment", "freightPrice", "sellerDiscount", "orderRemark", "venderRemark",
    "orderStartTime", "orderEndTime", "modified", "paymentConfirmTime", "consigneeInfo",
    "itemInfoList", "pin", "open_id_buyer", "xid_buyer", "waybill", "logisticsId",
)

# -- remark ------------------------------------------------------------------------------------------
# [SPEC] 5.6 / §8: GRAY(0) RED(1) YELLOW(2) GREEN(3) BLUE(4) PURPLE(5), default 0.
FLAG_VALUES = (0, 1, 2, 3, 4, 5)
FLAG_NONE = 0
# [UNVERIFIED] the spec gives no remark length limit; a conservative one, enforced by the fake too.
MEMO_MAX_CHARS = 200

# -- chat log ----------------------------------------------------------------------------------------
# [UNVERIFIED] neither the window nor the page-size limit of chatlog/sessionlist is published in
# our sources; one day per window is what a public consumer of the API asks for, and small pages
# are always allowed.
CHAT_WINDOW_MAX = timedelta(days=1)
CHAT_PAGE_SIZE = 20

# -- errors --------------------------------------------------------------------------------------------
CODE_INVALID_TOKEN = "19"  # [SPEC] 5.2 无效access_token
# [COMMUNITY] a JD ERP client's JOS error table (not in the spec):
CODE_BAD_VERSION = "5"  # 不支持的版本号
CODE_BAD_SIGN = "12"  # 无效签名
CODE_NO_METHOD = "15"  # 不存在的方法名
CODE_BAD_APP_KEY = "21"  # 无效App Key
CODE_NO_PERMISSION = "24"  # 该商家无权调用API
CODE_TIMEOUTS = ("33", "65")  # 系统处理超时！请重新进行检索！
# [UNVERIFIED] placeholders the fake answers with; the adapter recognises these conditions by
# their words (zh_desc/en_desc), not by the number, since JD's real numbers are not known to us.
FAKE_CODE_RATE_LIMIT = "90"
FAKE_CODE_BAD_TIMESTAMP = "91"


# -- encoding and signing --------------------------------------------------------------------------
def param_json(params: Mapping[str, object]) -> str:
    """The one business param: standard JSON, keys in alphabetical order [SPEC] 5.1.
    Compact separators and raw UTF-8 reproduce both published vectors byte for byte."""
    return json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sign(params: Mapping[str, object], app_secret: str) -> str:
    """MD5(secret + k1v1k2v2… + secret), names sorted, every sent param but `sign`,
    UPPER hex [SPEC] 5.3. (`360buy_param_json` sorts first: "3" < "a".)"""
    return md5_wrap_hex(app_secret, sorted_concat(params), upper=True)


def format_time(moment: datetime) -> str:
    """A timezone-aware moment as JOS wants it: Beijing wall time, seconds."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: JOS times must be built from an aware moment")
    return moment.astimezone(CST).strftime(TIME_FORMAT)


def format_epoch(epoch: int) -> str:
    return format_time(datetime.fromtimestamp(epoch, CST))


def parse_time(text: str) -> datetime:
    """`yyyy-MM-dd HH:mm:ss`, optionally with `.SSS` and a `+0800` offset as in the official
    sample, → an aware datetime; without an offset it is Beijing time. Raises ValueError."""
    text = text.strip()
    moment = datetime.strptime(text[:19], TIME_FORMAT)
    rest = text[19:]
    match = _TIME_TAIL.fullmatch(rest)
    if match is None:
        raise ValueError(f"unexpected time suffix {rest!r}")
    millis, sign_, hours, minutes = match.groups()
    moment = moment.replace(microsecond=int((millis or "0").ljust(3, "0")[:3]) * 1000)
    if sign_ is None:
        return moment.replace(tzinfo=CST)
    offset = timedelta(hours=int(hours), minutes=int(minutes))
    return moment.replace(tzinfo=timezone(offset if sign_ == "+" else -offset))


_TIME_TAIL = re.compile(r"(?:\.(\d{1,3}))?(?:([+-])(\d{2}):?(\d{2}))?")


def signed_params(*, method: str, business: Mapping[str, object], app_key: str, app_secret: str,
                  access_token: str, timestamp: str) -> dict[str, str]:
    """Every param of one gateway call, `sign` included."""
    params = {
        "360buy_param_json": param_json(business),
        "access_token": access_token,
        "app_key": app_key,
        "method": method,
        "timestamp": timestamp,
        "v": API_V,
    }
    params["sign"] = sign(params, app_secret)
    return params
