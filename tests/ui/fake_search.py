"""FakeDesk's search, like desktop/core/search.py: every group newest first, snippets
from the same function, and a gate a test can hold the worker at."""

from __future__ import annotations

import threading

from desktop.core.search import normalize, snippet
from desktop.core.views import SearchGroup, SearchHit, SearchResults


class FakeSearchMixin:
    def _init_search(self) -> None:
        self.search_calls: list[str] = []  # queries, in the order the worker ran them
        self.search_threads: list[str] = []  # the thread each ran on
        self.search_gate: threading.Event | None = None  # set: a search waits until it is set
        self.search_error: Exception | None = None

    def search(self, query: str, limit: int = 50) -> SearchResults:
        self.search_calls.append(query)
        self.search_threads.append(threading.current_thread().name)
        if self.search_gate is not None:
            self.search_gate.wait(10)
        if self.search_error is not None:
            raise self.search_error
        q = normalize(query)
        if not q:
            return SearchResults(q)
        needle = q.casefold()
        groups: list[tuple[str, tuple[SearchHit, ...]]] = []
        more: set[str] = set()
        for group, hits in ((SearchGroup.MESSAGES, self._search_messages(needle, q)),
                            (SearchGroup.BUYERS, self._search_buyers(needle, q)),
                            (SearchGroup.ORDERS, self._search_orders(needle, q)),
                            (SearchGroup.REMARKS, self._search_remarks(needle, q))):
            hits.sort(key=lambda h: (h.at, h.id), reverse=True)
            if len(hits) > limit:
                more.add(group.value)
            if hits:
                groups.append((group.value, tuple(hits[:limit])))
        return SearchResults(q, tuple(groups), frozenset(more), 1.0)

    def _search_messages(self, needle: str, q: str) -> list[SearchHit]:
        with self._lock:
            rows = [(cid, m) for cid, ms in self.msgs.items() for m in ms]
        out = []
        for cid, m in rows:
            conv = self.convs.get(cid)
            if conv is None or needle not in m.text.casefold():
                continue
            out.append(SearchHit(SearchGroup.MESSAGES.value, m.id, conv.shop_id, conv.shop_name,
                                 conv.shop_color, conv.buyer_nick, snippet(m.text, q), m.sent_at,
                                 conversation_id=cid, message_id=m.id, direction=m.direction))
        return out

    def _search_buyers(self, needle: str, q: str) -> list[SearchHit]:
        with self._lock:
            convs = list(self.convs.values())
        return [SearchHit(SearchGroup.BUYERS.value, c.id, c.shop_id, c.shop_name, c.shop_color, "",
                          snippet(c.buyer_nick, q, len(c.buyer_nick) + 1), c.last_message_at,
                          conversation_id=c.id)
                for c in convs if needle in c.buyer_nick.casefold()]

    def _search_orders(self, needle: str, q: str) -> list[SearchHit]:
        return [SearchHit(SearchGroup.ORDERS.value, o.id, o.shop_id, o.shop_name, o.shop_color,
                          o.buyer_nick, snippet(o.platform_order_id, q, len(o.platform_order_id) + 1),
                          o.created_at, order_id=o.id)
                for o in self._all_orders() if needle in o.platform_order_id.casefold()]

    def _search_remarks(self, needle: str, q: str) -> list[SearchHit]:
        orders = {o.id: o for o in self._all_orders()}
        with self._lock:
            remarks = [r for rows in self.remark_rows.values() for r in rows]
        out = []
        for r in remarks:
            o = orders.get(r.order_id)
            if o is None or needle not in r.text.casefold():
                continue
            out.append(SearchHit(SearchGroup.REMARKS.value, r.id, o.shop_id, o.shop_name, o.shop_color,
                                 o.platform_order_id, ((f"{r.author}: ", False), *snippet(r.text, q)),
                                 r.created_at, order_id=o.id))
        return out
