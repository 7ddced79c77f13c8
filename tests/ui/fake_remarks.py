"""FakeDesk's remarks: local history, composed memo, outbox state."""

from __future__ import annotations


class FakeRemarksMixin:
    def _init_remarks(self) -> None:
        pass
