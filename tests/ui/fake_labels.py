"""FakeDesk's buyers: tags, groups, notes and the buyer profile."""

from __future__ import annotations


class FakeLabelsMixin:
    def _init_labels(self) -> None:
        pass
