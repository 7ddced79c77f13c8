"""Read queries: inbox order and filters."""

from __future__ import annotations

from fakes import msg
from test_ingest import shop  # noqa: F401 - fixture

from desktop.core import queries
from desktop.core.ingest import Ingestor
from desktop.core.registry import Registry
from desktop.core.views import InboxFilter, InboxState
from desktop.sdk import Direction


def test_inbox_order_is_sort_key_order_and_filters_work(db, shop):  # noqa: F811
    ing = Ingestor(db)
    ing.ingest_messages(shop, "fake", [msg(1, conv="a"), msg(2, conv="b"), msg(3, conv="c"),
                                       msg(4, conv="c", direction=Direction.OUT),
                                       msg(5, conv="d"), msg(6, conv="e", direction=Direction.OUT)])
    ids = queries.conversation_ids(db, InboxFilter())
    rows = queries.conversation_rows(db, Registry(), ids)
    assert ids == sorted(ids, key=lambda i: rows[i].sort_key)
    nicks = [rows[i].buyer_nick for i in ids]
    assert len(nicks) == 5
    waiting = queries.conversation_ids(db, InboxFilter(state=InboxState.WAITING))
    assert [rows[i].waiting_since is not None for i in waiting] == [True] * 3
    assert waiting == ids[:3]  # longest-waiting first: a, b, d
    assert queries.conversation_ids(db, InboxFilter(shop_ids=frozenset({99}))) == []
    assert queries.conversation_ids(db, InboxFilter(state=InboxState.CLOSED)) == []
