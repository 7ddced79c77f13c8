"""The order feed's cursor and window rules, as pure data.

Shopify's incremental read is `orders(query: "updated_at:>=… AND updated_at:<=…",
sortKey: UPDATED_AT, first, after)` with cursor paging: `pageInfo.hasNextPage` and
`endCursor`, which is only valid for the same query [SPEC] §6. So a window [start, end]
is fixed when it opens (end = now) and paged through with `after`; the next window starts
where it ended. Two Shopify facts shape the rest:

- the `query` filter runs on Shopify's search index, which trails writes by a little, and
  `updated_at` has one-second resolution: at the live edge the next window starts
  `overlap` seconds before now, and the cursor keeps a fingerprint of each order already
  delivered from that stretch, so an order comes again only if it changed;
- a connection can be paged at most 25,000 objects deep (shopify.dev/api/usage/limits):
  after `REBASE_PAGES` pages the window restarts a margin before the last order's
  `updatedAt` (ascending, so nothing before that is left; the margin covers orders the
  index sorted by an older `updatedAt` than the one they now show), and the fingerprints
  skip what was read.

The cursor is JSON: {"v": 1, "s": start, "e": end | null, "a": after | null, "p": pages,
"seen": {order id: [fingerprint, updated epoch]}}.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from desktop.sdk import Temporary

REBASE_PAGES = 100  # × at most 15 orders a page: far below the 25,000 paging limit
REBASE_MARGIN_S = 60
SEEN_MAX = 2000  # fingerprints a cursor keeps; past this an order may repeat (never be lost)


def _bad(cursor: str, why: str) -> Temporary:
    # Only this adapter writes cursors: a bad one is a bug or a damaged store.
    return Temporary(f"unreadable Shopify order cursor ({why}): {cursor[:80]!r}")


def _int(data: dict[str, Any], key: str, cursor: str, *, nullable: bool = False) -> int | None:
    value = data.get(key)
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(cursor, f"{key} is not an integer")
    return value


@dataclass(frozen=True)
class OrderCursor:
    start: int  # epoch seconds, inclusive
    end: int | None = None  # epoch seconds, inclusive; None = open the next window at "now"
    after: str | None = None  # Shopify's endCursor within this window
    pages: int = 0  # pages read in this window since it opened or was rebased
    seen: dict[str, tuple[str, int]] = field(default_factory=dict)  # id → (fingerprint, updated)

    def dump(self) -> str:
        return json.dumps({"v": 1, "s": self.start, "e": self.end, "a": self.after, "p": self.pages,
                           "seen": {k: [fp, at] for k, (fp, at) in self.seen.items()}},
                          separators=(",", ":"), sort_keys=True)

    @classmethod
    def load(cls, cursor: str) -> OrderCursor:
        try:
            data = json.loads(cursor)
        except ValueError:
            raise _bad(cursor, "not JSON") from None
        if not isinstance(data, dict) or data.get("v") != 1:
            raise _bad(cursor, "unknown version")
        after = data.get("a")
        if after is not None and not isinstance(after, str):
            raise _bad(cursor, "a is not text")
        raw = data.get("seen", {})
        if not isinstance(raw, dict):
            raise _bad(cursor, "seen is not an object")
        seen: dict[str, tuple[str, int]] = {}
        for key, value in raw.items():
            if (not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], str)
                    or isinstance(value[1], bool) or not isinstance(value[1], int)):
                raise _bad(cursor, f"seen[{key!r}] is not [fingerprint, time]")
            seen[key] = (value[0], value[1])
        start = _int(data, "s", cursor)
        pages = _int(data, "p", cursor)
        assert start is not None and pages is not None
        end = _int(data, "e", cursor, nullable=True)
        if pages < 0 or (end is not None and end < start):
            raise _bad(cursor, "window out of order")
        return cls(start, end, after, pages, seen)

    @classmethod
    def initial(cls, now: int, history_s: int) -> OrderCursor:
        return cls(start=now - history_s)

    def opened(self, now: int) -> OrderCursor:
        """With a window to read: [start, now] (never backwards if the clock stepped back)."""
        if self.end is not None:
            return self
        return replace(self, end=max(self.start, now), after=None, pages=0)

    def is_new(self, order_id: str, digest: str) -> bool:
        known = self.seen.get(order_id)
        return known is None or known[0] != digest

    def next_page(self, after: str, delivered: dict[str, tuple[str, int]], last_updated: int) -> OrderCursor:
        """The page after this one; past REBASE_PAGES the window restarts REBASE_MARGIN_S
        before `last_updated` — unless that would not move it on, then paging goes deeper."""
        seen = {**self.seen, **delivered}
        start = last_updated - REBASE_MARGIN_S
        if self.pages + 1 >= REBASE_PAGES and start > self.start:
            return replace(self, start=start, after=None, pages=0, seen=_kept(seen, start))
        return replace(self, after=after, pages=self.pages + 1, seen=seen)

    def window_done(self, delivered: dict[str, tuple[str, int]], overlap_s: int, now: int) -> OrderCursor:
        """After a window's last page. A past window is finished: the next starts at its end
        second (read again, for orders written in that same second). At the live edge the
        next starts `overlap_s` before now, for what Shopify's search has not indexed yet."""
        assert self.end is not None
        start = max(self.start, min(self.end, now - overlap_s))
        return OrderCursor(start=start, seen=_kept({**self.seen, **delivered}, start))


def _kept(seen: dict[str, tuple[str, int]], start: int) -> dict[str, tuple[str, int]]:
    """The fingerprints still needed from `start` on, newest SEEN_MAX of them."""
    kept = sorted(((k, v) for k, v in seen.items() if v[1] >= start), key=lambda kv: kv[1][1])
    return dict(kept[-SEEN_MAX:])
