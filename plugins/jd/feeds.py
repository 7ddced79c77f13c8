"""The feeds' cursors and window rules, as pure data: what to ask next and where to resume.

Order feed — `jingdong.pop.order.search`, dateType 0 (modified time), windows of at most
`ORDER_WINDOW_MAX`, pages of at most 100 [SPEC 5.5]. JD's modified time has one-second
resolution and no sequence number, so a window's end second may gain orders after we read
it, and search results may show up a little late. At the live edge every new window
therefore starts `overlap` seconds before now (a past window resumes at its end second), and the cursor keeps a fingerprint of each
order it already delivered from that overlap: an order is skipped only if it comes back
byte-identical, so nothing is lost and an unchanged order is not reported twice.
"Prefer time-window rolling over deep paging" [SPEC 5.5]: a window deeper than
`MAX_PAGES_PER_WINDOW` pages is halved before it is read, and windows grow back after.

Message feed — sessionlist (who chatted in a window) then chatlog per buyer, one call each
per page; message ids are stable, so the overlap's repeats are dropped by the engine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from desktop.sdk import Temporary

from .protocol import CHAT_WINDOW_MAX, ORDER_WINDOW_MAX

MAX_PAGES_PER_WINDOW = 10
MIN_WINDOW_S = 60  # never halve below a minute: page deep instead
SEEN_MAX = 2000  # fingerprints a cursor keeps; past this, repeats are possible (never losses)
ORDER_WINDOW_MAX_S = int(ORDER_WINDOW_MAX.total_seconds())
CHAT_WINDOW_MAX_S = int(CHAT_WINDOW_MAX.total_seconds())
# [UNVERIFIED] whether sessionlist returns sessions that *began* in the window or any that
# overlap it is not known; asking from an hour earlier catches a session still running.
SESSION_LOOKBACK_S = int(timedelta(hours=1).total_seconds())


def _bad(kind: str, cursor: str, why: str) -> Temporary:
    # A cursor only this adapter writes; a bad one means a bug or a corrupted store.
    return Temporary(f"unreadable JD {kind} cursor ({why}): {cursor[:80]!r}")


def _load(kind: str, cursor: str) -> dict[str, Any]:
    try:
        data = json.loads(cursor)
    except ValueError:
        raise _bad(kind, cursor, "not JSON") from None
    if not isinstance(data, dict) or data.get("v") != 1:
        raise _bad(kind, cursor, "unknown version")
    return data


def _int(data: dict[str, Any], key: str, kind: str, cursor: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(kind, cursor, f"{key} is not an integer")
    return value


def _opt_int(data: dict[str, Any], key: str, kind: str, cursor: str) -> int | None:
    return None if data.get(key) is None else _int(data, key, kind, cursor)


# -- orders --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrderCursor:
    start: int  # epoch seconds, inclusive
    end: int | None = None  # epoch seconds, inclusive; None = open the next window at "now"
    page: int = 1
    width: int = ORDER_WINDOW_MAX_S  # the next window's length (halves when deep, then grows)
    seen: dict[str, tuple[str, int]] = field(default_factory=dict)  # id → (fingerprint, modified)

    def dump(self) -> str:
        return json.dumps({"v": 1, "s": self.start, "e": self.end, "p": self.page, "w": self.width,
                           "seen": {k: [fp, at] for k, (fp, at) in self.seen.items()}},
                          separators=(",", ":"), sort_keys=True)

    @classmethod
    def load(cls, cursor: str) -> OrderCursor:
        data = _load("order", cursor)
        seen_raw = data.get("seen", {})
        if not isinstance(seen_raw, dict):
            raise _bad("order", cursor, "seen is not an object")
        seen: dict[str, tuple[str, int]] = {}
        for key, value in seen_raw.items():
            if (not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], str)
                    or not isinstance(value[1], int)):
                raise _bad("order", cursor, f"seen[{key!r}] is not [fingerprint, time]")
            seen[key] = (value[0], value[1])
        width = _int(data, "w", "order", cursor)
        page = _int(data, "p", "order", cursor)
        if width < 1 or page < 1:
            raise _bad("order", cursor, "width and page must be positive")
        return cls(_int(data, "s", "order", cursor), _opt_int(data, "e", "order", cursor), page, width, seen)

    @classmethod
    def initial(cls, now: int, history_s: int) -> OrderCursor:
        return cls(start=now - history_s)

    def opened(self, now: int) -> OrderCursor:
        """With a window to read: [start, min(start + width, now)]."""
        if self.end is not None:
            return self
        width = max(MIN_WINDOW_S, min(self.width, ORDER_WINDOW_MAX_S))
        return replace(self, end=max(self.start, min(self.start + width, now)), page=1, width=width)

    def halved(self) -> OrderCursor | None:
        """The same start with half the window, or None when it is already minimal."""
        assert self.end is not None
        span = self.end - self.start
        if span <= MIN_WINDOW_S:
            return None
        half = max(MIN_WINDOW_S, span // 2)
        return replace(self, end=self.start + half, page=1, width=half)

    def next_page(self, delivered: dict[str, tuple[str, int]]) -> OrderCursor:
        return replace(self, page=self.page + 1, seen={**self.seen, **delivered})

    def window_done(self, delivered: dict[str, tuple[str, int]], overlap_s: int, now: int) -> OrderCursor:
        """After a window's last page: the next starts where this one ended (that second is
        read again), or, at the live edge, `overlap_s` before now; the fingerprints of what
        lies from there on are kept."""
        assert self.end is not None
        start = _next_start(self.start, self.end, overlap_s, now)
        merged = {**self.seen, **delivered}
        kept = sorted(((k, v) for k, v in merged.items() if v[1] >= start), key=lambda kv: kv[1][1])
        width = min(ORDER_WINDOW_MAX_S, self.width * 2)
        return OrderCursor(start=start, end=None, page=1, width=width, seen=dict(kept[-SEEN_MAX:]))


# -- messages ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChatCursor:
    start: int
    end: int | None = None
    session_page: int = 1
    customers: tuple[str, ...] | None = None  # buyers of the current session page, once read
    index: int = 0  # which of them is being read
    chat_page: int = 1
    more_sessions: bool = False  # whether session pages follow the current one

    def dump(self) -> str:
        return json.dumps({"v": 1, "s": self.start, "e": self.end, "sp": self.session_page,
                           "cs": None if self.customers is None else list(self.customers),
                           "ci": self.index, "cp": self.chat_page, "ms": self.more_sessions},
                          separators=(",", ":"), ensure_ascii=False, sort_keys=True)

    @classmethod
    def load(cls, cursor: str) -> ChatCursor:
        data = _load("message", cursor)
        raw = data.get("cs")
        if raw is not None and (not isinstance(raw, list) or not all(isinstance(c, str) for c in raw)):
            raise _bad("message", cursor, "cs is not a list of buyers")
        customers = None if raw is None else tuple(raw)
        more = data.get("ms", False)
        if not isinstance(more, bool):
            raise _bad("message", cursor, "ms is not a boolean")
        made = cls(_int(data, "s", "message", cursor), _opt_int(data, "e", "message", cursor),
                   _int(data, "sp", "message", cursor), customers,
                   _int(data, "ci", "message", cursor), _int(data, "cp", "message", cursor), more)
        if made.session_page < 1 or made.chat_page < 1 or made.index < 0:
            raise _bad("message", cursor, "negative position")
        if customers is not None and made.index >= len(customers):
            raise _bad("message", cursor, "buyer index past the list")
        return made

    @classmethod
    def initial(cls, now: int, history_s: int) -> ChatCursor:
        return cls(start=now - history_s)

    def opened(self, now: int) -> ChatCursor:
        if self.end is not None:
            return self
        return replace(self, end=max(self.start, min(self.start + CHAT_WINDOW_MAX_S, now)),
                       session_page=1, customers=None, index=0, chat_page=1, more_sessions=False)

    def with_customers(self, customers: list[str], more_sessions: bool) -> ChatCursor:
        return replace(self, customers=tuple(customers), index=0, chat_page=1, more_sessions=more_sessions)

    def next_session_page(self) -> ChatCursor:
        return replace(self, session_page=self.session_page + 1, customers=None, index=0, chat_page=1,
                       more_sessions=False)

    def next_chat_page(self) -> ChatCursor:
        return replace(self, chat_page=self.chat_page + 1)

    def next_customer(self) -> ChatCursor:
        return replace(self, index=self.index + 1, chat_page=1)

    def window_done(self, overlap_s: int, now: int) -> ChatCursor:
        assert self.end is not None
        return ChatCursor(start=_next_start(self.start, self.end, overlap_s, now))


def _next_start(start: int, end: int, overlap_s: int, now: int) -> int:
    """Where the window after [start, end] begins. Only the live edge is re-read (results
    there may still be arriving); a past window is done, so a halved window always moves on."""
    return max(start, min(end, now - overlap_s))


def more_pages(page: int, page_size: int, total: int, got: int) -> bool:
    """Whether a page-numbered listing goes on: JOS gives a total, and an empty page ends it."""
    return got > 0 and page * page_size < total
