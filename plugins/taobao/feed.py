"""The order feed's cursor and window arithmetic over taobao.trades.sold.increment.get (pure).

Spec 2.5: a query spans at most one day of `modified` (30 min recommended), only
the last three months, times in GMT+8 to the second; results come newest first,
so pages are read from the last one back to the first ("从最后一页往回取") to miss
nothing when a trade changes while the window is paged. That needs `total_results`,
i.e. `use_has_next=false`; the faster `use_has_next=true` (forward by `has_next`)
is a setting for shops that accept the documented risk.

How windows chain: the cursor keeps S, the first second not known complete. The
next query spans [S - 1 s, min(S - 1 s + window, now)], so the API's "end must be
greater than start" holds even within the current second, and the boundary
seconds are always read again (whether TOP's end bound is inclusive or not).
Re-read trades are not reported twice: the cursor carries the fingerprints of
what was reported for trades modified in the window's last two seconds, and a
trade whose record is unchanged is skipped; any change (status, memo, flag …)
gives a new fingerprint and is reported.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from desktop.sdk import Rejected

from .protocol import HISTORY_MAX, format_time, parse_time

ONE_SECOND = timedelta(seconds=1)
MAX_PRINTS = 2000  # fingerprints kept in a cursor; beyond that a re-read may repeat (harmless)
MODE_DESC = "desc"  # total_results, pages read last → first
MODE_NEXT = "next"  # use_has_next, pages read first → last


@dataclass(frozen=True, slots=True)
class Query:
    """One taobao.trades.sold.increment.get call."""

    start: datetime  # start_modified
    end: datetime  # end_modified
    page_no: int
    page_size: int
    use_has_next: bool


@dataclass(frozen=True, slots=True)
class Cursor:
    start: datetime  # S: the first second not known complete (GMT+8, whole seconds)
    end: datetime | None = None  # the end of the window being paged; None between windows
    mode: str = MODE_DESC
    page: int = 0  # the page_no to read next inside the window
    size: int = 0  # the page_size the window is paged with
    seen: tuple[str, ...] = ()  # reported before, for trades modified at or after S - 1 s
    edge: tuple[str, ...] = ()  # reported in this window, for trades modified at or after end - 1 s

    def dump(self) -> str:
        data = {
            "v": 1,
            "s": format_time(self.start),
            "e": None if self.end is None else format_time(self.end),
            "m": self.mode,
            "p": self.page,
            "z": self.size,
            "seen": list(self.seen),
            "edge": list(self.edge),
        }
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def load(cls, text: str) -> Cursor:
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("v") != 1:
                raise ValueError("not a version-1 cursor")
            end = data["e"]
            cursor = cls(
                start=parse_time(data["s"]),
                end=None if end is None else parse_time(end),
                mode=data["m"],
                page=int(data["p"]),
                size=int(data["z"]),
                seen=tuple(str(x) for x in data["seen"]),
                edge=tuple(str(x) for x in data["edge"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise Rejected(f"the saved Taobao order cursor is unreadable ({exc}); reset the shop's order sync") from None
        if cursor.mode not in (MODE_DESC, MODE_NEXT) or (cursor.end is not None and (cursor.page < 1 or cursor.size < 1)):
            raise Rejected("the saved Taobao order cursor is inconsistent; reset the shop's order sync")
        return cursor


def plan(cursor: Cursor, now: datetime, *, window: timedelta, page_size: int, use_has_next: bool) -> tuple[Cursor, Query | None]:
    """The query to make next (None: caught up with `now`), and the cursor it belongs to
    (clamped to the three months TOP keeps)."""
    if cursor.end is not None:  # inside a window: go on with how it was started
        query = Query(cursor.start - ONE_SECOND, cursor.end, cursor.page, cursor.size, cursor.mode == MODE_NEXT)
        return cursor, query
    oldest = now - HISTORY_MAX
    if cursor.start < oldest:  # TOP has nothing older; what we had seen there is moot
        cursor = Cursor(start=oldest)
    first = cursor.start - ONE_SECOND
    last = min(first + window, now)
    if last < cursor.start:  # the clock is behind the cursor: nothing new can exist
        return cursor, None
    mode = MODE_NEXT if use_has_next else MODE_DESC
    cursor = replace(cursor, mode=mode, size=page_size)
    return cursor, Query(first, last, 1, page_size, use_has_next)


def _keep(prints: Iterable[str]) -> tuple[str, ...]:
    unique = tuple(dict.fromkeys(prints))
    return unique[-MAX_PRINTS:]


def advance(
    cursor: Cursor,
    query: Query,
    now: datetime,
    *,
    reported: Iterable[tuple[datetime, str]],
    total_results: int | None = None,
    has_next: bool | None = None,
) -> tuple[Cursor, bool]:
    """The cursor after `query` was answered, and whether to go on now (has_more).

    `reported` holds (modified, fingerprint) for every trade the page returned, skipped
    or not. A first page in desc mode gives `total_results`; has_next mode gives `has_next`.
    """
    edge = _keep((*cursor.edge, *(fp for moment, fp in reported if moment >= query.end - ONE_SECOND)))
    if query.use_has_next:
        if has_next is None:
            raise ValueError("has_next mode needs has_next")
        more_pages = has_next
        next_page = query.page_no + 1
    elif cursor.end is None:  # the first page of a desc window: now the page count is known
        if total_results is None:
            raise ValueError("desc mode needs total_results on the first page")
        pages = math.ceil(total_results / query.page_size)
        # Page 1 was just read; read again from the last page down to page 1, so a
        # trade that moves up a page while we read is still met.
        more_pages = pages > 1
        next_page = pages
    else:
        more_pages = query.page_no > 1
        next_page = query.page_no - 1
    if more_pages:
        inside = replace(cursor, end=query.end, page=next_page, size=query.page_size, edge=edge)
        return inside, True
    done = Cursor(start=query.end, mode=cursor.mode, seen=edge)
    return done, query.end < now
