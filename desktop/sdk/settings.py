"""Reading an adapter's declared settings (`AdapterContext.settings`): values come
from a settings file or the add-shop wizard's text boxes, so "40" counts as 40 and
an empty box as "use the default". A bad value is a `Rejected` naming the setting."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import Rejected


def setting_text(settings: Mapping[str, object], name: str, default: str) -> str:
    value = settings.get(name)
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        raise Rejected(f"setting {name} must be text, got {value!r}")
    return value.strip()


def setting_int(settings: Mapping[str, object], name: str, default: int, low: int, high: int) -> int:
    value = settings.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise Rejected(f"setting {name} must be a whole number in {low}..{high}, got {value!r}")
    return value


def setting_bool(settings: Mapping[str, object], name: str, default: bool) -> bool:
    value = settings.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise Rejected(f"setting {name} must be true or false, got {value!r}")
