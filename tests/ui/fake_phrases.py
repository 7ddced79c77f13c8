"""FakeDesk's quick replies and red lines, like desktop/core/phrasebook.py and redline_store.py.

The pure parts are the real ones (desktop.core.phrases: variables, CSV, checks;
desktop.core.redlines: the shipped sets and the checker), so the UI meets the real
rules. Rules of the store that the fake keeps: in a chat, one phrase per stage and
title (the shop's own beats the all-shops one, then the seat's own beats the team's);
favourites are the seat's own over the team's; the team's library is a lead's;
a red-line hit is refused unless accepted, and an accepted one is logged.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import replace

from desktop.core import phrases, redlines
from desktop.core.views import (
    ChangeNotice,
    PhraseDraft,
    PhraseImportReport,
    PhraseRow,
    RedLineHit,
    RedLineOverrideRow,
    RedLineRule,
)


def _done(value: object = None) -> Future:
    f: Future = Future()
    f.set_result(value)
    return f


def _failed(exc: Exception) -> Future:
    f: Future = Future()
    f.set_exception(exc)
    return f


_SETS = redlines.load_sets()


class FakePhrasesMixin:
    def _init_phrases(self) -> None:
        self.phrase_rows: dict[int, PhraseRow] = {}
        self.phrase_owner: dict[int, int | None] = {}  # phrase id → seat id (None: the team's)
        self.phrase_uses: dict[tuple[int, int], int] = {}  # (phrase id, conversation id) → picks
        self.team_slots: dict[int, int] = {}  # slot → phrase id
        self.my_slots: dict[int, int] = {}
        self.phrase_calls: list[tuple] = []
        self.override_log: list[RedLineOverrideRow] = []
        self.rule_edits: dict[tuple[str, str], RedLineRule] = {}
        self._next_phrase = 1

    # -- building ---------------------------------------------------------------------------
    def add_phrase(self, title: str, text: str, stage: str = "greeting", shortcut: str = "", *,
                   team: bool = True, shop_id: int | None = None, slot: int | None = None) -> PhraseRow:
        pid, self._next_phrase = self._next_phrase, self._next_phrase + 1
        shop = self.shop_rows.get(shop_id) if shop_id is not None else None
        row = PhraseRow(pid, stage, title, text, shortcut, team, shop_id, shop.name if shop else "",
                        phrases.pinyin_keys(title), pid, "组长", 0)
        self.phrase_rows[pid] = row
        self.phrase_owner[pid] = None if team else (self.seat_id or 0)
        if slot is not None:
            (self.team_slots if team else self.my_slots)[slot] = pid
        return row

    def load_default_phrases(self) -> None:
        for item in phrases.default_library():
            self.add_phrase(item.draft.title, item.draft.text, item.draft.stage, item.draft.shortcut,
                            slot=item.slot)

    # -- reads -------------------------------------------------------------------------------
    def _slot_map(self) -> dict[int, int]:
        return {**self.team_slots, **self.my_slots}

    def _mine(self) -> list[PhraseRow]:
        return [r for pid, r in self.phrase_rows.items()
                if self.phrase_owner[pid] is None or self.phrase_owner[pid] == (self.seat_id or 0)]

    def phrases(self, conversation_id: int | None = None) -> list[PhraseRow]:
        self.phrase_calls.append(("phrases", conversation_id))
        slots = self._slot_map()
        if conversation_id is None:
            rows = [replace(r, slot=next((s for s, p in sorted(slots.items()) if p == r.id), None))
                    for r in self._mine()]
            return sorted(rows, key=phrases.library_order)
        shop_id = self.convs[conversation_id].shop_id
        best: dict[tuple[str, str], PhraseRow] = {}
        for r in self._mine():
            if r.shop_id is not None and r.shop_id != shop_id:
                continue
            rank = (r.shop_id is not None, not r.team)
            held = best.get((r.stage, r.title))
            if held is None or rank > (held.shop_id is not None, not held.team):
                best[(r.stage, r.title)] = r
        slot_of = {}
        for slot, pid in sorted(slots.items()):
            named = self.phrase_rows.get(pid)
            if named is not None:
                slot_of.setdefault((named.stage, named.title), slot)
        rows = [replace(r, slot=slot_of.get((r.stage, r.title)),
                        uses=self.phrase_uses.get((r.id, conversation_id), 0)) for r in best.values()]
        return sorted(rows, key=phrases.library_order)

    def phrase_values(self, conversation_id: int) -> dict[str, str]:
        conv = self.conversation_rows([conversation_id]).get(conversation_id)
        orders = self.orders_for_conversation(conversation_id)
        return phrases.context_values(conv, orders[0] if orders else None, self.seat_name)

    # -- writes ------------------------------------------------------------------------------
    def _platforms_for(self, shop_id: int | None) -> list[str]:
        if shop_id is not None:
            return [self.shop_rows[shop_id].platform]
        return sorted({s.platform for s in self.shop_rows.values()}) or ["common"]

    def save_phrase(self, draft: PhraseDraft, phrase_id: int | None = None, *,
                    allow_red_lines: bool = False) -> Future:
        self.phrase_calls.append(("save", draft, phrase_id, allow_red_lines))
        problems = phrases.check_draft(draft)
        if problems:
            return _failed(phrases.PhraseError("; ".join(problems)))
        if draft.team and not self.is_lead():
            return _failed(phrases.PhraseError("only a team lead edits the team's library"))
        hits = self.red_line_hits(draft.text + "\n" + draft.title, self._platforms_for(draft.shop_id))
        if hits and not allow_red_lines:
            return _failed(redlines.RedLineRefused(hits))
        shop = self.shop_rows.get(draft.shop_id) if draft.shop_id is not None else None
        if phrase_id is None:
            row = self.add_phrase(draft.title.strip(), draft.text.strip(), draft.stage,
                                  draft.shortcut.strip(), team=draft.team, shop_id=draft.shop_id)
            phrase_id = row.id
        else:
            old = self.phrase_rows[phrase_id]
            self.phrase_rows[phrase_id] = replace(
                old, stage=draft.stage, title=draft.title.strip(), text=draft.text.strip(),
                shortcut=draft.shortcut.strip(), team=draft.team, shop_id=draft.shop_id,
                shop_name=shop.name if shop else "", keys=phrases.pinyin_keys(draft.title.strip()))
            self.phrase_owner[phrase_id] = None if draft.team else (self.seat_id or 0)
        if hits:
            self._log_override("phrase", hits, draft.text, None, "", phrase_id)
        self.emit(ChangeNotice(phrases=True))
        return _done(phrase_id)

    def delete_phrase(self, phrase_id: int) -> Future:
        self.phrase_calls.append(("delete", phrase_id))
        self.phrase_rows.pop(phrase_id, None)
        for slots in (self.team_slots, self.my_slots):
            for slot in [s for s, p in slots.items() if p == phrase_id]:
                del slots[slot]
        self.emit(ChangeNotice(phrases=True))
        return _done()

    def set_favorite_phrase(self, slot: int, phrase_id: int | None, *, team: bool = False) -> Future:
        self.phrase_calls.append(("favorite", slot, phrase_id, team))
        slots = self.team_slots if team else self.my_slots
        for s in [s for s, p in slots.items() if p == phrase_id or s == slot]:
            del slots[s]
        if phrase_id is not None:
            slots[slot] = phrase_id
        self.emit(ChangeNotice(phrases=True))
        return _done()

    def record_phrase_use(self, phrase_id: int, conversation_id: int) -> Future:
        key = (phrase_id, conversation_id)
        self.phrase_uses[key] = self.phrase_uses.get(key, 0) + 1
        return _done(self.phrase_uses[key])

    def export_phrases_csv(self, path: str, team: bool | None = None) -> Future:
        rows = [r for r in self.phrases() if team is None or r.team == team]
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            fh.write(phrases.format_csv(rows))
        return _done(len(rows))

    def import_phrases_csv(self, path: str) -> Future:
        with open(path, "rb") as fh:
            parsed, skipped = phrases.parse_csv(phrases.read_text(fh.read()))
        for item in parsed:
            self.add_phrase(item.draft.title, item.draft.text, item.draft.stage, item.draft.shortcut,
                            team=item.draft.team, slot=item.slot)
        self.emit(ChangeNotice(phrases=True))
        return _done(PhraseImportReport(len(parsed) + len(skipped), len(parsed), 0, tuple(skipped)))

    # -- red lines ---------------------------------------------------------------------------
    def red_line_hits(self, text: str, platforms: Sequence[str]) -> list[RedLineHit]:
        hits: dict[tuple[int, int, str], RedLineHit] = {}
        for platform in dict.fromkeys(platforms):
            for hit in redlines.Checker(self.red_line_rules(platform)).check(text):
                hits.setdefault((hit.start, hit.end, hit.rule), hit)
        return sorted(hits.values(), key=lambda h: (h.start, -h.end, h.rule))

    def red_line_sets(self) -> list[tuple[str, str]]:
        return sorted(((p, s.name) for p, s in _SETS.items()), key=lambda ps: (ps[0] != "common", ps[0]))

    def red_line_rules(self, platform: str) -> list[RedLineRule]:
        return redlines.effective_rules(platform, _SETS, self.rule_edits.values())

    def save_red_line_rule(self, rule: RedLineRule) -> Future:
        self.phrase_calls.append(("save_rule", rule))
        if not self.is_lead():
            return _failed(PermissionError("only a team lead changes the team's rules"))
        problem = redlines.rule_problem(rule)
        if problem:
            return _failed(ValueError(problem))
        self.rule_edits[(rule.platform, rule.key)] = replace(rule, updated_by=self.seat_name)
        notice = ChangeNotice(red_lines=True)
        self.emit(notice)
        return _done(notice)

    def reset_red_line_rule(self, platform: str, key: str) -> Future:
        self.rule_edits.pop((platform, key), None)
        notice = ChangeNotice(red_lines=True)
        self.emit(notice)
        return _done(notice)

    def red_line_overrides(self, limit: int = 200) -> list[RedLineOverrideRow]:
        return list(reversed(self.override_log))[:limit]

    def _log_override(self, kind: str, hits: Sequence[RedLineHit], text: str,
                      conversation_id: int | None, platform: str, ref_id: int | None) -> None:
        self.override_log.append(RedLineOverrideRow(
            len(self.override_log) + 1, int(time.time() * 1000), kind, self.seat_id, self.seat_name,
            conversation_id, platform, tuple(dict.fromkeys(h.rule for h in hits)),
            tuple(h.matched for h in hits), text, ref_id))

    def send_overriding(self, conversation_id: int, text: str, rules: Sequence[str]) -> Future:
        platform = self.convs[conversation_id].platform
        hits = self.red_line_hits(text, [platform])
        refused = redlines.unaccepted(hits, rules)
        if refused:
            return _failed(redlines.RedLineRefused(refused))
        future = self.send_message(conversation_id, text)
        if hits and future.exception() is None:
            self._log_override("send", hits, text, conversation_id, platform, future.result())
        return future
