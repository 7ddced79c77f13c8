"""Shift handovers (交接班) as records: saving and sending, the reader's acknowledgement
and ticks, handing the author's chats to the next shift, follow-up promises, history
and the lead's report. The draft is built in handover_draft.py.

DOMAIN "Shift handover": what the outgoing shift forgets becomes a complaint, a refund or
a bad review tomorrow, and rivals leave it to paper or spreadsheets
(feature-anchors: no row offers one). So a handover is a record: each item links to its
chat, order or case and has a to-do state; the incoming seats acknowledge it.

Every item has a key naming what it is about ("chat:12", "unpaid:40"; a free note keeps
the key of the note it continues). Sending a handover marks every item of earlier sent
handovers with one of its keys as taken on (`carried_to`): the latest word on a thing
wins, and only TODO items not taken on are still someone's to do — so an undone item is
carried on exactly once.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    delete,
    exists,
    false,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import aliased

from . import assign, seats
from .clock import now_ms
from .models import (
    Seat,
    buyers_table,
    conversations_table,
    follow_ups_table,
    handover_acks_table,
    handover_items_table,
    handover_seats_table,
    handovers_table,
    orders_table,
    shift_seats_table,
    shops_table,
)
from .routing import ASSIGNABLE
from .sql import insert_ignore
from .views import (
    AckRow,
    ChangeNotice,
    FollowUpRow,
    HandoverFilter,
    HandoverItemKind,
    HandoverItemRow,
    HandoverRow,
    ItemState,
    TransferReport,
)

UNREAD_WINDOW_MS = 7 * 86_400_000  # a handover not acknowledged within a week is history
LIST_LIMIT = 1000
_CHUNK = 500

h, i, c = handovers_table.c, handover_items_table.c, conversations_table.c
s, b, o = shops_table.c, buyers_table.c, orders_table.c
f = follow_ups_table.c


class HandoverError(ValueError):
    """A handover change that cannot be made, with the reason to show."""


def item_key(item: HandoverItemRow) -> str:
    """What the item is about, from its links ("" for a free note: it gets its own)."""
    kind = item.kind
    link = {HandoverItemKind.CHAT: item.conversation_id,
            HandoverItemKind.FOLLOW_UP: item.follow_up_id,
            HandoverItemKind.UNPAID: item.order_id,
            HandoverItemKind.CASE: item.case_id,
            HandoverItemKind.REMARK: item.order_id,
            HandoverItemKind.TAGGED: item.buyer_id}.get(kind)
    return f"{kind.value}:{link}" if link is not None else ""


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def buyer_ref(nick: str, shop: str) -> str:
    return f"{nick} @{shop}"


def addressed_to(seat_id: int, shift_ids: Collection[int]) -> ColumnElement[bool]:
    """The handover is addressed to the seat by name, or to one of these shifts."""
    hs = handover_seats_table.c
    named = exists().where(hs.handover_id == h.id, hs.seat_id == seat_id)
    return or_(named, h.to_shift_id.in_(sorted(shift_ids))) if shift_ids else named


# -- reading handovers ---------------------------------------------------------------------
def item_row(r: Any) -> HandoverItemRow:
    return HandoverItemRow(
        r.id, HandoverItemKind(r.kind), r.title, r.note, ItemState(r.state),
        conversation_id=r.conversation_id, order_id=r.order_id, case_id=r.case_id,
        buyer_id=r.buyer_id, shop_name=r.shop_name, due_at=r.due_at, done_by=r.done_by,
        done_at=r.done_at, carried_from=r.carried_from, ref=r.ref, follow_up_id=r.follow_up_id,
        carried_to=r.carried_to)


def rows_in(conn: Connection, ids: Sequence[int]) -> list[HandoverRow]:
    """Whole handovers (items, addressees, acknowledgements), in the order of `ids`."""
    if not ids:
        return []
    heads: dict[int, Any] = {}
    items: dict[int, list[Any]] = {}
    to_seats: dict[int, set[int]] = {}
    acks: dict[int, list[AckRow]] = {}
    hs, a = handover_seats_table.c, handover_acks_table.c
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start:start + _CHUNK])
        heads.update({r.id: r for r in conn.execute(select(handovers_table).where(h.id.in_(chunk)))})
        for r in conn.execute(select(handover_items_table).where(i.handover_id.in_(chunk))
                              .order_by(i.handover_id, i.position, i.id)):
            items.setdefault(r.handover_id, []).append(r)
        for hid, seat in conn.execute(select(hs.handover_id, hs.seat_id)
                                      .where(hs.handover_id.in_(chunk))):
            to_seats.setdefault(hid, set()).add(seat)
        for r in conn.execute(select(handover_acks_table).where(a.handover_id.in_(chunk))
                              .order_by(a.at, a.seat_id)):
            acks.setdefault(r.handover_id, []).append(AckRow(r.seat_id, r.seat_name, r.at))
    out = []
    for hid in ids:
        head = heads.get(hid)
        if head is None:
            continue
        out.append(HandoverRow(
            head.id, head.author_seat_id, head.author, head.shift_id, head.to_shift_id,
            frozenset(to_seats.get(hid, ())), head.text, head.state, head.created_at,
            head.sent_at,
            tuple(item_row(r) for r in items.get(hid, ())),
            tuple(acks.get(hid, ()))))
    return out


def get(db: Engine, handover_id: int) -> HandoverRow | None:
    with db.connect() as conn:
        found = rows_in(conn, [handover_id])
    return found[0] if found else None


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _shifts_of(conn: Connection, seat_id: int) -> list[int]:
    r = shift_seats_table.c
    return list(conn.execute(select(r.shift_id).where(r.seat_id == seat_id)).scalars())


def listing(db: Engine, flt: HandoverFilter, limit: int = 100,
            viewer_seat_id: int | None = None) -> list[HandoverRow]:
    """Sent handovers (and the viewer's own drafts) matching the filter, newest first."""
    when = func.coalesce(h.sent_at, h.created_at)
    mine = h.author_seat_id == viewer_seat_id if viewer_seat_id is not None else false()
    where: list[ColumnElement[bool]] = [or_(h.state == "sent", mine)]
    a = handover_acks_table.c
    with db.connect() as conn:
        if flt.text.strip():
            pattern = _like(flt.text.strip())
            where.append(or_(h.text.like(pattern, escape="\\"), exists().where(
                i.handover_id == h.id, or_(i.title.like(pattern, escape="\\"),
                                           i.note.like(pattern, escape="\\"),
                                           i.ref.like(pattern, escape="\\")))))
        if flt.author_seat_id is not None:
            where.append(h.author_seat_id == flt.author_seat_id)
        if flt.since is not None:
            where.append(when >= flt.since)
        if flt.until is not None:
            where.append(when < flt.until)
        if flt.unacknowledged_by is not None:
            seat = flt.unacknowledged_by
            where += [h.state == "sent", addressed_to(seat, _shifts_of(conn, seat)),
                      ~exists().where(a.handover_id == h.id, a.seat_id == seat)]
        if flt.with_todo is not None:
            todo = exists().where(i.handover_id == h.id, i.state == ItemState.TODO.value)
            where.append(todo if flt.with_todo else ~todo)
        ids = list(conn.execute(select(h.id).where(*where)
                                .order_by(when.desc(), h.id.desc()).limit(limit)).scalars())
        return rows_in(conn, ids)


def unread(db: Engine, seat_id: int, now: int | None = None) -> list[HandoverRow]:
    """Sent in the last week to the seat or a shift it works, by someone else, and not
    acknowledged by it: newest first."""
    at = now_ms() if now is None else now
    a = handover_acks_table.c
    with db.connect() as conn:
        ids = list(conn.execute(
            select(h.id).where(
                h.state == "sent", h.sent_at >= at - UNREAD_WINDOW_MS,
                h.author_seat_id != seat_id, addressed_to(seat_id, _shifts_of(conn, seat_id)),
                ~exists().where(a.handover_id == h.id, a.seat_id == seat_id))
            .order_by(h.sent_at.desc(), h.id.desc()).limit(LIST_LIMIT)).scalars())
        return rows_in(conn, ids)


def report(db: Engine, since: int, until: int) -> list[HandoverRow]:
    """For leads: every handover sent in [since, until), newest first — who handed over,
    who acknowledged, which items are still to do (HandoverRow.overdue)."""
    with db.connect() as conn:
        ids = list(conn.execute(
            select(h.id).where(h.state == "sent", h.sent_at >= since, h.sent_at < until)
            .order_by(h.sent_at.desc(), h.id.desc()).limit(LIST_LIMIT)).scalars())
        return rows_in(conn, ids)


# -- writing -------------------------------------------------------------------------------
def _describe(conn: Connection, item: HandoverItemRow) -> HandoverItemRow:
    """Fill the readable reference (and an empty title) of an item the UI linked itself."""
    if item.ref or (item.conversation_id is None and item.order_id is None
                    and item.case_id is None):
        return item if item.title.strip() or not item.note.strip() else replace(
            item, title=first_line(item.note))
    parts: list[str] = []
    shop = item.shop_name
    if item.conversation_id is not None:
        row = conn.execute(select(b.nick, s.name).join(conversations_table, c.buyer_id == b.id)
                           .join(shops_table, s.id == c.shop_id)
                           .where(c.id == item.conversation_id)).first()
        if row is not None:
            parts.append(buyer_ref(row[0], row[1]))
            shop = shop or row[1]
    if item.order_id is not None:
        pid = conn.execute(select(o.platform_order_id).where(o.id == item.order_id)).scalar()
        if pid:
            parts.append(f"订单号 {pid}")
    if item.case_id is not None:
        parts.append(f"售后单号 #{item.case_id}")
    ref = " · ".join(parts)
    return replace(item, ref=ref, shop_name=shop,
                   title=item.title.strip() or first_line(item.note) or ref)


def _item_values(item: HandoverItemRow, handover_id: int, position: int, key: str,
                 by: str, at: int) -> dict[str, object]:
    done = item.state is not ItemState.TODO
    return {
        "handover_id": handover_id, "position": position, "kind": item.kind.value, "key": key,
        "title": item.title.strip(), "ref": item.ref, "note": item.note.strip(),
        "state": item.state.value, "conversation_id": item.conversation_id,
        "order_id": item.order_id, "case_id": item.case_id, "buyer_id": item.buyer_id,
        "follow_up_id": item.follow_up_id, "shop_name": item.shop_name, "due_at": item.due_at,
        "done_by": (item.done_by or by) if done else "",
        "done_at": (item.done_at or at) if done else None, "carried_from": item.carried_from,
    }


def save(db: Engine, row: HandoverRow, by: str = "", now: int | None = None) -> int:
    """Create (id 0) or update a draft: text, addressees, items added, removed, annotated
    or ticked; → its id."""
    at = now_ms() if now is None else now
    with db.begin() as conn:
        if conn.execute(select(Seat.id).where(Seat.id == row.author_seat_id)).scalar() is None:
            raise HandoverError(f"no seat {row.author_seat_id}")
        head = {"shift_id": row.shift_id, "to_shift_id": row.to_shift_id,
                "text": row.text.strip(), "updated_at": at}
        if row.id == 0:
            hid = int(conn.execute(handovers_table.insert().values(
                author_seat_id=row.author_seat_id, author=row.author, state="draft",
                created_at=row.created_at or at, **head)).inserted_primary_key[0])  # type: ignore[index]
        else:
            hid = row.id
            state = conn.execute(select(h.state).where(h.id == hid)).scalar()
            if state is None:
                raise HandoverError(f"no handover {hid}")
            if state != "draft":
                raise HandoverError("a sent handover cannot be changed; tick its items instead")
            conn.execute(update(handovers_table).where(h.id == hid).values(**head))
        hs = handover_seats_table.c
        conn.execute(delete(handover_seats_table).where(hs.handover_id == hid))
        if row.to_seat_ids:
            conn.execute(handover_seats_table.insert(),
                         [{"handover_id": hid, "seat_id": seat} for seat in sorted(row.to_seat_ids)])
        _save_items(conn, hid, row.items, by, at)
    return hid


def _save_items(conn: Connection, hid: int, items: Sequence[HandoverItemRow], by: str,
                at: int) -> None:
    have = set(conn.execute(select(i.id).where(i.handover_id == hid)).scalars())
    strangers = {x.id for x in items if x.id} - have
    if strangers:
        raise HandoverError(f"items {sorted(strangers)} are not in this handover")
    gone = have - {x.id for x in items}
    if gone:
        conn.execute(delete(handover_items_table).where(i.id.in_(sorted(gone))))
    origins = {x.carried_from for x in items if x.carried_from is not None}
    inherited = dict(conn.execute(select(i.id, i.key).where(i.id.in_(sorted(origins)))).all()) \
        if origins else {}
    for position, raw in enumerate(items):
        item = _describe(conn, raw)
        if not item.title.strip():
            raise HandoverError("an item needs a text")
        key = item_key(item) or inherited.get(item.carried_from, "")
        values = _item_values(item, hid, position, key, by, at)
        if item.id:
            if not key:
                values.pop("key")  # a note keeps the key it was given
            conn.execute(update(handover_items_table).where(i.id == item.id).values(**values))
        else:
            new = int(conn.execute(handover_items_table.insert().values(**values))
                      .inserted_primary_key[0])  # type: ignore[index]
            if not key:
                conn.execute(update(handover_items_table).where(i.id == new)
                             .values(key=f"note:{new}"))


def send(db: Engine, handover_id: int, now: int | None = None) -> HandoverRow:
    """The draft goes out. An item carried from one that another handover carried on
    meanwhile is left out (each item is carried on once); → the handover as sent."""
    at = now_ms() if now is None else now
    with db.begin() as conn:
        head = conn.execute(select(h.state, h.to_shift_id).where(h.id == handover_id)).first()
        if head is None:
            raise HandoverError(f"no handover {handover_id}")
        if head.state != "draft":
            raise HandoverError("this handover was sent already")
        hs = handover_seats_table.c
        named = conn.execute(select(func.count()).where(hs.handover_id == handover_id)).scalar()
        if head.to_shift_id is None and not named:
            raise HandoverError("address the handover to the next shift or to a seat")
        i2, h2 = aliased(handover_items_table), aliased(handovers_table)
        taken = select(i.id).where(i.handover_id == handover_id, i.carried_from.is_not(None),
                                   exists().where(i2.c.carried_from == i.carried_from,
                                                  h2.c.id == i2.c.handover_id,
                                                  h2.c.state == "sent"))
        doubles = list(conn.execute(taken).scalars())
        if doubles:
            conn.execute(delete(handover_items_table).where(i.id.in_(doubles)))
        conn.execute(update(handovers_table).where(h.id == handover_id)
                     .values(state="sent", sent_at=at, updated_at=at))
        # the latest word on each thing is this handover's now: earlier items about the
        # same things are taken on (no longer carried, nor overdue)
        keys = select(i2.c.key).where(i2.c.handover_id == handover_id, i2.c.key != "")
        conn.execute(update(handover_items_table).where(
            i.key.in_(keys), i.handover_id != handover_id, i.carried_to.is_(None),
            i.handover_id.in_(select(h2.c.id).where(h2.c.state == "sent"))
        ).values(carried_to=handover_id))
        return rows_in(conn, [handover_id])[0]


def hand_over_chats(db: Engine, sent: HandoverRow, *, actor_seat_id: int | None, actor: str,
                    transfer_platforms: frozenset[str] = frozenset(),
                    now: int | None = None) -> TransferReport:
    """The author's open chats to the seats the handover is addressed to (its next
    shift's roster and the named seats) that serve the chat's shop: a seat already
    working first, then the least loaded. Each carries the transfer note "交接：…" (the
    chat's item note, else the handover's first line). A chat no addressee serves
    stays where it is."""
    at = now_ms() if now is None else now
    text_line = first_line(sent.text)
    notes = {x.conversation_id: first_line(x.note) for x in sent.items
             if x.kind is HandoverItemKind.CHAT and x.conversation_id is not None}
    with db.connect() as conn:
        targets = set(sent.to_seat_ids)
        if sent.to_shift_id is not None:
            r = shift_seats_table.c
            targets |= set(conn.execute(select(r.seat_id).where(r.shift_id == sent.to_shift_id))
                           .scalars())
        targets.discard(sent.author_seat_id)
        rules = seats.load_rules(conn)
        snaps = {x.id: x for x in seats.snapshots(conn, at, rules) if x.id in targets}
        chats = conn.execute(select(c.id, c.shop_id, c.assign_version).where(
            c.seat_id == sent.author_seat_id, c.state == "open").order_by(c.id)).all()
    load = {sid: snap.chats for sid, snap in snaps.items()}
    plan: dict[tuple[int, str], dict[int, int]] = {}
    for chat in chats:
        able = [x for x in snaps.values() if x.shop_ids is None or chat.shop_id in x.shop_ids]
        if not able:
            continue
        best = min(able, key=lambda x: (x.status not in ASSIGNABLE, load[x.id], x.id))
        load[best.id] += 1
        reason = "交接：" + (notes.get(chat.id) or text_line or f"{sent.author}的交接")
        plan.setdefault((best.id, reason), {})[chat.id] = chat.assign_version
    reports = [assign.transfer(db, versions, actor_seat_id=actor_seat_id, actor=actor,
                               to_seat_id=seat_id, reason=reason, force=True,
                               transfer_platforms=transfer_platforms, now=at)
               for (seat_id, reason), versions in plan.items()]
    return TransferReport(
        tuple(x for r in reports for x in r.moved), tuple(x for r in reports for x in r.queued),
        tuple(x for r in reports for x in r.refused),
        frozenset(x for r in reports for x in r.seats))


def acknowledge(db: Engine, handover_id: int, seat_id: int, seat_name: str,
                now: int | None = None) -> None:
    at = now_ms() if now is None else now
    with db.begin() as conn:
        state = conn.execute(select(h.state).where(h.id == handover_id)).scalar()
        if state != "sent":
            raise HandoverError("only a sent handover can be acknowledged")
        conn.execute(insert_ignore(conn, handover_acks_table, ["handover_id", "seat_id"]), [{
            "handover_id": handover_id, "seat_id": seat_id, "seat_name": seat_name, "at": at}])


def set_item_state(db: Engine, item_id: int, state: ItemState, note: str | None, by: str,
                   now: int | None = None) -> ChangeNotice:
    """Tick an item done or dropped (a follow-up item's promise is kept with it), or back
    to do; with `note`, its annotation too."""
    at = now_ms() if now is None else now
    with db.begin() as conn:
        row = conn.execute(select(i.handover_id, i.follow_up_id).where(i.id == item_id)).first()
        if row is None:
            raise HandoverError(f"no handover item {item_id}")
        values: dict[str, object] = {"state": state.value}
        if state is ItemState.TODO:
            values.update(done_by="", done_at=None)
        else:
            values.update(done_by=by, done_at=at)
        if note is not None:
            values["note"] = note.strip()
        conn.execute(update(handover_items_table).where(i.id == item_id).values(**values))
        kept = False
        if state is not ItemState.TODO and row.follow_up_id is not None:
            kept = _keep(conn, [row.follow_up_id], by, at) > 0
    return ChangeNotice(handovers=frozenset({row.handover_id}), follow_ups=kept)


# -- follow-up promises --------------------------------------------------------------------
def add_follow_up(db: Engine, conversation_id: int, due_at: int, note: str,
                  for_seat_id: int | None, by_seat_id: int | None, by: str,
                  now: int | None = None) -> int:
    at = now_ms() if now is None else now
    with db.begin() as conn:
        if conn.execute(select(c.id).where(c.id == conversation_id)).scalar() is None:
            raise HandoverError(f"no conversation {conversation_id}")
        if for_seat_id is not None and conn.execute(
                select(Seat.id).where(Seat.id == for_seat_id)).scalar() is None:
            raise HandoverError(f"no seat {for_seat_id}")
        return int(conn.execute(follow_ups_table.insert().values(
            conversation_id=conversation_id, due_at=due_at, note=note.strip(),
            for_seat_id=for_seat_id, created_by_seat_id=by_seat_id, created_by=by,
            created_at=at, state="open", done_by="")).inserted_primary_key[0])  # type: ignore[index]


def _keep(conn: Connection, follow_up_ids: Sequence[int], by: str, at: int) -> int:
    return conn.execute(update(follow_ups_table).where(
        f.id.in_(list(follow_up_ids)), f.state == "open").values(
        state="done", done_by=by, done_at=at)).rowcount


def complete_follow_up(db: Engine, follow_up_id: int, by: str,
                       now: int | None = None) -> ChangeNotice:
    """The promise is kept; handover items about it are ticked done with it."""
    at = now_ms() if now is None else now
    with db.begin() as conn:
        _keep(conn, [follow_up_id], by, at)
        hids = frozenset(conn.execute(select(i.handover_id).where(
            i.follow_up_id == follow_up_id, i.state == ItemState.TODO.value)).scalars())
        conn.execute(update(handover_items_table).where(
            i.follow_up_id == follow_up_id, i.state == ItemState.TODO.value).values(
            state=ItemState.DONE.value, done_by=by, done_at=at))
    return ChangeNotice(handovers=hids, follow_ups=True)


def follow_ups(db: Engine, seat_id: int | None = None, due_before: int | None = None,
               open_only: bool = True) -> list[FollowUpRow]:
    """Promises for the seat and for whoever works the next shift (every one without a
    seat), soonest due first."""
    where: list[ColumnElement[bool]] = []
    if seat_id is not None:
        where.append(or_(f.for_seat_id == seat_id, f.for_seat_id.is_(None)))
    if due_before is not None:
        where.append(f.due_at < due_before)
    if open_only:
        where.append(f.state == "open")
    with db.connect() as conn:
        rows = conn.execute(
            select(follow_ups_table, b.nick, s.name.label("shop"), c.buyer_id)
            .join(conversations_table, c.id == f.conversation_id)
            .join(shops_table, s.id == c.shop_id).join(buyers_table, b.id == c.buyer_id)
            .where(*where).order_by(f.due_at, f.id).limit(LIST_LIMIT)).all()
    return [FollowUpRow(r.id, r.conversation_id, r.nick, r.shop, r.due_at, r.note, r.for_seat_id,
                        r.created_by, r.state, r.done_by, r.done_at, r.buyer_id) for r in rows]

