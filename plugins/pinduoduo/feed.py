"""The order feed's cursor and its window/paging rules (pure functions, no I/O).

`pdd.order.number.list.increment.get` answers orders whose ``updated_at`` lies in
``[start_updated_at, end_updated_at]`` (Unix seconds, span ≤ 30 minutes), in pages
of ≤ 100. The official doc says to page **backwards from the last page** so that an
order updated while we page (it leaves the window) cannot shift an unread one onto
a page already read. So each window is read as: page 1 (which tells ``total_count``),
then the last page down to page 1 again; a window that fits one page takes one call.

Windows tile time without a gap: the next window starts at the previous end
*second* (times have one-second resolution, and an order can change again within
the second we stopped at). To keep that overlap from re-reading, the cursor carries
the orders already read at that second with a fingerprint of their content; one
is skipped only if it comes back unchanged.

Cursor (opaque to the engine): compact JSON
``{"v": 1, "s": start, "e": end|null, "p": next page|null, "z": page size|null,
"a": {sn: fp}, "b": {sn: fp}}`` with ``e``/``p``/``z`` null before a window's first
page, ``a`` the orders read at second ``s``, ``b`` those read so far at second
``e``. A window in progress keeps its page size, so a changed setting cannot skew it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from .protocol import WINDOW_MAX_S

CURSOR_VERSION = 1


@dataclass(frozen=True, slots=True)
class FeedState:
    start: int  # window start, Unix seconds
    end: int | None = None  # fixed by the window's first page
    page: int | None = None  # next page to read, counting down; None = page 1 first
    page_size: int | None = None  # the window's page size, once it is being paged
    seen_at_start: Mapping[str, str] = field(default_factory=dict)
    seen_at_end: Mapping[str, str] = field(default_factory=dict)


def encode(state: FeedState) -> str:
    return json.dumps({"v": CURSOR_VERSION, "s": state.start, "e": state.end, "p": state.page,
                       "z": state.page_size, "a": dict(state.seen_at_start), "b": dict(state.seen_at_end)},
                      separators=(",", ":"), sort_keys=True)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _fingerprints(value: object) -> dict[str, str] | None:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return None
    return dict(value)


def decode(cursor: str) -> FeedState | None:
    """The state in `cursor`, or None if it is not one of ours."""
    try:
        data = json.loads(cursor)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION:
        return None
    start, end, page, size = data.get("s"), data.get("e"), data.get("p"), data.get("z")
    seen_start, seen_end = _fingerprints(data.get("a")), _fingerprints(data.get("b"))
    if not _is_int(start) or seen_start is None or seen_end is None:
        return None
    if end is None and page is None and size is None:
        return FeedState(start, seen_at_start=seen_start, seen_at_end=seen_end)
    if not _is_int(end) or not _is_int(page) or not _is_int(size) or end < start or page < 1 or size < 1:
        return None
    return FeedState(start, end, page, size, seen_start, seen_end)


def window(state: FeedState, now: int, page_size: int) -> tuple[int, int, int, int]:
    """(start, end, page, page size) of the next call; `page_size` is the setting."""
    if state.end is not None and state.page is not None:
        return state.start, state.end, state.page, state.page_size or page_size
    end = min(state.start + WINDOW_MAX_S, max(now, state.start))
    return state.start, end, 1, page_size


def fingerprint(record: Mapping[str, Any]) -> str:
    """A short digest of an order's whole content, to tell a re-read from a change."""
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def last_page(total: int, page_size: int) -> int:
    return max(1, -(-total // page_size))


def step(state: FeedState, end: int, page: int, total: int, page_size: int,
         at_end: Mapping[str, str], now: int) -> tuple[FeedState, bool]:
    """The state after reading `page` of the window ending at `end`, and whether to go
    on now. `total` is the reply's total_count; `at_end` the orders on the page that
    were updated at second `end` (emitted or skipped)."""
    seen_end = {**state.seen_at_end, **at_end}
    probing = state.page is None
    if probing and last_page(total, page_size) > 1:
        return FeedState(state.start, end, last_page(total, page_size), page_size, state.seen_at_start, seen_end), True
    if not probing and page > 1:
        return FeedState(state.start, end, page - 1, page_size, state.seen_at_start, seen_end), True
    return FeedState(end, seen_at_start=seen_end), end < now
