"""A handover as text: Markdown or plain text with Chinese headings, items grouped by
kind, every link a readable reference (买家昵称 @店铺, 订单号, 售后单号) — teams paste it
into their IM group or print it (issue 6, "Export")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from .clocks import zone
from .views import HandoverItemKind, HandoverItemRow, HandoverRow, ItemState

HEADINGS = {
    HandoverItemKind.CHAT: "待回复会话",
    HandoverItemKind.FOLLOW_UP: "回访提醒",
    HandoverItemKind.UNPAID: "未付款订单（未催付）",
    HandoverItemKind.CASE: "售后处理中",
    HandoverItemKind.REMARK: "本班备注（订单未发货）",
    HandoverItemKind.TAGGED: "待跟进买家",
    HandoverItemKind.NOTE: "其他事项",
}
_MARKS = {  # (Markdown task box, plain text)
    ItemState.TODO: ("[ ]", "[ ]"),
    ItemState.DONE: ("[x]", "[√]"),
    ItemState.DROPPED: ("[x]", "[×]"),
}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _md(text: str) -> str:
    """Data as literal Markdown: a buyer's "<b>" or "*" stays what they typed."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _when(ms: int, tz_name: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return datetime.fromtimestamp(ms / 1000, zone(tz_name)).strftime(fmt)


def _line(item: HandoverItemRow, markdown: bool, tz_name: str) -> str:
    esc = _md if markdown else (lambda t: " ".join(t.split()))
    box = _MARKS[item.state][0 if markdown else 1]
    body = esc(item.title)
    if item.ref:
        body += f"（{esc(item.ref)}）"
    if markdown and item.state is ItemState.DROPPED:
        body = f"~~{body}~~"
    extra = []
    if item.carried_from is not None:
        extra.append("上次交接延续")
    if item.note:
        extra.append(f"备注：{esc(item.note)}")
    if item.state is not ItemState.TODO:
        verb = "已完成" if item.state is ItemState.DONE else "无需处理"
        who = f"{esc(item.done_by)} " if item.done_by else ""
        at = _when(item.done_at, tz_name, "%m-%d %H:%M") if item.done_at is not None else ""
        extra.append(f"{who}{at} {verb}".strip())
    tail = f" — {'；'.join(extra)}" if extra else ""
    return f"- {box} {body}{tail}" if markdown else f"{box} {body}{tail}"


def as_text(row: HandoverRow, *, markdown: bool = True, shift_names: Mapping[int, str],
            seat_names: Mapping[int, str], tz_name: str) -> str:
    esc = _md if markdown else (lambda t: " ".join(t.split()))
    when = _when(row.sent_at or row.created_at, tz_name)
    title = f"交接班 · {esc(row.author)} · {when}"
    meta: list[tuple[str, str]] = []
    outgoing = shift_names.get(row.shift_id, "") if row.shift_id is not None else ""
    incoming = shift_names.get(row.to_shift_id, "") if row.to_shift_id is not None else ""
    if outgoing or incoming:
        meta.append(("班次", f"{esc(outgoing) or '—'} → {esc(incoming) or '—'}"))
    to = ([esc(incoming)] if incoming else []) + [esc(seat_names.get(sid, f"#{sid}"))
                                                  for sid in sorted(row.to_seat_ids)]
    if to:
        meta.append(("交给", "、".join(to)))
    meta.append(("状态", f"已发送 {_when(row.sent_at, tz_name)}" if row.sent_at is not None
                 else "草稿"))
    todo = row.todo()
    meta.append(("事项", f"共 {len(row.items)} 项，待办 {todo} 项"))
    if row.acks:
        meta.append(("已确认", "、".join(f"{esc(a.seat_name)} {_when(a.at, tz_name, '%m-%d %H:%M')}"
                                         for a in row.acks)))
    lines: list[str] = [f"## {title}" if markdown else f"【{title}】", ""]
    lines += [f"- {k}：{v}" if markdown else f"{k}：{v}" for k, v in meta]
    if row.text.strip():
        lines.append("")
        lines += [(_md(line) if markdown else line.rstrip()) + ("  " if markdown else "")
                  for line in row.text.strip().splitlines()]
    for kind, heading in HEADINGS.items():
        items = [x for x in row.items if x.kind is kind]
        if not items:
            continue
        lines += ["", f"### {heading}（{len(items)}）" if markdown else f"【{heading}】（{len(items)}）"]
        lines += [_line(x, markdown, tz_name) for x in items]
    return "\n".join(line.rstrip() if not markdown else line for line in lines).rstrip() + "\n"
