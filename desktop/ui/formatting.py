"""Plain-text formatting for display: durations, clock times, money, status labels.

Every function returns plain text (never markup) in the installed UI language.
Source strings are English; translations live in resources/translations.
"""

from __future__ import annotations

import time
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_CTX = "Format"

_ORDER_STATUS = {
    "unpaid": QT_TRANSLATE_NOOP("Format", "Awaiting payment"),
    "paid": QT_TRANSLATE_NOOP("Format", "To ship"),
    "shipped": QT_TRANSLATE_NOOP("Format", "Shipped"),
    "refunding": QT_TRANSLATE_NOOP("Format", "Refunding"),
    "completed": QT_TRANSLATE_NOOP("Format", "Completed"),
    "closed": QT_TRANSLATE_NOOP("Format", "Closed"),
}

_HEALTH = {
    "connected": QT_TRANSLATE_NOOP("Format", "Connected"),
    "connecting": QT_TRANSLATE_NOOP("Format", "Connecting"),
    "degraded": QT_TRANSLATE_NOOP("Format", "Degraded"),
    "needs_login": QT_TRANSLATE_NOOP("Format", "Needs sign-in"),
    "rate_limited": QT_TRANSLATE_NOOP("Format", "Rate limited"),
    "disabled": QT_TRANSLATE_NOOP("Format", "Disabled"),
}

# Health → the colour of its text in the status bar (calm unless action is needed).
HEALTH_COLOR = {
    "connected": "#2e7d32",
    "connecting": "#5f6670",
    "degraded": "#c77700",
    "needs_login": "#c62828",
    "rate_limited": "#c77700",
    "disabled": "#8a9099",
}

_SYMBOL = {"CNY": "¥", "RMB": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "JP¥", "HKD": "HK$"}
_NO_CENTS = {"JPY", "KRW"}


def now_ms() -> int:
    return int(time.time() * 1000)


def duration_text(seconds: int) -> str:
    """Compact, most significant two units: 12s, 3m 12s, 2h 5m, 3d 4h."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return QCoreApplication.translate("Format", "{s}s").format(s=seconds)
    minutes, s = divmod(seconds, 60)
    if minutes < 60:
        return QCoreApplication.translate("Format", "{m}m {s}s").format(m=minutes, s=s)
    hours, m = divmod(minutes, 60)
    if hours < 24:
        return QCoreApplication.translate("Format", "{h}h {m}m").format(h=hours, m=m)
    days, h = divmod(hours, 24)
    return QCoreApplication.translate("Format", "{d}d {h}h").format(d=days, h=h)


def waiting_text(since_ms: int, at_ms: int) -> str:
    """'等待 3分12秒': how long the buyer has waited for a human answer."""
    waited = duration_text((at_ms - since_ms) // 1000)
    return QCoreApplication.translate("Format", "Waiting {duration}").format(duration=waited)


def deadline_text(due_ms: int, at_ms: int, *, pending: bool = False) -> str:
    """'95 秒后超时' / '已超时 42 秒' / '08:03 前回复' (`pending`: the platform's hours are
    closed, the clock has not started): the reply deadline as the inbox shows it, in
    seconds while under ten minutes, then minutes."""
    if pending:
        when = datetime.fromtimestamp(due_ms / 1000).strftime("%H:%M")
        return QCoreApplication.translate("Format", "Due {time}").format(time=when)
    if due_ms > at_ms:
        left = -((at_ms - due_ms) // 1000)  # rounded up: "1 s" until it is gone
        if left < 600:
            return QCoreApplication.translate("Format", "Breaches in {n} s").format(n=left)
        return QCoreApplication.translate("Format", "Breaches in {duration}").format(
            duration=duration_text(left))
    over = (at_ms - due_ms) // 1000
    if over < 600:
        return QCoreApplication.translate("Format", "Overdue {n} s").format(n=over)
    return QCoreApplication.translate("Format", "Overdue {duration}").format(
        duration=duration_text(over))


def clock_text(ms: int, at_ms: int) -> str:
    """Short time of an event: 14:05 today, 11-23 14:05 this year, else the date."""
    when = datetime.fromtimestamp(ms / 1000)
    today = datetime.fromtimestamp(at_ms / 1000)
    if when.date() == today.date():
        return when.strftime("%H:%M")
    if when.year == today.year:
        return when.strftime("%m-%d %H:%M")
    return when.strftime("%Y-%m-%d")


def datetime_text(ms: int | None) -> str:
    if ms is None:
        return "—"
    return datetime.fromtimestamp(ms / 1000).strftime("%Y-%m-%d %H:%M")


def money_text(amount: Decimal, currency: str) -> str:
    """¥1,288.00 — Decimal all the way, half-up like a till, never via float."""
    code = (currency or "").upper()
    places = Decimal(1) if code in _NO_CENTS else Decimal("0.01")
    try:
        value = Decimal(amount).quantize(places, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return f"{amount} {code}".strip()
    number = f"{value:,}"
    symbol = _SYMBOL.get(code)
    return f"{symbol}{number}" if symbol else f"{number} {code}".strip()


def order_status_label(status: str) -> str:
    source = _ORDER_STATUS.get(status)
    return QCoreApplication.translate(_CTX, source) if source else status


def health_label(health: str, until_ms: int | None = None) -> str:
    """限流至 14:05:09 for a rate limit with a known end; else the plain state."""
    if health == "rate_limited" and until_ms:
        until = datetime.fromtimestamp(until_ms / 1000).strftime("%H:%M:%S")
        return QCoreApplication.translate("Format", "Rate limited until {time}").format(time=until)
    source = _HEALTH.get(health)
    return QCoreApplication.translate(_CTX, source) if source else health


def one_line(text: str, limit: int = 200) -> str:
    """A preview: whitespace runs (incl. newlines) collapsed, cut before eliding.

    Cutting first keeps eliding O(1) per paint even for a 10k-character message.
    """
    return " ".join(text[: limit * 2].split())[:limit]


def truncate(text: str, limit: int) -> str:
    text = one_line(text, limit + 1)
    return text if len(text) <= limit else text[: limit - 1] + "…"
