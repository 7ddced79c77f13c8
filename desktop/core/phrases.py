"""Quick replies (快捷短语), the pure part: variables and their values, pinyin search keys,
the picker's fuzzy search, the CSV format and the default library.

Nothing here touches the store (that is phrasebook.py), so the UI's picker can search
on its own thread without a query per keystroke. Follows feature-anchors rows 10–13
(phrases, a short code in the reply box, team vs personal sets, order variables).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .resources import resources_dir
from .views import ConversationRow, OrderRow, PhraseDraft, PhraseRow, PhraseStage

# (Chinese name, English alias, what fills it). Either name works in a phrase.
VARIABLES: tuple[tuple[str, str, str], ...] = (
    ("买家", "buyer", "the buyer's nick"),
    ("店铺", "shop", "the shop's name"),
    ("客服", "agent", "the signed-in seat's name"),
    ("平台", "platform", "the platform's name"),
    ("订单号", "order", "the buyer's latest order in this shop"),
    ("金额", "amount", "that order's total"),
    ("商品", "item", "that order's first item"),
    ("快递", "courier", "that order's courier"),
    ("运单号", "waybill", "that order's waybill number"),
    ("地址", "address", "that order's (masked) address"),
)
_CANONICAL = {alias: name for name, alias, _help in VARIABLES} | {n: n for n, _a, _h in VARIABLES}

# {name}: a name is a few characters without braces or spaces.
VARIABLE = re.compile(r"\{([^{}\s]{1,16})\}")

# Chinese stage names: the CSV column, and search by stage (/议价).
STAGE_NAMES: dict[str, str] = {
    PhraseStage.GREETING.value: "欢迎",
    PhraseStage.PRODUCT.value: "商品咨询",
    PhraseStage.BARGAIN.value: "议价",
    PhraseStage.PAYMENT.value: "支付",
    PhraseStage.LOGISTICS.value: "物流",
    PhraseStage.FAREWELL_SALE.value: "成交欢送",
    PhraseStage.FAREWELL_NO_SALE.value: "未成交欢送",
    PhraseStage.DUNNING.value: "催付",
    PhraseStage.AFTERSALE.value: "售后",
    PhraseStage.OTHER.value: "其他",
}
STAGE_ORDER = {stage.value: i for i, stage in enumerate(PhraseStage)}
FAVORITE_SLOTS = range(1, 10)  # Ctrl+1 … Ctrl+9
MAX_TITLE = 100
MAX_SHORTCUT = 32


class PhraseError(ValueError):
    """A phrase that cannot be saved as it is (empty, unknown variables, no right to)."""


# -- variables ---------------------------------------------------------------------------------
def unknown_variables(text: str) -> list[str]:
    """Names in braces that no variable answers to, in order of appearance: flagged on save."""
    seen: list[str] = []
    for match in VARIABLE.finditer(text):
        name = match.group(1)
        if name not in _CANONICAL and name not in seen:
            seen.append(name)
    return seen


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def context_values(conv: ConversationRow | None, order: OrderRow | None,
                   seat_name: str) -> dict[str, str]:
    """What each variable means in this chat: the conversation's row, the buyer's latest
    order in that shop, the signed-in seat. A value the chat has not got is ""."""
    values = {name: "" for name, _alias, _help in VARIABLES}
    values["客服"] = seat_name
    if conv is not None:
        values.update({"买家": conv.buyer_nick, "店铺": conv.shop_name, "平台": conv.platform_name})
    if order is not None:
        values.update({
            "订单号": order.platform_order_id, "金额": _money(order.total),
            "商品": order.items[0].title if order.items else "", "快递": order.courier,
            "运单号": order.waybill, "地址": order.receiver_masked,
        })
    return values


def render(text: str, values: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:
    """The text with its variables filled in → (text, names left unfilled). A variable
    without a value stays as "{订单号}", for the agent to see and type over."""
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name = _CANONICAL.get(match.group(1))
        if name is None:
            return match.group(0)
        value = values.get(name, "")
        if not value:
            if match.group(0) not in missing:
                missing.append(match.group(0))
            return match.group(0)
        return value
    return VARIABLE.sub(fill, text), tuple(missing)


def check_draft(draft: PhraseDraft) -> list[str]:
    """What is wrong with a draft, as short English reasons ("" list = fine)."""
    problems = []
    if draft.stage not in STAGE_ORDER:
        problems.append(f"unknown stage {draft.stage!r}")
    if not draft.title.strip():
        problems.append("the title is empty")
    elif len(draft.title.strip()) > MAX_TITLE:
        problems.append(f"the title is longer than {MAX_TITLE} characters")
    if len(draft.shortcut.strip()) > MAX_SHORTCUT or any(c.isspace() for c in draft.shortcut.strip()):
        problems.append("the shortcut must be one word")
    if not draft.text.strip():
        problems.append("the text is empty")
    unknown = unknown_variables(draft.text)
    if unknown:
        problems.append("unknown variables: " + ", ".join("{" + n + "}" for n in unknown))
    return problems


# -- search ---------------------------------------------------------------------------------------
def pinyin_keys(title: str) -> str:
    """"initials full" of a title: 欢迎光临 → "hygl huanyingguanglin". Letters and digits
    pass through lowercased; other characters are dropped. Computed when a phrase is
    saved (pypinyin's tables load in ~0.1 s: never on the UI thread per keystroke)."""
    from pypinyin import Style, lazy_pinyin

    kept = "".join(ch for ch in title if ch.isalnum())
    full = lazy_pinyin(kept, errors="default")
    initials = lazy_pinyin(kept, style=Style.FIRST_LETTER, errors="default")
    return f"{''.join(initials).lower()} {''.join(full).lower()}"


_STAGE_KEYS: dict[str, str] = {}


def _stage_keys(stage: str) -> str:
    if stage not in _STAGE_KEYS:
        name = STAGE_NAMES.get(stage, stage)
        _STAGE_KEYS[stage] = f"{name} {stage} {pinyin_keys(name)}"
    return _STAGE_KEYS[stage]


def _subsequence(query: str, text: str) -> bool:
    it = iter(text)
    return all(ch in it for ch in query)


def score(query: str, row: PhraseRow) -> int:
    """How well `query` (lowercased) names the phrase; 0 = not at all. A shortcut beats a
    title, the title's start beats its middle, pinyin initials count like the title."""
    best = 0
    shortcut = row.shortcut.lower()
    if shortcut:
        if shortcut == query:
            return 1000
        if shortcut.startswith(query):
            best = 900
    title = row.title.lower()
    initials, _, full = row.keys.partition(" ")
    if title.startswith(query):
        best = max(best, 800)
    elif query in title:
        best = max(best, 700 - min(title.index(query), 50))
    if initials.startswith(query):
        best = max(best, 760)
    elif query in initials:
        best = max(best, 600)
    if full.startswith(query):
        best = max(best, 650)
    elif query in full:
        best = max(best, 500)
    if best:
        return best
    if query in _stage_keys(row.stage):
        return 350
    if initials and _subsequence(query, initials):
        return 300
    if query in row.text.lower():
        return 200
    if _subsequence(query, title):
        return 150
    return 0


def library_order(row: PhraseRow) -> tuple[int, int, str, int]:
    return (STAGE_ORDER.get(row.stage, len(STAGE_ORDER)), row.position, row.title, row.id)


def search(query: str, rows: Sequence[PhraseRow], limit: int | None = None) -> list[PhraseRow]:
    """The picker's list: every phrase in workflow order for an empty query, else the
    matching ones best first (favourites, then library order, break ties)."""
    q = query.strip().lower()
    if not q:
        found = sorted(rows, key=library_order)
    else:
        scored = [(score(q, r), r) for r in rows]
        found = [r for s, r in sorted(
            ((s, r) for s, r in scored if s),
            key=lambda sr: (-sr[0], sr[1].slot is None, library_order(sr[1])))]
    return found if limit is None else found[:limit]


# -- CSV ------------------------------------------------------------------------------------------
CSV_COLUMNS = ("scope", "shop", "stage", "title", "shortcut", "text", "slot")
_HEADER_ALIASES = {
    "scope": "scope", "范围": "scope", "库": "scope",
    "shop": "shop", "店铺": "shop",
    "stage": "stage", "阶段": "stage", "分类": "stage",
    "title": "title", "标题": "title",
    "shortcut": "shortcut", "快捷码": "shortcut", "快捷键": "shortcut", "短码": "shortcut",
    "text": "text", "内容": "text", "话术": "text", "回复": "text",
    "slot": "slot", "收藏": "slot", "收藏位": "slot",
}
_TEAM_WORDS = {"team", "团队", "公共", "共享"}
_PERSONAL_WORDS = {"personal", "个人", "我的", "mine"}
_STAGE_BY_NAME = {v: k for k, v in STAGE_NAMES.items()} | {k: k for k in STAGE_NAMES}


@dataclass(frozen=True, slots=True)
class CsvPhrase:
    """One parsed row of a phrase CSV."""

    line: int
    draft: PhraseDraft
    shop: str  # the shop's name as written ("" = every shop)
    slot: int | None


def read_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030: what Chinese Excel saves as CSV."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def parse_csv(text: str) -> tuple[list[CsvPhrase], list[tuple[int, str]]]:
    """Rows of a phrase CSV (English or Chinese headers) → (phrases, (line, why) skipped).
    Checks each draft (stage, title, text, variables); shops are matched by the caller."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return [], [(1, "the file is empty")]
    columns = [_HEADER_ALIASES.get(h.strip().lower(), _HEADER_ALIASES.get(h.strip(), "")) for h in header]
    missing = [c for c in ("title", "text") if c not in columns]
    if missing:
        return [], [(1, "missing columns: " + ", ".join(missing))]
    parsed: list[CsvPhrase] = []
    skipped: list[tuple[int, str]] = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        row = {col: cells[i].strip() if i < len(cells) else "" for i, col in enumerate(columns) if col}
        scope = row.get("scope", "").lower() or "team"
        if scope not in _TEAM_WORDS and scope not in _PERSONAL_WORDS:
            skipped.append((line, f"unknown scope {row.get('scope')!r}"))
            continue
        stage = _STAGE_BY_NAME.get(row.get("stage", "") or PhraseStage.OTHER.value)
        if stage is None:
            skipped.append((line, f"unknown stage {row.get('stage')!r}"))
            continue
        slot_text = row.get("slot", "")
        slot = int(slot_text) if slot_text.isdigit() and int(slot_text) in FAVORITE_SLOTS else None
        if slot_text and slot is None:
            skipped.append((line, f"slot must be 1–9, not {slot_text!r}"))
            continue
        draft = PhraseDraft(stage, row.get("title", ""), row.get("text", "").replace("\r\n", "\n"),
                            row.get("shortcut", ""), team=scope in _TEAM_WORDS)
        problems = check_draft(draft)
        if problems:
            skipped.append((line, "; ".join(problems)))
            continue
        parsed.append(CsvPhrase(line, draft, row.get("shop", ""), slot))
    return parsed, skipped


def format_csv(rows: Iterable[PhraseRow]) -> str:
    """The phrases as CSV (English header; stages and scopes in Chinese, as the default
    library is written)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(["团队" if r.team else "个人", r.shop_name, STAGE_NAMES.get(r.stage, r.stage),
                         r.title, r.shortcut, r.text, r.slot or ""])
    return out.getvalue()


def default_library(path: Path | None = None) -> list[CsvPhrase]:
    """The library a new install starts with: resources/phrases/default.csv."""
    path = path or resources_dir() / "phrases" / "default.csv"
    parsed, skipped = parse_csv(read_text(path.read_bytes()))
    if skipped:
        raise ValueError(f"{path.name}: bad rows {skipped}")
    return parsed
