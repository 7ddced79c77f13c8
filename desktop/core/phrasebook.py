"""Quick replies in the store: the team's and each seat's library, per-shop overrides,
Ctrl+1…9 favourites, picks per chat (escalation), CSV import/export, the default library.

Who edits what: a seat edits its own phrases; the team's library and the team's
favourites are a lead's (in solo mode the one seat leads). Every saved phrase is checked
for unknown variables and for platform red lines (the rules of the shop it is for, or of
every platform the team sells on); a red-line hit is saved only when the author
explicitly accepts it, and that is logged like a sent override.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, func, or_, select, update

from .clock import now_ms
from .models import (
    Conversation,
    Phrase,
    PhraseFavorite,
    PhraseUse,
    Seat,
    Shop,
    phrase_favorites_table,
    phrase_uses_table,
    phrases_table,
    team_settings_table,
)
from .phrases import (
    FAVORITE_SLOTS,
    CsvPhrase,
    PhraseError,
    check_draft,
    default_library,
    format_csv,
    library_order,
    parse_csv,
    pinyin_keys,
    read_text,
)
from .redlines import RedLineRefused
from .redline_store import log_override
from .sql import insert_ignore
from .views import PhraseDraft, PhraseImportReport, PhraseRow, RedLineHit, SeatRole

SEEDED_KEY = "phrases.seeded"  # team_settings: the default library went in once (never again)

# (text, platforms) → hits; given by the desk (its Rulebook), so this module needs no rules
RedLineCheck = Callable[[str, Sequence[str]], list[RedLineHit]]


# -- reading ------------------------------------------------------------------------------------
def _is_lead(conn: Connection, seat_id: int | None) -> bool:
    if seat_id is None:
        return False
    return conn.execute(select(Seat.role).where(Seat.id == seat_id)).scalar() == SeatRole.LEAD.value


def _rows(conn: Connection, seat_id: int | None, shop_id: int | None = None,
          *, all_shops: bool = True) -> list[PhraseRow]:
    p = phrases_table.c
    query = (select(phrases_table, Shop.name.label("shop_name"))
             .outerjoin(Shop, Shop.id == p.shop_id)
             .where(or_(p.seat_id.is_(None), p.seat_id == seat_id) if seat_id is not None
                    else p.seat_id.is_(None)))
    if not all_shops:
        query = query.where(or_(p.shop_id.is_(None), p.shop_id == shop_id))
    return [PhraseRow(r.id, r.stage, r.title, r.text, r.shortcut, r.seat_id is None, r.shop_id,
                      r.shop_name or "", r.keys, r.position, r.updated_by, r.updated_at)
            for r in conn.execute(query)]


def _slots(conn: Connection, seat_id: int | None) -> dict[int, int]:
    """slot → phrase id: the team's favourites, the seat's own laid over them."""
    f = phrase_favorites_table.c
    rows = conn.execute(select(f.seat_id, f.slot, f.phrase_id)
                        .where(or_(f.seat_id.is_(None), f.seat_id == seat_id))
                        .order_by(f.seat_id.is_(None).desc(), f.id)).all()
    slots: dict[int, int] = {}
    for _seat, slot, phrase_id in rows:  # team rows first, then the seat's own win
        slots[slot] = phrase_id
    return slots


def _resolve(rows: list[PhraseRow], shop_id: int | None) -> list[PhraseRow]:
    """One phrase per (stage, title) for a chat in `shop_id`: the shop's own beats the
    all-shops one (shop facts are correctness), then the seat's own beats the team's."""
    best: dict[tuple[str, str], PhraseRow] = {}
    for row in rows:
        if row.shop_id is not None and row.shop_id != shop_id:
            continue
        key = (row.stage, row.title.strip())
        rank = (row.shop_id is not None, not row.team)
        held = best.get(key)
        if held is None or rank > (held.shop_id is not None, not held.team):
            best[key] = row
    return list(best.values())


def library(db: Engine, seat_id: int | None, conversation_id: int | None = None) -> list[PhraseRow]:
    """The phrases the seat may use. For a chat: one per stage and title after the shop's
    overrides, each with its favourite slot and how often it was picked in that chat.
    Without: the whole team library and the seat's own, every shop's (the manager)."""
    with db.connect() as conn:
        slots = _slots(conn, seat_id)
        if conversation_id is None:
            every = [replace(r, slot=_slot_of(slots, r.id)) for r in _rows(conn, seat_id)]
            return sorted(every, key=library_order)
        shop_id = conn.execute(select(Conversation.shop_id)
                               .where(Conversation.id == conversation_id)).scalar()
        rows = _resolve(_rows(conn, seat_id, shop_id, all_shops=False), shop_id)
        u = phrase_uses_table.c
        uses = {int(pid): int(n) for pid, n in conn.execute(
            select(u.phrase_id, func.count()).where(u.conversation_id == conversation_id)
            .group_by(u.phrase_id))}
        # a favourite names a phrase; in this shop its override answers for it
        by_id = {r.id: r for r in _rows(conn, seat_id)}
        slot_of: dict[tuple[str, str], int] = {}
        for slot, phrase_id in sorted(slots.items()):
            named = by_id.get(phrase_id)
            if named is not None:
                slot_of.setdefault((named.stage, named.title.strip()), slot)
    out = [replace(r, slot=slot_of.get((r.stage, r.title.strip())), uses=int(uses.get(r.id, 0)))
           for r in rows]
    return sorted(out, key=library_order)


def _slot_of(slots: dict[int, int], phrase_id: int) -> int | None:
    return next((s for s, pid in sorted(slots.items()) if pid == phrase_id), None)


def team_platforms(conn: Connection) -> list[str]:
    """The platforms the team sells on (its shops'): whose red lines a general phrase meets."""
    return sorted(set(conn.execute(select(Shop.platform)).scalars()))


# -- writing ------------------------------------------------------------------------------------
def _check_rights(conn: Connection, seat_id: int | None, team: bool,
                  owner: int | None = None, existing: bool = False) -> None:
    if seat_id is None:
        raise PhraseError("not signed in as a seat")
    if team or (existing and owner is None):
        if not _is_lead(conn, seat_id):
            raise PhraseError("only a team lead edits the team's library")
    elif existing and owner != seat_id:
        raise PhraseError("that phrase is another seat's own")


def _platforms_for(conn: Connection, shop_id: int | None) -> list[str]:
    if shop_id is not None:
        platform = conn.execute(select(Shop.platform).where(Shop.id == shop_id)).scalar()
        if platform is None:
            raise PhraseError(f"no shop {shop_id}")
        return [str(platform)]
    return team_platforms(conn) or ["common"]


def save_phrase(db: Engine, seat_id: int | None, author: str, draft: PhraseDraft,
                phrase_id: int | None, check: RedLineCheck, *, allow_red_lines: bool = False) -> int:
    """Create (phrase_id None) or change a phrase; → its id. PhraseError on a bad draft
    (unknown variables, no right to); RedLineRefused when the text crosses a red line and
    the author did not accept it (accepted: saved, and the override logged)."""
    problems = check_draft(draft)
    if problems:
        raise PhraseError("; ".join(problems))
    keys = pinyin_keys(draft.title.strip())
    with db.begin() as conn:
        owner = None
        if phrase_id is not None:
            found = conn.execute(select(Phrase.seat_id).where(Phrase.id == phrase_id)).one_or_none()
            if found is None:
                raise PhraseError(f"no phrase {phrase_id}")
            owner = found[0]
            _check_rights(conn, seat_id, draft.team, owner, existing=True)
        else:
            _check_rights(conn, seat_id, draft.team)
        hits = check(draft.text + "\n" + draft.title, _platforms_for(conn, draft.shop_id))
        if hits and not allow_red_lines:
            raise RedLineRefused(hits)
        values = {
            "seat_id": None if draft.team else seat_id, "shop_id": draft.shop_id,
            "stage": draft.stage, "title": draft.title.strip(), "shortcut": draft.shortcut.strip(),
            "text": draft.text.strip(), "keys": keys, "updated_by": author, "updated_at": now_ms(),
        }
        if phrase_id is None:
            position = conn.execute(select(func.coalesce(func.max(Phrase.position), 0))
                                    .where(Phrase.stage == draft.stage)).scalar() or 0
            phrase_id = int(conn.execute(phrases_table.insert().values(
                **values, position=int(position) + 1)).inserted_primary_key[0])  # type: ignore[index]
        else:
            conn.execute(update(Phrase).where(Phrase.id == phrase_id).values(**values))
        if hits:
            log_override(conn, kind="phrase", seat_id=seat_id, seat_name=author, hits=hits,
                         text=draft.text, ref_id=phrase_id)
    return phrase_id


def delete_phrase(db: Engine, seat_id: int | None, phrase_id: int) -> None:
    with db.begin() as conn:
        owner = conn.execute(select(Phrase.seat_id).where(Phrase.id == phrase_id)).one_or_none()
        if owner is None:
            return
        _check_rights(conn, seat_id, owner[0] is None, owner[0], existing=True)
        conn.execute(delete(PhraseUse).where(PhraseUse.phrase_id == phrase_id))
        conn.execute(delete(PhraseFavorite).where(PhraseFavorite.phrase_id == phrase_id))
        conn.execute(delete(Phrase).where(Phrase.id == phrase_id))


def set_favorite(db: Engine, seat_id: int | None, slot: int, phrase_id: int | None,
                 *, team: bool = False) -> None:
    """Ctrl+slot inserts the phrase (None: the slot is cleared), for this seat or, by a
    lead, as the team's default. A phrase holds one slot per owner."""
    if slot not in FAVORITE_SLOTS:
        raise PhraseError("favourite slots are 1–9")
    with db.begin() as conn:
        if seat_id is None:
            raise PhraseError("not signed in as a seat")
        if team and not _is_lead(conn, seat_id):
            raise PhraseError("only a team lead sets the team's favourites")
        owner = None if team else seat_id
        f = phrase_favorites_table.c
        mine = f.seat_id.is_(None) if owner is None else f.seat_id == owner
        conn.execute(delete(PhraseFavorite).where(mine, f.slot == slot))
        if phrase_id is not None:
            conn.execute(delete(PhraseFavorite).where(mine, f.phrase_id == phrase_id))
            conn.execute(phrase_favorites_table.insert().values(seat_id=owner, slot=slot,
                                                                phrase_id=phrase_id))


def record_use(db: Engine, phrase_id: int, conversation_id: int, seat_id: int | None) -> int:
    """The phrase was picked in the chat; → how often now (its next pick escalates)."""
    with db.begin() as conn:
        conn.execute(phrase_uses_table.insert().values(
            phrase_id=phrase_id, conversation_id=conversation_id, seat_id=seat_id, at=now_ms()))
        u = phrase_uses_table.c
        return int(conn.execute(select(func.count()).where(
            u.phrase_id == phrase_id, u.conversation_id == conversation_id)).scalar() or 0)


# -- CSV and the default library --------------------------------------------------------------
def export_csv(db: Engine, seat_id: int | None, path: Path, *, team: bool | None = None) -> int:
    """The library as CSV (UTF-8 with a BOM, for Excel): team=True the team's, False the
    seat's own, None both. → phrases written."""
    rows = [r for r in library(db, seat_id) if team is None or r.team == team]
    path.write_text(format_csv(rows), encoding="utf-8-sig", newline="")
    return len(rows)


def _store_parsed(conn: Connection, seat_id: int | None, author: str, parsed: Sequence[CsvPhrase],
                  check: RedLineCheck | None) -> PhraseImportReport:
    shops = {name: sid for sid, name in conn.execute(select(Shop.id, Shop.name))}
    lead = _is_lead(conn, seat_id)
    platforms = team_platforms(conn) or ["common"]
    added = updated = 0
    skipped: list[tuple[int, str]] = []
    now = now_ms()
    for item in parsed:
        draft = item.draft
        shop_id = None
        if item.shop:
            shop_id = shops.get(item.shop)
            if shop_id is None:
                skipped.append((item.line, f"no shop named {item.shop!r}"))
                continue
        if draft.team and not lead:
            skipped.append((item.line, "only a team lead edits the team's library"))
            continue
        if not draft.team and seat_id is None:
            skipped.append((item.line, "not signed in as a seat"))
            continue
        if check is not None:
            hits = check(draft.text + "\n" + draft.title, platforms)
            if hits:
                skipped.append((item.line, f"red line: {hits[0].explain} “{hits[0].matched}”"))
                continue
        owner = None if draft.team else seat_id
        p = phrases_table.c
        same = conn.execute(select(p.id).where(
            p.seat_id.is_(None) if owner is None else p.seat_id == owner,
            p.shop_id.is_(None) if shop_id is None else p.shop_id == shop_id,
            p.stage == draft.stage, p.title == draft.title.strip())).scalar()
        values = {"shortcut": draft.shortcut.strip(), "text": draft.text.strip(),
                  "keys": pinyin_keys(draft.title.strip()), "updated_by": author, "updated_at": now}
        if same is None:
            same = conn.execute(phrases_table.insert().values(
                seat_id=owner, shop_id=shop_id, stage=draft.stage, title=draft.title.strip(),
                position=item.line, **values)).inserted_primary_key[0]  # type: ignore[index]
            added += 1
        else:
            conn.execute(update(Phrase).where(Phrase.id == same).values(**values))
            updated += 1
        if item.slot is not None:
            f = phrase_favorites_table.c
            mine = f.seat_id.is_(None) if owner is None else f.seat_id == owner
            conn.execute(delete(PhraseFavorite).where(mine, or_(f.slot == item.slot,
                                                                f.phrase_id == same)))
            conn.execute(phrase_favorites_table.insert().values(seat_id=owner, slot=item.slot,
                                                                phrase_id=same))
    return PhraseImportReport(len(parsed), added, updated, tuple(skipped))


def import_csv(db: Engine, seat_id: int | None, author: str, path: Path,
               check: RedLineCheck) -> PhraseImportReport:
    """Add the file's phrases (same owner, shop, stage and title: replace the text). Only
    adds and updates; rows that cannot be used are listed by line number."""
    parsed, bad = parse_csv(read_text(path.read_bytes()))
    with db.begin() as conn:
        report = _store_parsed(conn, seat_id, author, parsed, check)
    skipped = tuple(sorted(bad + list(report.skipped)))
    return PhraseImportReport(report.rows + len(bad), report.added, report.updated, skipped)


def seed_defaults(db: Engine, path: Path | None = None) -> int:
    """A new store gets the default team library (resources/phrases/default.csv) once;
    deleting phrases later never brings them back. Safe when several apps start at once
    on one PostgreSQL: the marker row decides. → phrases added."""
    t = team_settings_table.c
    with db.connect() as conn:
        if conn.execute(select(t.key).where(t.key == SEEDED_KEY)).scalar() is not None:
            return 0  # the usual start: no file read, no pinyin
    library_rows = default_library(path)
    added = 0
    with db.begin() as conn:
        inserted = conn.execute(insert_ignore(conn, team_settings_table, ["key"])
                                .values(key=SEEDED_KEY, value_json="true")).rowcount
        if not inserted:
            return 0
        now = now_ms()
        for item in library_rows:
            if not item.draft.team:
                continue
            draft = item.draft
            pid = conn.execute(phrases_table.insert().values(
                seat_id=None, shop_id=None, stage=draft.stage, title=draft.title.strip(),
                shortcut=draft.shortcut.strip(), text=draft.text.strip(),
                keys=pinyin_keys(draft.title.strip()), position=item.line,
                updated_by="SeatDesk", updated_at=now)).inserted_primary_key[0]  # type: ignore[index]
            if item.slot is not None:
                conn.execute(phrase_favorites_table.insert().values(seat_id=None, slot=item.slot,
                                                                    phrase_id=pid))
            added += 1
    return added

