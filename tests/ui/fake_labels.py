"""FakeDesk's buyers: tags, groups, notes and the buyer profile, like desktop/core/buyers.py."""

from __future__ import annotations

import csv
import zlib
from collections.abc import Sequence
from concurrent.futures import Future

from desktop.core.views import (
    BuyerProfile,
    ChangeNotice,
    HistoryRow,
    ImportReport,
    LabelChip,
    LabelRow,
)

_PALETTE = ("#1e88e5", "#43a047", "#8e24aa", "#fb8c00", "#00897b", "#6d4c41")


def _done(value: object = None) -> Future:
    f: Future = Future()
    f.set_result(value)
    return f


def _failed(exc: Exception) -> Future:
    f: Future = Future()
    f.set_exception(exc)
    return f


class FakeLabelsMixin:
    def _init_labels(self) -> None:
        self.buyer_of_nick: dict[tuple[str, str], int] = {}  # (platform, nick) → buyer id
        self.label_rows: dict[int, tuple[str, str, str]] = {}  # id → (kind, name, color)
        self.buyer_labels: dict[int, set[int]] = {}  # buyer id → label ids
        self.notes: dict[int, tuple[str, str]] = {}  # buyer id → (text, author)
        self.label_calls: list[tuple] = []
        self._next_label = 1

    # -- building ---------------------------------------------------------------------------
    def buyer_id_for(self, platform: str, nick: str) -> int:
        key = (platform, nick)
        if key not in self.buyer_of_nick:
            self.buyer_of_nick[key] = 500 + len(self.buyer_of_nick)
        return self.buyer_of_nick[key]

    def chips(self, buyer_id: int) -> tuple[tuple[LabelChip, ...], tuple[LabelChip, ...]]:
        chosen = sorted((self.label_rows[i][1], i) for i in self.buyer_labels.get(buyer_id, ())
                        if i in self.label_rows)
        tags = tuple(LabelChip(i, n, self.label_rows[i][2]) for n, i in chosen
                     if self.label_rows[i][0] == "tag")
        groups = tuple(LabelChip(i, n, self.label_rows[i][2]) for n, i in chosen
                       if self.label_rows[i][0] == "group")
        return tags, groups

    def _label_named(self, kind: str, name: str) -> int:
        for i, (k, n, _c) in self.label_rows.items():
            if k == kind and n == name:
                return i
        i, self._next_label = self._next_label, self._next_label + 1
        self.label_rows[i] = (kind, name, _PALETTE[zlib.crc32(name.encode()) % len(_PALETTE)])
        return i

    # -- reads ------------------------------------------------------------------------------
    def labels(self, kind: str | None = None) -> list[LabelRow]:
        counts: dict[int, int] = {}
        for ids in self.buyer_labels.values():
            for i in ids:
                counts[i] = counts.get(i, 0) + 1
        rows = [LabelRow(i, k, n, c, counts.get(i, 0)) for i, (k, n, c) in self.label_rows.items()
                if kind is None or k == kind]
        return sorted(rows, key=lambda r: (r.kind, r.name))

    def buyer_profile(self, conversation_id: int) -> BuyerProfile | None:
        conv = self.convs.get(conversation_id)
        if conv is None:
            return None
        tags, groups = self.chips(conv.buyer_id)
        same = [c for c in self.convs.values()
                if c.buyer_id == conv.buyer_id and c.platform == conv.platform]
        history = tuple(HistoryRow(c.id, c.shop_id, c.shop_name, c.shop_color, c.last_message_at,
                                   c.preview, c.state, len(self.msgs.get(c.id, [])))
                        for c in sorted(same, key=lambda c: -c.last_message_at))
        orders = tuple(o for c in same for o in self.order_rows.get(c.id, []))
        note, by = self.notes.get(conv.buyer_id, ("", ""))
        cases = tuple(c for c in getattr(self, "case_rows", {}).values()
                      if c.buyer_id == conv.buyer_id)
        return BuyerProfile(conv.buyer_id, conv.platform, conv.platform_name, f"id-{conv.buyer_id}",
                            conv.buyer_nick, conv.shop_id, conv.shop_name, tags, groups, note, by,
                            None, history, orders, cases,
                            getattr(self, "tag_syncs", {}).get(conv.buyer_id))

    # -- commands ---------------------------------------------------------------------------
    def add_labels(self, buyer_ids: Sequence[int], kind: str, names: Sequence[str]) -> Future:
        self.label_calls.append(("add", tuple(buyer_ids), kind, tuple(names)))
        names = [" ".join(n.split()) for n in names]
        if any(not n for n in names):
            return _failed(ValueError("a tag or group needs a name"))
        ids = [self._label_named(kind, n) for n in names]
        for b in buyer_ids:
            self.buyer_labels.setdefault(b, set()).update(ids)
        self.emit(ChangeNotice(buyers=frozenset(buyer_ids), labels=True))
        return _done()

    def remove_label(self, buyer_ids: Sequence[int], label_id: int) -> Future:
        self.label_calls.append(("remove", tuple(buyer_ids), label_id))
        for b in buyer_ids:
            self.buyer_labels.get(b, set()).discard(label_id)
        self.emit(ChangeNotice(buyers=frozenset(buyer_ids)))
        return _done()

    def create_label(self, kind: str, name: str, color: str) -> Future:
        if any(k == kind and n == name for k, n, _c in self.label_rows.values()):
            return _failed(ValueError(f"{name!r} already exists"))
        i = self._label_named(kind, name)
        self.label_rows[i] = (kind, name, color)
        self.emit(ChangeNotice(labels=True))
        return _done(i)

    def rename_label(self, label_id: int, name: str) -> Future:
        kind, _old, color = self.label_rows[label_id]
        if any(k == kind and n == name and i != label_id for i, (k, n, _c) in self.label_rows.items()):
            return _failed(ValueError(f"{name!r} already exists: merge instead"))
        self.label_rows[label_id] = (kind, name, color)
        self.emit(ChangeNotice(labels=True))
        return _done()

    def recolor_label(self, label_id: int, color: str) -> Future:
        kind, name, _c = self.label_rows[label_id]
        self.label_rows[label_id] = (kind, name, color)
        self.emit(ChangeNotice(labels=True))
        return _done()

    def merge_labels(self, source_id: int, target_id: int) -> Future:
        for ids in self.buyer_labels.values():
            if source_id in ids:
                ids.discard(source_id)
                ids.add(target_id)
        del self.label_rows[source_id]
        self.emit(ChangeNotice(labels=True))
        return _done()

    def delete_label(self, label_id: int) -> Future:
        for ids in self.buyer_labels.values():
            ids.discard(label_id)
        del self.label_rows[label_id]
        self.emit(ChangeNotice(labels=True))
        return _done()

    def set_buyer_note(self, buyer_id: int, text: str) -> Future:
        self.notes[buyer_id] = (text, self.seat_name)
        self.emit(ChangeNotice(buyers=frozenset({buyer_id})))
        return _done()

    def export_labels_csv(self, path: str) -> Future:
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(["platform", "buyer_id", "nick", "tags", "groups"])
            n = 0
            for (platform, nick), b in sorted(self.buyer_of_nick.items()):
                tags, groups = self.chips(b)
                if tags or groups:
                    out.writerow([platform, f"id-{b}", nick, ";".join(t.name for t in tags),
                                  ";".join(g.name for g in groups)])
                    n += 1
        return _done(n)

    def import_labels_csv(self, path: str) -> Future:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        changed: set[int] = set()
        skipped = []
        for line, row in enumerate(rows, start=2):
            b = self.buyer_of_nick.get((row.get("platform", ""), row.get("nick", "")))
            if b is None:
                skipped.append((line, "no such buyer"))
                continue
            for kind, column in (("tag", "tags"), ("group", "groups")):
                for name in filter(None, (row.get(column) or "").split(";")):
                    self.buyer_labels.setdefault(b, set()).add(self._label_named(kind, name))
                    changed.add(b)
        self.emit(ChangeNotice(labels=True))
        return _done(ImportReport(len(rows), len(changed), 0, tuple(skipped)))
