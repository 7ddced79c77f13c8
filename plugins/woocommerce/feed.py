"""The order feed's cursor and its keyset rules, as pure data: what to ask next and where to resume.

`GET /orders?modified_after=…&dates_are_gmt=true&orderby=modified&order=asc&per_page=N&page=1`.
date_modified has one-second resolution and no sequence number. Paging with page=2, 3… over a
set that moves while it is read would skip orders (an order modified meanwhile leaves its place
and the rest shift up into the page already read), so the feed is a keyset instead: every request
is page 1 of "modified at or after A", and A moves to the second of the last order read (that
second is read again). The cursor keeps a fingerprint of each order already delivered from second
A on, so an order that comes back unchanged is skipped and a changed one (even within the same
second) is reported. X-WP-TotalPages > 1 says the page was not the last, i.e. read on now.
Nothing here depends on how the server orders orders *within* a second (WooCommerce adds ID as
a tie-breaker [CORE], but a HPOS store or a plugin might not).

Two edges:
- the live edge: orders may still land on the seconds just read (late commits, clock skew), so
  when caught up A never passes `now - overlap` nor the newest order seen;
- a tie: more than one page of orders in the very same second. Page 1 from A cannot get past
  them, so the feed reads that second alone (`modified_before`) with `exclude` = the ones
  already delivered, until it is exhausted, then moves to A + 1.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from desktop.sdk import Temporary

from .protocol import ORDERBY_MODIFIED, format_gmt

SEEN_MAX = 2000  # fingerprints a cursor keeps; past this, repeats are possible (never losses)


def _bad(cursor: str, why: str) -> Temporary:
    # A cursor only this adapter writes; a bad one means a bug or a corrupted store.
    return Temporary(f"unreadable WooCommerce order cursor ({why}): {cursor[:80]!r}")


@dataclass(frozen=True)
class OrderCursor:
    since: int  # A: epoch seconds (UTC); orders modified at or after A are still to be read
    seen: dict[str, tuple[str, int]] = field(default_factory=dict)  # id → (fingerprint, modified)
    tie: bool = False  # reading second A alone, past the orders already delivered

    def dump(self) -> str:
        return json.dumps({"v": 1, "a": self.since, "tie": self.tie,
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
        since, tie, raw = data.get("a"), data.get("tie", False), data.get("seen", {})
        if isinstance(since, bool) or not isinstance(since, int) or since < 0:
            raise _bad(cursor, "a is not epoch seconds")
        if not isinstance(tie, bool) or not isinstance(raw, dict):
            raise _bad(cursor, "tie or seen has the wrong type")
        seen: dict[str, tuple[str, int]] = {}
        for key, value in raw.items():
            if (not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], str)
                    or isinstance(value[1], bool) or not isinstance(value[1], int)):
                raise _bad(cursor, f"seen[{key!r}] is not [fingerprint, time]")
            seen[key] = (value[0], value[1])
        return cls(since, seen, tie)

    @classmethod
    def initial(cls, now: int, history_s: int) -> OrderCursor:
        return cls(since=max(0, now - history_s))

    # -- the request ------------------------------------------------------------------------------------
    def query(self, per_page: int) -> dict[str, str]:
        """The list parameters of the next request (always page 1: see the module doc)."""
        params = {
            # WordPress's date_query `after` is exclusive: after A-1 s is "at or after A"
            "modified_after": format_gmt(self.since - 1),
            "dates_are_gmt": "true",
            "orderby": ORDERBY_MODIFIED,
            "order": "asc",
            "per_page": str(per_page),
            "page": "1",
        }
        if self.tie:
            params["modified_before"] = format_gmt(self.since + 1)  # exclusive too: second A only
            params["exclude"] = ",".join(sorted(self.at_since(), key=int))
        return params

    def at_since(self) -> list[str]:
        return [k for k, (_, at) in self.seen.items() if at == self.since]

    def is_new(self, order_id: str, digest: str) -> bool:
        return self.seen.get(order_id, ("",))[0] != digest

    # -- after the reply ----------------------------------------------------------------------------------
    def advance(self, listed: list[tuple[str, str, int]], more: bool, now: int, overlap_s: int
                ) -> tuple[OrderCursor, bool]:
        """(next cursor, has_more) after a page. `listed`: (id, fingerprint, modified) of every
        order of the page in the server's order, delivered or skipped; `more`: the server has
        pages after this one."""
        merged = {**self.seen, **{k: (fp, at) for k, fp, at in listed}}
        last = listed[-1][2] if listed else self.since
        if self.tie:
            if more:
                return OrderCursor(self.since, merged, tie=True), True
            if self.since + 1 <= now - overlap_s:
                return OrderCursor(self.since + 1, _kept(merged, self.since + 1)), True
            # second A is still at the live edge: stay on it (stuck reads come back here) and
            # move past it once it is `overlap` old
            return OrderCursor(self.since, merged), False
        if more:
            if last <= self.since:  # a whole page in second A and more after it: a tie
                return OrderCursor(self.since, merged, tie=True), True
            return OrderCursor(last, _kept(merged, last)), True
        since = max(self.since, min(last, now - overlap_s))
        return OrderCursor(since, _kept(merged, since)), False


def _kept(seen: dict[str, tuple[str, int]], since: int) -> dict[str, tuple[str, int]]:
    kept = sorted(((k, v) for k, v in seen.items() if v[1] >= since), key=lambda kv: kv[1][1])
    return dict(kept[-SEEN_MAX:])


def page_has_more(pages: int | None, got: int, per_page: int) -> bool:
    """Whether pages follow page 1: X-WP-TotalPages [SPEC], else a full page means maybe."""
    if pages is not None:
        return pages > 1
    return got >= per_page


class OutOfWindow(Exception):
    """The server listed an order outside the asked window."""


def check_in_window(cursor: OrderCursor, listed: list[tuple[str, str, int]]) -> None:
    """A server that ignores modified_after/dates_are_gmt (an old WooCommerce) would page the whole
    shop from its oldest order forever: refuse plainly instead."""
    for order_id, _, at in listed:
        if at < cursor.since or (cursor.tie and at != cursor.since):
            raise OutOfWindow(f"order {order_id} modified at {format_gmt(at)} was listed for "
                              f"modified_after {format_gmt(cursor.since - 1)}")
