"""The incremental order feed over order.searchList: windows, pages and the cursor.

Pure functions; the adapter does the HTTP. The rules (research §4.5): filter on
`update_time_start/_end` (Unix seconds), `page` from 0, `size` ≤ 100, reply
`{page, size, total, shop_order_list}`. The spec sets no window-length limit;
we walk fixed windows no longer than one day (a setting) up to "now".

Why the pages are read last-to-first: a window lies in the past, so while we
page through it, orders in it can only leave it (an update moves their
update_time past the window's end). Each departure shifts the rows after it
one place forward. Reading forward, a row would slide from the unread page
into the one already read and be lost; reading backward, a row can only slide
into the page read next, so we see it twice, never zero times. Page 0 is read
first (to learn `total`; its rows are reported only if the window fits on it)
and once more at the end for the same reason. If `total` grows mid-window (an
order indexed late), the window restarts.

Boundaries: the next window starts at the previous end, inclusive both sides,
so an order updated in that very second is not missed. Orders reported at the
boundary second are remembered in the cursor by a digest of their content and
skipped unless they changed, so catching up does not report them again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from desktop.sdk import Rejected

from .mapping import Record, fingerprint, malformed

CURSOR_VERSION = 1
EDGE_MAX = 500  # digests kept per boundary second; past that, a few orders are reported twice


@dataclass(frozen=True)
class FeedConfig:
    page_size: int  # 1..100
    window_s: int  # the longest window, seconds
    lookback_s: int  # how far back the first sync starts


@dataclass(frozen=True)
class FeedCursor:
    start: int  # window start, inclusive, Unix seconds
    seen: Mapping[str, str] = field(default_factory=dict)  # order id → digest reported at `start`
    end: int | None = None  # set while inside a window (inclusive)
    page: int | None = None  # next page to read; None = page 0 read first, to learn `total`
    total: int = 0  # `total` when the window's page plan was made
    edge: Mapping[str, str] = field(default_factory=dict)  # order id → digest seen at `end`

    def encode(self) -> str:
        body: dict[str, Any] = {"v": CURSOR_VERSION, "s": self.start, "seen": dict(self.seen)}
        if self.end is not None:
            body.update(e=self.end, p=self.page, t=self.total, edge=dict(self.edge))
        return json.dumps(body, separators=(",", ":"), sort_keys=True)

    @classmethod
    def decode(cls, text: str) -> FeedCursor:
        try:
            body = json.loads(text)
            if not isinstance(body, dict) or body.get("v") != CURSOR_VERSION:
                raise ValueError("unknown version")
            start, end, page, total = body["s"], body.get("e"), body.get("p"), body.get("t", 0)
            seen, edge = body.get("seen", {}), body.get("edge", {})
            ints_ok = all(isinstance(x, int) and not isinstance(x, bool) for x in (start, total))
            opt_ok = all(x is None or (isinstance(x, int) and not isinstance(x, bool)) for x in (end, page))
            maps_ok = all(isinstance(m, dict) and all(isinstance(v, str) for v in m.values()) for m in (seen, edge))
            if not (ints_ok and opt_ok and maps_ok):
                raise ValueError("bad field types")
        except (ValueError, KeyError, TypeError) as exc:
            raise Rejected(f"抖店 order cursor not understood ({exc}): {text[:80]!r}") from None
        return cls(start=start, seen=seen, end=end, page=page, total=total, edge=edge)


def search_params(start: int, end: int, page: int, size: int) -> dict[str, object]:
    """order.searchList business parameters for one page of a window."""
    return {"order_by": "update_time", "page": page, "size": size,
            "update_time_end": end, "update_time_start": start}


def plan(cursor: str | None, now: int, config: FeedConfig) -> tuple[FeedCursor, dict[str, object]]:
    """The state this call runs in (with its window fixed) and the page to ask for."""
    state = FeedCursor(start=now - config.lookback_s) if cursor is None else FeedCursor.decode(cursor)
    if state.end is None:  # a new window, never past now (nor before its start, if the clock went back)
        state = replace(state, end=max(state.start, min(state.start + config.window_s, now)),
                        page=None, total=0, edge={})
    assert state.end is not None  # (for the type checker: set just above)
    page = 0 if state.page is None else state.page
    return state, search_params(state.start, state.end, page, config.page_size)


def advance(state: FeedCursor, data: Mapping[str, Any], now: int, config: FeedConfig
            ) -> tuple[list[dict[str, Any]], FeedCursor, bool]:
    """One searchList reply → (raw orders to report, next cursor, has_more)."""
    end = state.end
    assert end is not None, "advance() takes the state plan() returned"
    reply = Record(dict(data), "order.searchList data")
    total = reply.integer("total")
    rows = reply.array("shop_order_list", [])
    if total < 0:
        raise malformed(reply.what, f"has total {total}")
    pages = -(-total // config.page_size)
    # The first read of a window that spans pages only learns `total`: page 0 is
    # read again last, and reporting it twice would be noise.
    planning = state.page is None and pages > 1
    report: list[dict[str, Any]] = []
    edge = dict(state.edge)
    for index, raw in enumerate(rows):
        row = Record(raw, f"order.searchList row {index}")
        order_id, updated = row.text("order_id"), row.integer("update_time")
        digest = fingerprint(row.data)
        if planning:
            continue
        if updated != state.start or state.seen.get(order_id) != digest:
            report.append(row.data)  # (else: reported at the previous boundary, unchanged since)
        if updated == end and (order_id in edge or len(edge) < EDGE_MAX):
            edge[order_id] = digest
    if state.page is None and pages <= 1:
        done = True  # the whole window fit on page 0
    elif state.page is not None and total > state.total:
        done, state = False, replace(state, page=None, total=total)  # late arrivals: plan again
    elif state.page is None:
        done, state = False, replace(state, page=pages - 1, total=total)  # now read backwards
    else:
        done = state.page == 0
        state = replace(state, page=state.page - 1)
    if done:
        return report, FeedCursor(start=end, seen=edge), end < now
    return report, replace(state, edge=edge), True
