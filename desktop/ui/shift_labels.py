"""Shifts as people read them: weekday names, "08:30–17:30" (past midnight: "22:00–次日 06:00").
When a shift runs is the core's to say (`desk.shift_window`, in the team's time zone)."""

from __future__ import annotations

from collections.abc import Iterable
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop.core.views import ShiftRow

_CTX = "ShiftLabels"
WEEKDAYS = (  # 0 = Monday, as ShiftRow.weekdays counts
    QT_TRANSLATE_NOOP("ShiftLabels", "Mon"),
    QT_TRANSLATE_NOOP("ShiftLabels", "Tue"),
    QT_TRANSLATE_NOOP("ShiftLabels", "Wed"),
    QT_TRANSLATE_NOOP("ShiftLabels", "Thu"),
    QT_TRANSLATE_NOOP("ShiftLabels", "Fri"),
    QT_TRANSLATE_NOOP("ShiftLabels", "Sat"),
    QT_TRANSLATE_NOOP("ShiftLabels", "Sun"),
)


def weekday_label(day: int) -> str:
    return QCoreApplication.translate(_CTX, str(WEEKDAYS[day % 7]))


def weekdays_text(days: Iterable[int]) -> str:
    """"Every day", "Mon–Fri", or the days listed."""
    chosen = sorted(set(days))
    if len(chosen) == 7:
        return QCoreApplication.translate("ShiftLabels", "Every day")
    if not chosen:
        return QCoreApplication.translate("ShiftLabels", "No days")
    if len(chosen) > 2 and chosen == list(range(chosen[0], chosen[-1] + 1)):
        return f"{weekday_label(chosen[0])}–{weekday_label(chosen[-1])}"
    return QCoreApplication.translate("ShiftLabels", ", ").join(weekday_label(d) for d in chosen)


def overnight(shift: ShiftRow) -> bool:
    return shift.end <= shift.start


def span_text(shift: ShiftRow) -> str:
    if overnight(shift):
        return QCoreApplication.translate("ShiftLabels", "{start}–next day {end}").format(
            start=shift.start, end=shift.end)
    return f"{shift.start}–{shift.end}"


def shift_text(shift: ShiftRow) -> str:
    """早班 08:30–17:30"""
    return f"{shift.name} {span_text(shift)}"

