"""Shops: their configuration rows, keyring references and health state."""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Engine, select, update

from .clock import now_ms
from .models import (
    Shop,
    shops_table,
)
from .secrets import SecretStore
from .sql import insert_ignore


class Health(str, enum.Enum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DEGRADED = "degraded"
    NEEDS_LOGIN = "needs_login"
    RATE_LIMITED = "rate_limited"
    DISABLED = "disabled"


PALETTE = ("#e4572e", "#17bebb", "#7768ae", "#ffc914", "#2e86ab", "#76b041", "#d7263d", "#1b998b")


@dataclass(frozen=True, slots=True)
class ShopConfig:
    id: int
    platform: str
    platform_shop_id: str
    name: str
    color: str
    enabled: bool
    secret_ref: str
    settings: Mapping[str, object] = field(default_factory=dict)


def secret_ref(platform: str, platform_shop_id: str) -> str:
    return f"shop:{platform}:{platform_shop_id}"


def save_shop(
    db: Engine, secrets: SecretStore, *, platform: str, platform_shop_id: str, name: str,
    credentials: Mapping[str, str], settings: Mapping[str, object] | None = None,
    color: str | None = None,
) -> int:
    """Create or update a shop; its credentials go to the keyring, only the reference to the DB."""
    ref = secret_ref(platform, platform_shop_id)
    secrets.put(ref, credentials)
    with db.begin() as conn:
        count = len(conn.execute(select(Shop.id)).all())
        conn.execute(insert_ignore(conn, shops_table, ["platform", "platform_shop_id"]), [{
            "platform": platform, "platform_shop_id": platform_shop_id, "name": name,
            "color": color or PALETTE[count % len(PALETTE)], "enabled": True,
            "settings_json": "{}", "secret_ref": ref, "health": Health.CONNECTING.value,
            "health_detail": "",
        }])
        values: dict[str, object] = {"name": name, "secret_ref": ref}
        if settings is not None:
            values["settings_json"] = json.dumps(dict(settings), ensure_ascii=False)
        if color:
            values["color"] = color
        conn.execute(update(Shop).where(Shop.platform == platform,
                                        Shop.platform_shop_id == platform_shop_id).values(**values))
        return conn.execute(select(Shop.id).where(
            Shop.platform == platform, Shop.platform_shop_id == platform_shop_id)).scalar_one()


def load_shops(db: Engine, *, enabled_only: bool = True) -> list[ShopConfig]:
    stmt = select(shops_table).order_by(Shop.id)
    if enabled_only:
        stmt = stmt.where(Shop.enabled.is_(True))
    with db.connect() as conn:
        return [
            ShopConfig(s.id, s.platform, s.platform_shop_id, s.name, s.color, s.enabled,
                       s.secret_ref, json.loads(s.settings_json or "{}"))
            for s in conn.execute(stmt).all()
        ]


def set_health(db: Engine, shop_id: int, health: Health, detail: str = "",
               until: int | None = None, synced: bool = False) -> None:
    values: dict[str, object] = {"health": health.value, "health_detail": detail[:1000],
                                 "health_until": until}
    if synced:
        values["last_sync_at"] = now_ms()
    with db.begin() as conn:
        conn.execute(update(Shop).where(Shop.id == shop_id).values(**values))


def set_push_state(db: Engine, shop_id: int, state: str, detail: str = "") -> None:
    """Whether the shop's push runs: live, retrying (it failed; the engine tries again),
    off (the adapter said PushUnavailable: the shop is polled at the normal pace)."""
    with db.begin() as conn:
        conn.execute(update(Shop).where(Shop.id == shop_id)
                     .values(push_state=state, push_detail=detail[:1000]))


def touch_synced(db: Engine, shop_id: int) -> None:
    with db.begin() as conn:
        conn.execute(update(Shop).where(Shop.id == shop_id).values(last_sync_at=now_ms()))
