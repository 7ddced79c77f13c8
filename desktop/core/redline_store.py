"""Platform red lines in the store: the team's rule edits, the rulebook that checks
replies against them, sending with an explicit override, and the override log.

Edits live in the store rather than in a file of the data dir: in team mode one
lead's edit reaches every seat (a change notice with `red_lines` tells each app to
drop its compiled rules), and the override log sits beside the messages it explains.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, delete, select

from . import outbox
from .clock import now_ms
from .models import (
    Conversation,
    RedLineRuleEdit,
    Seat,
    Shop,
    red_line_overrides_table,
    red_line_rules_table,
)
from .redlines import Checker, RedLineRefused, RuleSet, effective_rules, load_sets, rule_problem, unaccepted
from .sql import upsert
from .views import ChangeNotice, RedLineHit, RedLineOverrideRow, RedLineRule, SeatRole


class Rulebook:
    """Each platform's rules in force, compiled once and kept until the team edits them
    (invalidate). Safe to use from the UI thread and the engine thread at once."""

    def __init__(self, db: Engine, sets: dict[str, RuleSet] | None = None) -> None:
        self._db = db
        self._sets = sets
        self._lock = threading.Lock()
        self._edits: list[RedLineRule] | None = None
        self._checkers: dict[str, Checker] = {}

    def sets(self) -> dict[str, RuleSet]:
        if self._sets is None:
            self._sets = load_sets()
        return self._sets

    def invalidate(self) -> None:
        with self._lock:
            self._edits = None
            self._checkers = {}

    def edits(self) -> list[RedLineRule]:
        with self._lock:
            if self._edits is None:
                self._edits = rule_edits(self._db)
            return list(self._edits)

    def rules(self, platform: str) -> list[RedLineRule]:
        """The platform's rules, disabled ones included (for the editor)."""
        return effective_rules(platform, self.sets(), self.edits())

    def checker(self, platform: str) -> Checker:
        checker = self._checkers.get(platform)
        if checker is None:
            checker = Checker(self.rules(platform))
            with self._lock:
                self._checkers[platform] = checker
        return checker

    def check(self, text: str, platforms: Iterable[str]) -> list[RedLineHit]:
        """Hits of every given platform's rules (the same span and rule once)."""
        seen: set[tuple[int, int, str]] = set()
        hits = []
        for platform in dict.fromkeys(platforms):
            for hit in self.checker(platform).check(text):
                if (hit.start, hit.end, hit.rule) not in seen:
                    seen.add((hit.start, hit.end, hit.rule))
                    hits.append(hit)
        hits.sort(key=lambda h: (h.start, -h.end, h.rule))
        return hits


# -- the team's edits ---------------------------------------------------------------------------
def _rule_of(row: Any) -> RedLineRule:
    return RedLineRule(row.key, row.platform, row.category, row.kind, row.pattern, row.explain,
                       tuple(a for a in row.allow.splitlines() if a.strip()), row.enabled,
                       "edited", row.updated_by, row.updated_at)


def rule_edits(db: Engine) -> list[RedLineRule]:
    with db.connect() as conn:
        rows = conn.execute(select(red_line_rules_table).order_by(red_line_rules_table.c.id))
        return [_rule_of(r) for r in rows]


def _require_lead(conn: Connection, seat_id: int | None) -> None:
    role = None if seat_id is None else conn.execute(
        select(Seat.role).where(Seat.id == seat_id)).scalar()
    if role != SeatRole.LEAD.value:
        raise PermissionError("only a team lead changes the team's rules")


def save_rule(db: Engine, rule: RedLineRule, seat_id: int | None, author: str) -> ChangeNotice:
    """Keep the team's version of a rule (a shipped key: edits or switches it off)."""
    problem = rule_problem(rule)
    if problem:
        raise ValueError(problem)
    with db.begin() as conn:
        _require_lead(conn, seat_id)
        conn.execute(upsert(conn, red_line_rules_table, ["platform", "key"]), [{
            "platform": rule.platform, "key": rule.key.strip(), "category": rule.category,
            "kind": rule.kind, "pattern": rule.pattern, "explain": rule.explain,
            "allow": "\n".join(a.strip() for a in rule.allow if a.strip()),
            "enabled": rule.enabled, "updated_by": author, "updated_at": now_ms()}])
    return ChangeNotice(red_lines=True)


def reset_rule(db: Engine, platform: str, key: str, seat_id: int | None) -> ChangeNotice:
    """Drop the team's version: a shipped rule is back as shipped, an added one is gone."""
    with db.begin() as conn:
        _require_lead(conn, seat_id)
        conn.execute(delete(RedLineRuleEdit).where(RedLineRuleEdit.platform == platform,
                                                   RedLineRuleEdit.key == key))
    return ChangeNotice(red_lines=True)


# -- overrides ------------------------------------------------------------------------------------
def log_override(conn: Connection, *, kind: str, seat_id: int | None, seat_name: str,
                 hits: Sequence[RedLineHit], text: str, conversation_id: int | None = None,
                 platform: str = "", ref_id: int | None = None, at: int | None = None) -> int:
    """One line of the override log: who, when, which rules, the text."""
    rules = list(dict.fromkeys(h.rule for h in hits))
    detail = [{"rule": h.rule, "platform": h.platform, "category": h.category, "matched": h.matched}
              for h in hits]
    return int(conn.execute(red_line_overrides_table.insert().values(
        at=now_ms() if at is None else at, kind=kind, seat_id=seat_id, seat_name=seat_name,
        conversation_id=conversation_id, platform=platform, rules=",".join(rules),
        hits_json=json.dumps(detail, ensure_ascii=False), text=text, ref_id=ref_id,
    )).inserted_primary_key[0])  # type: ignore[index]


def conversation_platform(conn: Connection, conversation_id: int) -> str:
    platform = conn.execute(select(Shop.platform).join(Conversation, Conversation.shop_id == Shop.id)
                            .where(Conversation.id == conversation_id)).scalar()
    if platform is None:
        raise LookupError(f"no conversation {conversation_id}")
    return str(platform)


def send_checked(db: Engine, book: Rulebook, conversation_id: int, text: str, author: str,
                 seat_id: int | None, accepted: Iterable[str] | None = None) -> int:
    """Queue the reply unless it crosses a red line the agent has not explicitly
    accepted (RedLineRefused with those hits). Accepted hits are logged in the same
    transaction as the message, so an override is never sent unlogged. → message id."""
    with db.begin() as conn:
        platform = conversation_platform(conn, conversation_id)
        hits = book.check(text, [platform])
        refused = unaccepted(hits, accepted or ())
        if refused:
            raise RedLineRefused(refused)
        msg_id, _outbox_id = outbox.queue_send_in(conn, conversation_id, text, author, seat_id)
        if hits:
            log_override(conn, kind="send", seat_id=seat_id, seat_name=author, hits=hits, text=text,
                         conversation_id=conversation_id, platform=platform, ref_id=msg_id)
    return msg_id


def overrides(db: Engine, limit: int = 200, conversation_id: int | None = None) -> list[RedLineOverrideRow]:
    """The override log, newest first."""
    t = red_line_overrides_table.c
    query = select(red_line_overrides_table).order_by(t.at.desc(), t.id.desc()).limit(limit)
    if conversation_id is not None:
        query = query.where(t.conversation_id == conversation_id)
    with db.connect() as conn:
        rows = conn.execute(query).all()
    out = []
    for r in rows:
        detail = json.loads(r.hits_json or "[]")
        out.append(RedLineOverrideRow(
            r.id, r.at, r.kind, r.seat_id, r.seat_name, r.conversation_id, r.platform,
            tuple(k for k in r.rules.split(",") if k), tuple(str(d.get("matched", "")) for d in detail),
            r.text, r.ref_id))
    return out
