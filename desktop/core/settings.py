"""Declared settings: each key once, with type, default and help; stored as JSON in the data dir."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("seatdesk.settings")


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    type: type
    default: Any
    help: str


DECLARED: tuple[Setting, ...] = (
    Setting("db.url", str, "", "Database URL; empty = SQLite in the data dir. "
            "postgresql+psycopg://… for team mode."),
    Setting("engine.poll_interval", float, 2.0, "Seconds between pulls of a shop without push."),
    Setting("engine.push_poll_interval", float, 15.0,
            "Seconds between safety pulls of a shop that pushes events."),
    Setting("webhooks.listen", str, "",
            "host:port the webhook receiver listens on (e.g. 127.0.0.1:8787); empty = off. "
            "Put it behind a public HTTPS address you own (reverse proxy or tunnel)."),
    Setting("webhooks.public_url", str, "",
            "The public address in front of the receiver (https://hooks.example.com); each "
            "shop's webhook URL is <this>/webhooks/<shop id>."),
    Setting("seat.name", str, "agent", "The seat this app signs in as."),
    Setting("seat.display_name", str, "客服", "The name buyers and colleagues see."),
    Setting("remarks.format", str, "{text} —— {author} {time}",
            "How a remark is written into the platform's seller memo: {text}, {author} and "
            "{time} are filled in."),
    Setting("remarks.time_format", str, "%Y-%m-%d %H:%M", "strftime format of {time} in remarks."),
    Setting("ui.language", str, "zh_CN", "zh_CN (简体中文) or en."),
    Setting("ui.muted", bool, False, "No tray notification or sound on a new buyer message."),
)
_BY_KEY = {s.key: s for s in DECLARED}


class Settings:
    """Values of the declared keys (plus `plugins.<id>.…` keys owned by plugins)."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._values: dict[str, Any] = {}
        if path is not None and path.exists():
            try:
                self._values = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                log.warning("settings file %s unreadable (%s); using defaults", path, exc)

    def get(self, key: str) -> Any:
        setting = _BY_KEY.get(key)
        if setting is None and not key.startswith("plugins."):
            raise KeyError(f"undeclared setting {key!r}")
        value = self._values.get(key, setting.default if setting else None)
        if setting is not None and value is not None and not isinstance(value, setting.type):
            try:
                value = setting.type(value)
            except (TypeError, ValueError):
                value = setting.default
        return value

    def set(self, key: str, value: Any) -> None:
        if key not in _BY_KEY and not key.startswith("plugins."):
            raise KeyError(f"undeclared setting {key!r}")
        self._values[key] = value
        if self._path is not None:
            self._path.write_text(json.dumps(self._values, ensure_ascii=False, indent=2), "utf-8")
