"""Assignment: who holds which chat — routing passes, transfers, the audit log."""

from __future__ import annotations

from sqlalchemy import Engine

from .views import ChangeNotice


def routing_pass(db: Engine, now: int, heartbeat_seat: int | None = None) -> ChangeNotice:
    return ChangeNotice()
