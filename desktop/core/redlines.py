"""Platform red lines (平台红线), the pure part: the shipped rule sets, the team's edits laid
over them, and the check a reply goes through as the agent types and again on send.

A set is resources/redlines/<platform>.json; it inherits other sets (every marketplace
inherits `common`; the sandbox flavours inherit the platform they imitate) and a rule
with an inherited key replaces it. The team's edits (stored, see redline_store.py) are
laid over the shipped sets the same way. Matching runs on an NFKC-folded copy of the
text of the same length, so full-width evasions (ｖｘ１３８…) match and spans still
point into what the agent typed. Cheap: a few dozen precompiled patterns over a reply
of a few hundred characters (bench_redlines).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .resources import resources_dir
from .views import RedLineCategory, RedLineHit, RedLineRule

COMMON = "common"
KINDS = ("regex", "words")


class RedLineRefused(ValueError):
    """A reply (or phrase) that crosses red lines the agent has not explicitly accepted."""

    def __init__(self, hits: Sequence[RedLineHit]) -> None:
        self.hits = tuple(hits)
        first = self.hits[0]
        more = f" (+{len(self.hits) - 1})" if len(self.hits) > 1 else ""
        super().__init__(f"crosses a platform red line: {first.explain} “{first.matched}”{more}")


@dataclass(frozen=True, slots=True)
class RuleSet:
    platform: str
    name: str  # shown in the editor: 淘宝/天猫, 通用, …
    inherits: tuple[str, ...]
    rules: tuple[RedLineRule, ...]


def _rule(platform: str, raw: Mapping[str, object]) -> RedLineRule:
    kind = str(raw.get("kind", "regex"))
    pattern = raw.get("pattern", "")
    if kind == "words" and isinstance(pattern, list):
        pattern = "\n".join(str(w) for w in pattern)
    allow = raw.get("allow", ())
    return RedLineRule(
        key=str(raw["id"]), platform=platform, category=str(raw.get("category", "other")),
        kind=kind, pattern=str(pattern), explain=str(raw.get("explain", "")),
        allow=tuple(str(a) for a in allow) if isinstance(allow, list) else ())


def load_sets(folder: Path | None = None) -> dict[str, RuleSet]:
    """Every shipped set, by platform id. Raises ValueError on a broken file or rule:
    a shipped set that silently lost a rule would let replies through."""
    folder = folder or resources_dir() / "redlines"
    sets: dict[str, RuleSet] = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        platform = str(data["platform"])
        rules = tuple(_rule(platform, r) for r in data.get("rules", []))
        for rule in rules:
            problem = rule_problem(rule)
            if problem:
                raise ValueError(f"{path.name}: rule {rule.key}: {problem}")
        sets[platform] = RuleSet(platform, str(data.get("name", platform)),
                                 tuple(data.get("inherits", [])), rules)
    return sets


def chain(platform: str, sets: Mapping[str, RuleSet]) -> list[str]:
    """The sets a platform's rules come from, most general first: sandbox-tb →
    [common, taobao, sandbox-tb]. A platform without a set of its own gets `common`;
    a set that inherits nothing (an own-site shop: shopify) gets only its own."""
    order: list[str] = []

    def visit(name: str, depth: int) -> None:
        if name in order or depth > 8:
            return
        for parent in sets[name].inherits if name in sets else ():
            visit(parent, depth + 1)
        order.append(name)

    visit(platform if platform in sets else COMMON, 0)
    return order


def effective_rules(platform: str, sets: Mapping[str, RuleSet],
                    edits: Iterable[RedLineRule] = ()) -> list[RedLineRule]:
    """The platform's rules in force (disabled ones included, marked): each set of its
    chain in turn, shipped rules then the team's edits of that set, a key replacing the
    same key from before."""
    by_set: dict[str, list[RedLineRule]] = {}
    for edit in edits:
        by_set.setdefault(edit.platform, []).append(edit)
    rules: dict[str, RedLineRule] = {}
    for name in chain(platform, sets):
        shipped = sets[name].rules if name in sets else ()
        shipped_keys = {r.key for r in shipped}
        for rule in shipped:
            rules[rule.key] = rule
        for edit in by_set.get(name, ()):
            origin = "edited" if edit.key in shipped_keys or edit.key in rules else "added"
            rules[edit.key] = replace(edit, origin=origin)
    return list(rules.values())


def rule_problem(rule: RedLineRule) -> str | None:
    """Why a rule cannot be used ("" / None = it can)."""
    if not rule.key.strip():
        return "the rule has no id"
    if rule.kind not in KINDS:
        return f"kind must be one of {', '.join(KINDS)}"
    if rule.category not in {c.value for c in RedLineCategory}:
        return f"unknown category {rule.category!r}"
    if rule.kind == "words":
        if not _words(rule.pattern):
            return "no words"
        return None
    if not rule.pattern.strip():
        return "the pattern is empty"
    try:
        compiled = re.compile(rule.pattern)
    except re.error as exc:
        return f"not a valid regular expression: {exc}"
    if compiled.match(""):
        return "the pattern matches an empty text"
    return None


def _words(pattern: str) -> list[str]:
    return [w.strip() for w in re.split(r"[\n|]", pattern) if w.strip()]


def _compile(rule: RedLineRule) -> re.Pattern[str]:
    if rule.kind == "words":
        words = sorted((_fold(w) for w in _words(rule.pattern)), key=len, reverse=True)
        return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    return re.compile(rule.pattern, re.IGNORECASE)


# Full-width ASCII (ｖｘ１３８…) and the ideographic space to their plain forms: what NFKC
# does to them, as one translate table (one character to one, so spans keep their place).
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _fold(text: str) -> str:
    """The text with full-width evasions folded, the same length as the original."""
    return text.translate(_FOLD)


class Checker:
    """A platform's rules in force, compiled once: check(text) → the hits, in text order."""

    def __init__(self, rules: Iterable[RedLineRule]) -> None:
        self.rules = tuple(r for r in rules if r.enabled and not rule_problem(r))
        self._compiled = [(r, _compile(r), tuple(a.lower() for a in r.allow)) for r in self.rules]

    def check(self, text: str) -> list[RedLineHit]:
        if not text.strip():
            return []
        folded = _fold(text)
        hits = []
        for rule, pattern, allow in self._compiled:
            for match in pattern.finditer(folded):
                start, end = match.span()
                if end <= start:
                    continue
                if allow and any(a in match.group(0).lower() for a in allow):
                    continue
                hits.append(RedLineHit(start, end, rule.key, rule.platform, rule.category,
                                       rule.explain, text[start:end]))
        hits.sort(key=lambda h: (h.start, -h.end, h.rule))
        return hits


def merge_spans(hits: Iterable[RedLineHit]) -> list[tuple[int, int]]:
    """Overlapping hit spans joined: what the composer underlines."""
    spans: list[tuple[int, int]] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.end)):
        if spans and hit.start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], hit.end))
        else:
            spans.append((hit.start, hit.end))
    return spans


def unaccepted(hits: Iterable[RedLineHit], accepted: Iterable[str]) -> list[RedLineHit]:
    """The hits whose rule the agent has not explicitly overridden."""
    ok = set(accepted)
    return [h for h in hits if h.rule not in ok]
