"""Seats: the local seat this app signs in as (teams and routing come later)."""

from __future__ import annotations

from sqlalchemy import Engine, select, update

from .models import (
    Seat,
    seats_table,
)
from .sql import insert_ignore


def ensure_local_seat(db: Engine, name: str, display_name: str) -> int:
    """Create the seat on first start; keep its display name in step with settings."""
    with db.begin() as conn:
        conn.execute(insert_ignore(conn, seats_table, ["name"]),
                     [{"name": name, "display_name": display_name, "role": "agent"}])
        conn.execute(update(Seat).where(Seat.name == name).values(display_name=display_name))
        return int(conn.execute(select(Seat.id).where(Seat.name == name)).scalar_one())
