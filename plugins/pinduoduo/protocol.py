"""The Pinduoduo gateway protocol: API names, reply keys, limits, signing, times, error codes.

Everything here is taken from the research notes (platform-apis.md §3), which cite
the official "API调用指南" and SDKs generated from the official API catalogue
(PDD-NET ``niltor/open-pdd-net-sdk``, PDD-NODE ``lywzx/pdd-node-sdk``).

Transport (§3.1)
    ``POST https://gw-api.pinduoduo.com/api/router``; common parameters ``type``
    (API name), ``client_id``, ``timestamp`` (Unix seconds), ``sign``, ``data_type``
    (``JSON``), ``access_token`` for authorised APIs; business parameters sit flat
    beside them. We send an ``application/x-www-form-urlencoded`` body, so every
    value is a string and the value signed is byte-identical to the value sent.

Signing (§3.3)
    ``upper(hex(md5(client_secret + join(k + v for k, v in sorted(params)) + client_secret)))``
    over every parameter except ``sign``. The page says "all request parameters",
    so a parameter sent with an empty value is signed as its bare name.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from decimal import Decimal

GATEWAY_URL = "https://gw-api.pinduoduo.com/api/router"
# Merchant web authorisation page (§3.4); the H5 page is https://mai.pinduoduo.com/h5-login.html.
AUTHORIZE_URL = "https://fuwu.pinduoduo.com/service-market/auth"

API_INCREMENT = "pdd.order.number.list.increment.get"
API_DETAIL = "pdd.order.information.get"
API_NOTE = "pdd.order.note.update"
API_TOKEN_CREATE = "pdd.pop.auth.token.create"
API_TOKEN_REFRESH = "pdd.pop.auth.token.refresh"
API_PMC_PERMIT = "pdd.pmc.user.permit"  # enables the message service for the shop (§3.7)

# The success key is per API and not derivable from the name (§3.2). The refresh key
# is from PDD-NET Models/Response/Util/RefreshPopAuthTokenResponse.cs.
RESPONSE_KEYS: Mapping[str, str] = {
    API_INCREMENT: "order_sn_increment_get_response",
    API_DETAIL: "order_info_get_response",
    API_NOTE: "response",
    API_TOKEN_CREATE: "pop_auth_token_create_response",
    API_TOKEN_REFRESH: "pop_auth_token_refresh_response",
    API_PMC_PERMIT: "pmc_user_permit_response",
}

WINDOW_MAX_S = 30 * 60  # start_updated_at .. end_updated_at span (§3.5)
PAGE_SIZE_MAX = 100  # page_size default and maximum (§3.5)
TAG_NAME_MAX_CHARS = 3  # tag_name (§3.6)
# The spec gives no limit for `note`; 200 characters is our conservative guess (open question).
NOTE_MAX_CHARS = 200
# increment filters meaning "everything" (§3.5)
ORDER_STATUS_ALL = 5
REFUND_STATUS_ALL = 5
LUCKY_FLAG_ALL = 0

# Beijing time: order time strings ("yyyy-MM-dd HH:mm:ss") are local to the platform.
CHINA_TZ = timezone(timedelta(hours=8), "UTC+08:00")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

# -- error codes (§3.2; [COMMUNITY] table quoting the official per-API error tables) --
SIGN_FAILED = 20004
IP_NOT_ALLOWED = 20005
NO_PERMISSION_PACKAGE = 20031
TOKEN_EXPIRED = 10019
RATE_LIMITED = frozenset({52101, 70031})
TEST_APP_CAP = 70036  # app still in test state, its call cap is used up
DEGRADED = frozenset({52102, 52103, 70033})  # degraded / maintenance
FORBIDDEN = frozenset({70032, 70034, 70035})  # forbidden / risk control
INTERNAL = frozenset({50000, 50001, 50002, 52001, 52002})


def wire_value(value: object) -> str:
    """A parameter value as it is sent and signed. Booleans are JSON's ``true``/``false``
    (``use_has_next=true`` in the spec's vector), never Python's ``True``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, (list, dict)):
        # How arrays/objects are signed is not published (open question §11.2); our
        # APIs only use scalars, this is the guess the SDKs' JSON bodies imply.
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    raise TypeError(f"no wire form for {type(value).__name__}")


def string_to_sign(params: Mapping[str, str], secret: str) -> str:
    body = "".join(f"{key}{params[key]}" for key in sorted(params) if key != "sign")
    return f"{secret}{body}{secret}"


def sign(params: Mapping[str, str], secret: str) -> str:
    """The ``sign`` parameter for `params` (every other parameter, sorted by name)."""
    return hashlib.md5(string_to_sign(params, secret).encode("utf-8")).hexdigest().upper()


def format_time(moment: datetime) -> str:
    return moment.astimezone(CHINA_TZ).strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    """``yyyy-MM-dd HH:mm:ss`` in Beijing time → an aware datetime; ValueError if not."""
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=CHINA_TZ)


def unix_seconds(moment: datetime) -> int:
    return int(moment.timestamp() // 1)


def pmc_digest(client_id: str, timestamp_ms: int, secret: str) -> str:
    """The last path segment of the PMC WebSocket URL (§3.7): base64 of the lowercase hex
    MD5 of ``client_id + timestamp_ms + client_secret`` (of the 32 hex characters, not of
    the raw digest)."""
    hexdigest = hashlib.md5(f"{client_id}{timestamp_ms}{secret}".encode()).hexdigest()
    return base64.b64encode(hexdigest.encode("ascii")).decode("ascii")
