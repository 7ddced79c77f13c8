"""Remarks (备注): the team's format, and telling our memos from the platform's.

The platform keeps one seller memo per order; we keep every remark. A memo that
changes on the platform side (another tool, the web back office) and is none of
ours becomes a remark from "platform", so nothing is overwritten silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Connection, select

from .models import remarks_table

DEFAULT_FORMAT = "{text} —— {author} {time}"
DEFAULT_TIME_FORMAT = "%Y-%m-%d %H:%M"
SOURCE_TEAM = "team"
SOURCE_PLATFORM = "platform"


def compose_memo(text: str, author: str, at_ms: int, fmt: str = DEFAULT_FORMAT,
                 time_format: str = DEFAULT_TIME_FORMAT) -> str:
    """`客户要求改地址为…… —— 小王 2026-11-23 14:05`: what changed, who, when (local time).
    A format naming unknown fields falls back to the default rather than losing the remark."""
    when = datetime.fromtimestamp(at_ms / 1000).strftime(time_format or DEFAULT_TIME_FORMAT)
    try:
        return fmt.format(text=text.strip(), author=author, time=when)
    except (KeyError, IndexError, ValueError):
        return DEFAULT_FORMAT.format(text=text.strip(), author=author, time=when)


def ours(memo: str, flag: int | None, team: list[tuple[str, int | None]]) -> bool:
    """Is the platform's (memo, flag) one we pushed? Our "no flag" (None) comes back
    as whatever the platform uses for it, so only the memo text must match then."""
    return any(memo == m and (f is None or f == flag) for m, f in team)


def team_memos(conn: Connection, order_ids: list[int]) -> dict[int, list[tuple[str, int | None]]]:
    r = remarks_table.c
    out: dict[int, list[tuple[str, int | None]]] = {}
    for start in range(0, len(order_ids), 500):
        for order_id, memo, flag in conn.execute(
                select(r.order_id, r.memo, r.flag).where(
                    r.order_id.in_(order_ids[start:start + 500]), r.source == SOURCE_TEAM)):
            out.setdefault(order_id, []).append((memo, flag))
    return out


def platform_changes(
    conn: Connection,
    before: Mapping[str, tuple[str, int | None] | None],
    after: Mapping[str, tuple[int, str, int | None, int]],
) -> list[dict[str, object]]:
    """Remark rows for memos the platform changed that are not ours.
    `before`: order key → (memo, flag) stored before the batch, None for a new order;
    `after`: order key → (order id, memo, flag, updated_at ms) as the batch left it."""
    changed = {key: row for key, row in after.items()
               if (before.get(key) or ("", None)) != (row[1], row[2])
               and not (before.get(key) is None and not row[1])}
    if not changed:
        return []
    team = team_memos(conn, sorted({row[0] for row in changed.values()}))
    return [
        {"order_id": order_id, "author": "", "text": memo, "memo": memo, "flag": flag,
         "created_at": at, "state": SOURCE_PLATFORM, "source": SOURCE_PLATFORM}
        for order_id, memo, flag, at in changed.values()
        if not ours(memo, flag, team.get(order_id, []))
    ]
