"""When and for which shops a new buyer message alerts: per-shop switches and the mute schedule.

Plain data and pure functions (no Qt), stored as JSON in the UI prefs, so the
rules are tested without a display. Two kinds of range make up a schedule
(feature-anchors row 51: sound alerts with scope and defaults):

- quiet hours (e.g. lunch 12:00–13:00): muted inside the range;
- shifts ("mute outside my shift", e.g. 08:30–17:30 Mon–Fri): once any shift is
  set, muted whenever no shift covers the moment.

A range whose end is before its start runs past midnight (17:00–01:00) and
belongs to the weekday it starts on; start == end covers the whole day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

QUIET = "quiet"
SHIFT = "shift"
KINDS = (QUIET, SHIFT)
EVERY_DAY = frozenset(range(7))  # Monday = 0, as datetime.weekday()
WORK_DAYS = frozenset(range(5))

TONES = ("chime", "ding", "bubble")  # resources/sounds/<tone>.wav; chime is new_message.wav
DEFAULT_TONE = "chime"


@dataclass(frozen=True, slots=True)
class MuteRange:
    kind: str  # QUIET | SHIFT
    start: int  # minutes after midnight
    end: int
    days: frozenset[int] = EVERY_DAY

    def covers(self, when: datetime) -> bool:
        minute = when.hour * 60 + when.minute
        day = when.weekday()
        if self.start == self.end:
            return day in self.days
        if self.start < self.end:
            return day in self.days and self.start <= minute < self.end
        # past midnight: the evening part on a listed day, the small hours on the day after
        return ((day in self.days and minute >= self.start)
                or ((day - 1) % 7 in self.days and minute < self.end))

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "start": hhmm(self.start), "end": hhmm(self.end),
                "days": sorted(self.days)}


@dataclass(frozen=True, slots=True)
class ShopAlert:
    tray: bool = True
    sound: bool = True
    tone: str = DEFAULT_TONE

    def to_json(self) -> dict[str, object]:
        return {"tray": self.tray, "sound": self.sound, "tone": self.tone}


@dataclass(frozen=True, slots=True)
class Schedule:
    ranges: tuple[MuteRange, ...] = field(default=())

    def muted_at(self, when: datetime) -> bool:
        if any(r.kind == QUIET and r.covers(when) for r in self.ranges):
            return True
        shifts = [r for r in self.ranges if r.kind == SHIFT]
        return bool(shifts) and not any(r.covers(when) for r in shifts)

    def next_change(self, when: datetime, horizon_days: int = 8) -> datetime | None:
        """The first minute after `when` whose muting differs from now's (None: never)."""
        now = self.muted_at(when)
        t = when.replace(second=0, microsecond=0)
        for _ in range(horizon_days * 24 * 60):
            t += timedelta(minutes=1)
            if self.muted_at(t) != now:
                return t
        return None

    def to_json(self) -> list[dict[str, object]]:
        return [r.to_json() for r in self.ranges]


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_hhmm(text: str) -> int:
    """"08:30" → 510; ValueError on anything else."""
    hours, _, minutes = text.strip().partition(":")
    h, m = int(hours), int(minutes)
    if not (0 <= h < 24 and 0 <= m < 60):
        raise ValueError(f"not a time of day: {text!r}")
    return h * 60 + m


def schedule_from_json(data: object) -> Schedule:
    """The stored schedule; a malformed range is dropped, never fatal."""
    ranges: list[MuteRange] = []
    for item in data if isinstance(data, list) else []:
        try:
            kind = str(item["kind"])
            days = frozenset(int(d) for d in item.get("days", sorted(EVERY_DAY)) if 0 <= int(d) < 7)
            if kind in KINDS:
                ranges.append(MuteRange(kind, parse_hhmm(str(item["start"])),
                                        parse_hhmm(str(item["end"])), days))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return Schedule(tuple(ranges))


def shop_alerts_from_json(data: object) -> dict[int, ShopAlert]:
    out: dict[int, ShopAlert] = {}
    for key, item in (data.items() if isinstance(data, Mapping) else ()):
        try:
            tone = str(item.get("tone", DEFAULT_TONE))
            out[int(key)] = ShopAlert(bool(item.get("tray", True)), bool(item.get("sound", True)),
                                      tone if tone in TONES else DEFAULT_TONE)
        except (TypeError, ValueError, AttributeError):
            continue
    return out


def shop_alerts_to_json(alerts: Mapping[int, ShopAlert]) -> dict[str, object]:
    """Only shops that differ from the default are kept."""
    return {str(k): v.to_json() for k, v in sorted(alerts.items()) if v != ShopAlert()}


def days_text(days: Iterable[int], names: Sequence[str], every_day: str, work_days: str,
              sep: str = ", ") -> str:
    """{0..6} → "every day"; {0..4} → "Mon–Fri"; else "Mon, Wed" in the caller's language."""
    chosen = frozenset(days)
    if chosen == EVERY_DAY:
        return every_day
    if chosen == WORK_DAYS:
        return work_days
    return sep.join(names[d] for d in sorted(chosen))
