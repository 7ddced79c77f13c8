"""The local seat row: created once, renamed in step with settings."""

from __future__ import annotations

from sqlalchemy import select

from desktop.core.models import Seat
from desktop.core.seats import ensure_local_seat


def test_local_seat_is_created_once_and_follows_its_display_name(db):
    first = ensure_local_seat(db, "agent", "小王")
    again = ensure_local_seat(db, "agent", "王小二")
    assert first == again
    with db.connect() as conn:
        assert conn.execute(select(Seat.name, Seat.display_name)).all() == [("agent", "王小二")]
