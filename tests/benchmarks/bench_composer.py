"""What quick replies and red lines cost the composer per keystroke (GUI thread).

Red lines: the median µs of one check of a reply (20, 200 and 2,000 characters, clean
and with a WeChat id) against the sandbox-tb rules in force (common + taobao, ~20
compiled patterns) — the composer runs it after each pause in typing and once on send.
Baseline in the same run: one `str.find` of a single word over the same text (the least
any check could cost), and the naive way (compiling every pattern for each check).
Picker: the median ms of one search over libraries of 40, 400 and 4,000 phrases (a query
per typed character). Prints one JSON list (`--json` accepted); never passes or fails.
Targets: a check well under 1 ms; a search under 5 ms at 400 phrases.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def median_us(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e6)
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()

    from desktop.core import phrases, redlines
    from desktop.core.views import PhraseRow

    sets = redlines.load_sets()
    rules = redlines.effective_rules("sandbox-tb", sets)
    checker = redlines.Checker(rules)
    clean = "亲，今天16:00前付款当天发出，默认中通快递，七天无理由退换货哦～"
    results = []
    for size in (20, 200, 2000):
        for kind, tail in (("clean", ""), ("wechat", " 加我微信 shop_8888")):
            text = (clean * (size // len(clean) + 1))[:size - len(tail)] + tail
            hits = checker.check(text)

            def naive(text: str = text) -> None:
                for rule in redlines.Checker(rules).rules:  # compile every pattern again
                    re.compile(rule.pattern if rule.kind == "regex" else re.escape(rule.pattern))
                checker.check(text)

            results.append({
                "what": "red-line check", "chars": size, "text": kind, "rules": len(checker.rules),
                "hits": len(hits), "us": median_us(lambda t=text: checker.check(t), args.rounds),
                "baseline_find_us": median_us(lambda t=text: t.find("微信"), args.rounds),
                "naive_recompile_us": median_us(naive, max(20, args.rounds // 10)),
            })
    library = phrases.default_library()
    for count in (40, 400, 4000):
        rows = []
        for i in range(count):
            item = library[i % len(library)]
            title = f"{item.draft.title}{i // len(library) or ''}"
            rows.append(PhraseRow(i, item.draft.stage, title, item.draft.text, item.draft.shortcut, True,
                                  None, "", phrases.pinyin_keys(title), i, "", 0))
        for query in ("y", "yj", "发货", "qtwly"):
            results.append({"what": "picker search", "phrases": count, "query": query,
                            "ms": round(median_us(lambda q=query: phrases.search(q, rows),
                                                  max(20, args.rounds // 10)) / 1000, 3),
                            "matches": len(phrases.search(query, rows))})
    print(json.dumps(results, ensure_ascii=False, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
