"""Buyers as the team knows them: tags (标签) and groups (分组), the shared note, CSV.

Tags and groups live in one catalogue (`labels`, told apart by `kind`) and are
attached to the platform-wide buyer, so a tag set in one shop is there in every
other shop of the same platform, for every seat.
"""

from __future__ import annotations

import csv
import io
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, func, select, update

from .clock import now_ms
from .models import Buyer, BuyerLabel, Label, buyer_labels_table, buyers_table, labels_table
from .sql import insert_ignore
from .views import ImportReport, LabelChip, LabelKind, LabelRow

MAX_LABEL_CHARS = 32
# Distinct, readable on white, and none of them the red of a remark flag.
PALETTE = ("#1e88e5", "#43a047", "#8e24aa", "#fb8c00", "#00897b", "#6d4c41",
           "#3949ab", "#c0ca33", "#d81b60", "#546e7a")
CSV_COLUMNS = ("platform", "buyer_id", "nick", "tags", "groups")
CSV_SEPARATORS = ";；|、,，"  # inside a tags/groups cell; spreadsheets use all of these


class LabelError(ValueError):
    """A catalogue change that cannot be made (empty name, name taken, ...)."""


def default_color(name: str) -> str:
    """A stable colour per name, so the same tag looks the same on every machine."""
    return PALETTE[zlib.crc32(name.encode("utf-8")) % len(PALETTE)]


def clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise LabelError("a tag or group needs a name")
    if len(cleaned) > MAX_LABEL_CHARS:
        raise LabelError(f"names are at most {MAX_LABEL_CHARS} characters")
    return cleaned


def _kind(kind: str) -> str:
    return LabelKind(kind).value


# -- reads ------------------------------------------------------------------------------
def labels(db: Engine, kind: str | None = None) -> list[LabelRow]:
    lb, bl = labels_table.c, buyer_labels_table.c
    counts = (select(bl.label_id, func.count().label("n")).group_by(bl.label_id).subquery())
    stmt = (select(lb.id, lb.kind, lb.name, lb.color, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.label_id == lb.id).order_by(lb.kind, lb.name))
    if kind is not None:
        stmt = stmt.where(lb.kind == _kind(kind))
    with db.connect() as conn:
        return [LabelRow(r[0], r[1], r[2], r[3], int(r[4])) for r in conn.execute(stmt)]


def chips_for_buyers(
    conn: Connection, buyer_ids: Iterable[int]
) -> dict[int, tuple[tuple[LabelChip, ...], tuple[LabelChip, ...]]]:
    """buyer id → (tags, groups), each in name order."""
    ids = sorted(set(buyer_ids))
    out: dict[int, tuple[list[LabelChip], list[LabelChip]]] = {}
    lb, bl = labels_table.c, buyer_labels_table.c
    for start in range(0, len(ids), 500):
        rows = conn.execute(
            select(bl.buyer_id, lb.id, lb.kind, lb.name, lb.color)
            .join(labels_table, lb.id == bl.label_id)
            .where(bl.buyer_id.in_(ids[start:start + 500]))
            .order_by(lb.name))
        for buyer_id, label_id, kind, name, color in rows:
            tags, groups = out.setdefault(buyer_id, ([], []))
            (tags if kind == LabelKind.TAG.value else groups).append(
                LabelChip(label_id, name, color))
    return {b: (tuple(t), tuple(g)) for b, (t, g) in out.items()}


# -- catalogue --------------------------------------------------------------------------
def _label_id(conn: Connection, kind: str, name: str) -> int | None:
    return conn.execute(select(Label.id).where(Label.kind == kind, Label.name == name)).scalar()


def _ensure_labels(conn: Connection, kind: str, names: Iterable[str]) -> tuple[list[int], int]:
    """Ids of the named labels, creating the missing ones; → (ids, how many created)."""
    ids: list[int] = []
    created = 0
    for raw in names:
        name = clean_name(raw)
        label_id = _label_id(conn, kind, name)
        if label_id is None:
            label_id = conn.execute(labels_table.insert().values(
                kind=kind, name=name, color=default_color(name), created_at=now_ms())
            ).inserted_primary_key[0]  # type: ignore[index]
            created += 1
        if label_id not in ids:
            ids.append(int(label_id))
    return ids, created


def create_label(db: Engine, kind: str, name: str, color: str | None = None) -> int:
    kind, name = _kind(kind), clean_name(name)
    with db.begin() as conn:
        if _label_id(conn, kind, name) is not None:
            raise LabelError(f"{name!r} already exists")
        return int(conn.execute(labels_table.insert().values(
            kind=kind, name=name, color=color or default_color(name), created_at=now_ms())
        ).inserted_primary_key[0])  # type: ignore[index]


def rename_label(db: Engine, label_id: int, name: str) -> None:
    name = clean_name(name)
    with db.begin() as conn:
        kind = conn.execute(select(Label.kind).where(Label.id == label_id)).scalar_one()
        other = _label_id(conn, kind, name)
        if other is not None and other != label_id:
            raise LabelError(f"{name!r} already exists: merge instead")
        conn.execute(update(Label).where(Label.id == label_id).values(name=name))


def recolor_label(db: Engine, label_id: int, color: str) -> None:
    with db.begin() as conn:
        conn.execute(update(Label).where(Label.id == label_id).values(color=color))


def merge_labels(db: Engine, source_id: int, target_id: int) -> None:
    """Every buyer of `source` gets `target`; `source` goes away."""
    if source_id == target_id:
        return
    with db.begin() as conn:
        kinds = dict(conn.execute(select(Label.id, Label.kind)
                                  .where(Label.id.in_([source_id, target_id]))).all())
        if len(kinds) != 2 or kinds[source_id] != kinds[target_id]:
            raise LabelError("only a tag into a tag, or a group into a group, can be merged")
        bl = buyer_labels_table.c
        moved = [{"buyer_id": b, "label_id": target_id, "author": a, "created_at": t}
                 for b, a, t in conn.execute(select(bl.buyer_id, bl.author, bl.created_at)
                                             .where(bl.label_id == source_id))]
        if moved:
            conn.execute(insert_ignore(conn, buyer_labels_table, ["buyer_id", "label_id"]), moved)
        conn.execute(delete(BuyerLabel).where(BuyerLabel.label_id == source_id))
        conn.execute(delete(Label).where(Label.id == source_id))


def delete_label(db: Engine, label_id: int) -> None:
    with db.begin() as conn:
        conn.execute(delete(BuyerLabel).where(BuyerLabel.label_id == label_id))
        conn.execute(delete(Label).where(Label.id == label_id))


# -- buyers -------------------------------------------------------------------------------
def add_labels(db: Engine, buyer_ids: Sequence[int], kind: str, names: Sequence[str],
               author: str, tag_platforms: frozenset[str] = frozenset()) -> None:
    """`tag_platforms`: platforms that keep buyer tags themselves; a tag added here
    is queued for them through the outbox in the same transaction."""
    from .outbox import queue_buyer_tags

    kind = _kind(kind)
    with db.begin() as conn:
        label_ids, _ = _ensure_labels(conn, kind, names)
        _attach(conn, buyer_ids, label_ids, author)
        if kind == LabelKind.TAG.value:
            queue_buyer_tags(conn, buyer_ids, [clean_name(n) for n in names], [], tag_platforms)


def _attach(conn: Connection, buyer_ids: Iterable[int], label_ids: Sequence[int],
            author: str) -> None:
    now = now_ms()
    rows = [{"buyer_id": b, "label_id": label_id, "author": author, "created_at": now}
            for b in buyer_ids for label_id in label_ids]
    if rows:
        conn.execute(insert_ignore(conn, buyer_labels_table, ["buyer_id", "label_id"]), rows)


def remove_label(db: Engine, buyer_ids: Sequence[int], label_id: int,
                 tag_platforms: frozenset[str] = frozenset()) -> None:
    from .outbox import queue_buyer_tags

    with db.begin() as conn:
        label = conn.execute(select(Label.kind, Label.name).where(Label.id == label_id)).first()
        conn.execute(delete(BuyerLabel).where(BuyerLabel.label_id == label_id,
                                              BuyerLabel.buyer_id.in_(list(buyer_ids))))
        if label is not None and label.kind == LabelKind.TAG.value:
            queue_buyer_tags(conn, buyer_ids, [], [label.name], tag_platforms)


def attach_platform_tags(conn: Connection, tags_by_buyer: dict[int, list[str]]) -> None:
    """Tags a platform keeps on its buyers (Shopify customer tags) become SeatDesk
    tags, added (never removed: the team's own tags stay theirs)."""
    for buyer_id, names in tags_by_buyer.items():
        try:
            label_ids, _ = _ensure_labels(conn, LabelKind.TAG.value, names)
        except LabelError:
            continue  # a tag SeatDesk cannot hold (too long): the platform keeps it
        _attach(conn, [buyer_id], label_ids, "platform")


def buyers_of_label(db: Engine, label_id: int) -> list[int]:
    with db.connect() as conn:
        return list(conn.execute(select(BuyerLabel.buyer_id)
                                 .where(BuyerLabel.label_id == label_id)).scalars())


def set_note(db: Engine, buyer_id: int, text: str, author: str) -> None:
    with db.begin() as conn:
        conn.execute(update(Buyer).where(Buyer.id == buyer_id).values(
            note=text, note_by=author, note_at=now_ms()))


# -- CSV ----------------------------------------------------------------------------------
def export_csv(db: Engine, path: Path) -> int:
    """Every buyer with a tag or group: platform, buyer id, nick, tags, groups (joined
    with ';'). UTF-8 with a BOM, which Excel needs to show Chinese. → buyers written."""
    b, lb, bl = buyers_table.c, labels_table.c, buyer_labels_table.c
    per_buyer: dict[int, tuple[str, str, str, list[str], list[str]]] = {}
    with db.connect() as conn:
        rows = conn.execute(
            select(b.id, b.platform, b.platform_buyer_id, b.nick, lb.kind, lb.name)
            .join(buyer_labels_table, bl.buyer_id == b.id)
            .join(labels_table, lb.id == bl.label_id)
            .order_by(b.platform, b.nick, b.id, lb.name))
        for buyer_id, platform, platform_buyer_id, nick, kind, name in rows:
            entry = per_buyer.setdefault(buyer_id, (platform, platform_buyer_id, nick, [], []))
            entry[3 if kind == LabelKind.TAG.value else 4].append(name)  # type: ignore[union-attr]
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(CSV_COLUMNS)
        for platform, platform_buyer_id, nick, tags, groups in per_buyer.values():
            out.writerow([platform, platform_buyer_id, nick, ";".join(tags), ";".join(groups)])
    return len(per_buyer)


def _read_text(path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030: what Chinese Excel saves as CSV."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _split(cell: str) -> list[str]:
    for sep in CSV_SEPARATORS[1:]:
        cell = cell.replace(sep, CSV_SEPARATORS[0])
    return [part.strip() for part in cell.split(CSV_SEPARATORS[0]) if part.strip()]


_HEADER_ALIASES = {
    "platform": "platform", "平台": "platform",
    "buyer_id": "buyer_id", "买家id": "buyer_id", "买家ID": "buyer_id",
    "nick": "nick", "昵称": "nick", "买家昵称": "nick", "旺旺": "nick",
    "tags": "tags", "标签": "tags",
    "groups": "groups", "分组": "groups",
}


def import_csv(db: Engine, path: Path, author: str) -> ImportReport:
    """Add the file's tags and groups to its buyers (nothing is removed). A buyer is
    found by platform + buyer id, or by platform + nick when the id is empty; a buyer
    not seen yet but given with an id is created, so the tags are there at the first
    chat. Rows that cannot be placed are reported with their line number. One
    transaction: a file that cannot be read changes nothing."""
    reader = csv.reader(io.StringIO(_read_text(path)))
    header = next(reader, None)
    if header is None:
        raise LabelError("the file is empty")
    columns = {_HEADER_ALIASES.get(h.strip(), h.strip()): i for i, h in enumerate(header)}
    if "platform" not in columns or not ({"buyer_id", "nick"} & set(columns)):
        raise LabelError("the first line must name the columns: platform, buyer_id or nick, "
                         "tags, groups")
    skipped: list[tuple[int, str]] = []
    changed: set[int] = set()
    created = rows = 0
    b = buyers_table.c
    with db.begin() as conn:
        for line, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            rows += 1

            def cell(name: str, rec: list[str] = record) -> str:
                i = columns.get(name)
                return rec[i].strip() if i is not None and i < len(rec) else ""

            platform, buyer_key, nick = cell("platform"), cell("buyer_id"), cell("nick")
            if not platform or not (buyer_key or nick):
                skipped.append((line, "needs a platform and a buyer id or nick"))
                continue
            if buyer_key:
                conn.execute(insert_ignore(conn, buyers_table, ["platform", "platform_buyer_id"]),
                             [{"platform": platform, "platform_buyer_id": buyer_key, "nick": nick}])
                buyer_id = conn.execute(select(b.id).where(
                    b.platform == platform, b.platform_buyer_id == buyer_key)).scalar_one()
            else:
                found = conn.execute(select(b.id).where(b.platform == platform, b.nick == nick)
                                     .limit(2)).scalars().all()
                if len(found) != 1:
                    skipped.append((line, f"no single buyer {nick!r} on {platform}"))
                    continue
                buyer_id = found[0]
            try:
                for kind, column in ((LabelKind.TAG.value, "tags"), (LabelKind.GROUP.value, "groups")):
                    names = _split(cell(column))
                    if names:
                        ids, n = _ensure_labels(conn, kind, names)
                        created += n
                        _attach(conn, [buyer_id], ids, author)
                        changed.add(buyer_id)
            except LabelError as exc:
                skipped.append((line, str(exc)))
    return ImportReport(rows=rows, buyers=len(changed), labels_created=created,
                        skipped=tuple(skipped))
