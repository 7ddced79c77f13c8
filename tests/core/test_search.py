"""Search: one query over every shop's messages, buyers, order numbers and remarks,
on SQLite and PostgreSQL; 1–2 character Chinese queries included."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fakes import T0, msg, order
from sqlalchemy import text, update

from desktop.core import search
from desktop.core.ingest import Ingestor
from desktop.core.models import Buyer, Shop
from desktop.core.outbox import queue_remark, queue_send
from desktop.core.views import SearchGroup
from desktop.sdk import Direction


@pytest.fixture
def shops(db):
    with db.begin() as conn:
        for sid, name in ((1, "星河数码旗舰店"), (2, "暖阳女装店")):
            conn.execute(Shop.__table__.insert().values(
                id=sid, platform="fake", platform_shop_id=f"s{sid}", name=name, color="#123456",
                enabled=True, settings_json="{}", secret_ref="", health="connected",
                health_detail=""))
    return (1, 2)


def hits(db, query, group=SearchGroup.MESSAGES, limit=50):
    return list(search.search(db, query, limit).hits(group.value))


def texts(db, query, limit=50):
    return [h.text for h in hits(db, query, limit=limit)]


def at(i: int):
    return T0 + timedelta(seconds=i)


def store_chat(db, shops):
    ing = Ingestor(db)
    ing.ingest_messages(shops[0], "fake", [
        msg(1, text="你好，在吗"),
        msg(2, text="我要退款，东西坏了"),
        msg(3, conv="c2", buyer="b2", text="退款申请已经提交了"),
    ])
    ing.ingest_messages(shops[1], "fake", [
        msg(4, conv="c3", buyer="b3", text="退货退款怎么弄"),
        msg(5, conv="c3", buyer="b3", direction=Direction.OUT, text="亲，您的退款申请已同意"),
        msg(6, conv="c3", buyer="b3", text="好的谢谢"),
    ])


# -- the gram tokens -------------------------------------------------------------------------
def test_grams_are_the_characters_and_adjacent_pairs_of_each_run():
    assert set(search.grams("退款了")) - {" "} <= set("退款了")
    assert set(search.grams("退款了").split()) == {"退", "款", "了", "退款", "款了"}
    # whitespace, punctuation (Chinese too) and digits end a run
    assert set(search.grams("XL码, ok！好“的”")) - {" "} == set("xl码ok好的")
    assert set(search.grams("XL码, ok！好“的”").split()) == {"x", "l", "码", "xl", "l码", "o", "k", "ok",
                                                            "好", "的"}
    assert search.grams("订单号2601123456") == " ".join(search.grams("订单号").split())
    assert search.grams("") == ""


def test_only_short_queries_without_ascii_punctuation_are_gram_terms():
    assert search.gram_term("退款") == "退款"
    assert search.gram_term("XL") == "xl"
    assert search.gram_term("好") == "好"
    assert search.gram_term("退款申请") is None  # the trigram index answers
    assert search.gram_term("a.") is None and search.gram_term("%") is None
    assert search.gram_term("？") is None and search.gram_term("12") is None  # a LIKE scan


def test_like_wildcards_are_escaped():
    assert search.like_pattern("50%_off\\") == "%50\\%\\_off\\\\%"


def test_snippet_marks_the_match_and_keeps_raw_text():
    assert search.snippet("请问 <b>退款</b> 怎么\n弄", "退款") == (
        ("请问 <b>", False), ("退款", True), ("</b> 怎么 弄", False))
    long = "前" * 100 + "退款" + "后" * 100
    pieces = search.snippet(long, "退款")
    assert pieces[0][0].startswith("…") and pieces[1] == ("退款", True)
    assert pieces[2][0].endswith("…") and len("".join(p for p, _ in pieces)) < 120
    assert search.snippet("Hello World", "world")[1] == ("World", True)


# -- messages ----------------------------------------------------------------------------------
@pytest.mark.parametrize("query, expected", [
    ("退款", ["亲，您的退款申请已同意", "退货退款怎么弄", "退款申请已经提交了", "我要退款，东西坏了"]),
    ("退款申请", ["亲，您的退款申请已同意", "退款申请已经提交了"]),
    ("退", ["亲，您的退款申请已同意", "退货退款怎么弄", "退款申请已经提交了", "我要退款，东西坏了"]),
    ("谢", ["好的谢谢"]),
    ("在吗", ["你好，在吗"]),
])
def test_chinese_substrings_of_any_length_across_shops_newest_first(db, shops, query, expected):
    store_chat(db, shops)
    found = hits(db, query)
    assert [h.text for h in found] == expected
    assert {h.shop_name for h in found} <= {"星河数码旗舰店", "暖阳女装店"}
    assert [h.at for h in found] == sorted((h.at for h in found), reverse=True)
    for h in found:
        assert any(match and piece.lower() == query.lower() for piece, match in h.snippet)
        assert h.conversation_id is not None and h.message_id == h.id


def test_a_hit_says_which_chat_and_buyer(db, shops):
    store_chat(db, shops)
    [hit] = hits(db, "东西坏了")
    assert hit.title == "买家b1" and hit.shop_name == "星河数码旗舰店" and hit.direction == "in"
    with db.connect() as conn:
        cid = conn.execute(text("SELECT conversation_id FROM messages WHERE id = :i"),
                           {"i": hit.id}).scalar()
    assert hit.conversation_id == cid


def test_nothing_found_and_empty_query(db, shops):
    store_chat(db, shops)
    assert hits(db, "发票") == [] and hits(db, "票") == []
    assert len(search.search(db, "   ")) == 0


def test_short_queries_without_a_gram_are_scanned(db, shops):
    Ingestor(db).ingest_messages(shops[0], "fake", [
        msg(1, text="在吗？"), msg(2, text="订单号 2601123456"), msg(3, text="第12件")])
    assert texts(db, "吗？") == ["在吗？"]
    assert texts(db, "12") == ["第12件", "订单号 2601123456"]
    assert texts(db, "？") == ["在吗？"]


def test_latin_and_case_insensitive(db, shops):
    Ingestor(db).ingest_messages(shops[0], "fake", [
        msg(1, text="有XL码吗"), msg(2, text="Type-C 数据线"), msg(3, text="tb_8823 下单了")])
    assert texts(db, "xl") == ["有XL码吗"]
    assert texts(db, "x") == ["有XL码吗"]
    assert texts(db, "type-c") == ["Type-C 数据线"]


def test_wildcards_and_quotes_are_literal(db, shops):
    Ingestor(db).ingest_messages(shops[0], "fake", [
        msg(1, text="满100减50%"), msg(2, text="tb_8823"), msg(3, text="tbx8823"),
        msg(4, text='他说"好"'), msg(5, text="普通消息")])
    assert texts(db, "%") == ["满100减50%"]
    assert texts(db, "50%") == ["满100减50%"]
    assert texts(db, "b_8") == ["tb_8823"]  # "_" is not "any character"
    assert texts(db, "_") == ["tb_8823"]
    assert texts(db, '"好"') == ['他说"好"']


def test_limit_keeps_the_newest_and_says_there_are_more(db, shops):
    Ingestor(db).ingest_messages(shops[0], "fake", [msg(i, text=f"第{i}次退款") for i in range(1, 13)])
    for query in ("退", "退款", "次退款"):
        result = search.search(db, query, limit=5)
        assert [h.text for h in result.hits("messages")] == [f"第{i}次退款" for i in (12, 11, 10, 9, 8)]
        assert "messages" in result.more
    assert "messages" not in search.search(db, "退款", limit=12).more


def test_older_rows_come_from_the_index_past_the_recent_window(db, shops, monkeypatch):
    """PostgreSQL scans the newest RECENT_ROWS rows first, then asks the GIN index."""
    monkeypatch.setattr(search, "RECENT_ROWS", 2)
    Ingestor(db).ingest_messages(shops[0], "fake", [msg(i, text=f"第{i}条") for i in range(1, 7)]
                                 + [msg(7, text="退款了"), msg(8, text="在吗"), msg(9, text="好")])
    assert texts(db, "退") == ["退款了"]
    assert texts(db, "退款") == ["退款了"]
    assert texts(db, "条", limit=3) == ["第6条", "第5条", "第4条"]
    with db.begin() as conn:
        conn.execute(update(Buyer).where(Buyer.platform_buyer_id == "b1").values(note="老客"))
    Ingestor(db).ingest_messages(shops[0], "fake", [msg(20 + i, conv=f"x{i}", buyer=f"x{i}")
                                                    for i in range(5)])
    assert [h.title for h in hits(db, "老客", SearchGroup.BUYERS)] == ["买家b1"]


def test_our_own_sends_are_found_before_the_next_ingest_batch(db, shops):
    store_chat(db, shops)
    with db.connect() as conn:
        cid = conn.execute(text("SELECT id FROM conversations WHERE platform_conv_id = 'c1'")).scalar()
    queue_send(db, cid, "已登记发票信息", "小王")
    assert texts(db, "发票") == ["已登记发票信息"]  # not in the gram index yet: the tail scan
    assert texts(db, "票") == ["已登记发票信息"]
    Ingestor(db).ingest_messages(shops[0], "fake", [msg(9, text="发票收到了")])
    assert sorted(texts(db, "发票")) == ["发票收到了", "已登记发票信息"]
    if db.dialect.name == "sqlite":  # the batch took the send into the index
        with db.connect() as conn:
            upto = conn.execute(text("SELECT upto FROM messages_fts_state")).scalar()
            assert upto == conn.execute(text("SELECT max(id) FROM messages")).scalar()


def test_html_in_messages_is_returned_as_typed(db, shops):
    raw = "<b>加粗</b><img src=x onerror=alert(1)>这是什么？"
    Ingestor(db).ingest_messages(shops[0], "fake", [msg(1, text=raw)])
    assert texts(db, "加粗") == [raw]
    assert texts(db, "<img") == [raw]


# -- buyers, orders, remarks -------------------------------------------------------------------
def test_buyer_nicks_find_every_chat_of_the_buyer(db, shops):
    store_chat(db, shops)
    Ingestor(db).ingest_messages(shops[1], "fake", [msg(7, conv="c4", buyer="b1", text="又来了")])
    found = hits(db, "买家b1", SearchGroup.BUYERS)
    assert len(found) == 2 and {h.shop_id for h in found} == {1, 2}
    assert found[0].at >= found[1].at  # the latest chat first
    assert found[0].snippet[0] == ("买家b1", True)
    assert hits(db, "家b", SearchGroup.BUYERS)  # any substring
    with db.begin() as conn:
        conn.execute(update(Buyer).where(Buyer.platform_buyer_id == "b2").values(note="爱砍价的老顾客"))
    [by_note] = hits(db, "砍价", SearchGroup.BUYERS)
    assert by_note.title == "买家b2" and ("砍价", True) in by_note.snippet


def test_an_eight_digit_fragment_finds_orders_across_shops(db, shops):
    ing = Ingestor(db)
    ing.ingest_orders(shops[0], "fake", [order("3900001000012345678"), order("3900001000099990000")])
    ing.ingest_orders(shops[1], "fake", [order("6900020000012345678", buyer="b2")])
    found = hits(db, "12345678", SearchGroup.ORDERS)
    assert sorted(h.title for h in found) == ["买家b1", "买家b2"]
    assert {h.shop_id for h in found} == {1, 2}
    assert all(h.order_id == h.id for h in found)
    assert all(("12345678", True) in h.snippet for h in found)
    assert hits(db, "99990000", SearchGroup.ORDERS)[0].snippet == (
        ("39000010000", False), ("99990000", True))
    assert hits(db, "退款", SearchGroup.ORDERS) == []  # not an order-number fragment


def test_waybill_numbers_find_their_order(db, shops):
    from dataclasses import replace
    Ingestor(db).ingest_orders(shops[0], "fake", [
        replace(order("o1"), courier="中通快递", waybill="7300112233445")])
    [hit] = hits(db, "00112233", SearchGroup.ORDERS)
    assert ("00112233", True) in hit.snippet and "中通快递" in hit.text


def test_an_order_whose_waybill_changes_is_found_by_the_new_one_only(db, shops):
    from dataclasses import replace
    first = replace(order("o1"), waybill="SF1111222233")
    Ingestor(db).ingest_orders(shops[0], "fake", [first])
    Ingestor(db).ingest_orders(shops[0], "fake", [replace(first, waybill="SF9999888877",
                                                          updated_at=first.updated_at + timedelta(hours=1))])
    assert hits(db, "11112222", SearchGroup.ORDERS) == []
    assert len(hits(db, "99998888", SearchGroup.ORDERS)) == 1


def test_remarks_are_found_with_their_order(db, shops):
    Ingestor(db).ingest_orders(shops[1], "fake", [order("2601123456789")])
    with db.connect() as conn:
        oid = conn.execute(text("SELECT id FROM orders")).scalar()
    queue_remark(db, oid, "改发顺丰，运费已补", None, "小王")
    queue_remark(db, oid, "要开发票", None, "小李")
    [hit] = hits(db, "顺丰", SearchGroup.REMARKS)
    assert hit.order_id == oid and hit.title == "2601123456789" and hit.shop_id == 2
    assert hit.snippet[0] == ("小王: ", False) and ("顺丰", True) in hit.snippet
    assert [h.text for h in hits(db, "发", SearchGroup.REMARKS)] == ["小李: 要开发票",
                                                                   "小王: 改发顺丰，运费已补"]


def test_groups_come_in_a_fixed_order_and_only_when_they_hold_hits(db, shops):
    store_chat(db, shops)
    ing = Ingestor(db)
    ing.ingest_orders(shops[0], "fake", [order("2026120612345678")])
    result = search.search(db, "b1")  # a nick; no message, order or remark holds it
    assert [g for g, _ in result.groups] == ["buyers"]
    result = search.search(db, "12345678")
    assert [g for g, _ in result.groups] == ["orders"]
    assert result.elapsed_ms >= 0


# -- the indexes -------------------------------------------------------------------------------
def test_messages_stored_before_the_migration_are_searchable_after_it(tmp_path, request):
    """Upgrading a store with messages: 0004 fills the gram index from them."""
    from alembic import command

    from desktop.core.db import alembic_config, make_engine, sqlite_url

    for backend in ("sqlite", "postgresql"):
        url = sqlite_url(tmp_path) if backend == "sqlite" else request.getfixturevalue("pg_url")
        engine = make_engine(url)
        cfg = alembic_config(url)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0003")
            # the 0003 schema, not today's model: plain SQL
            conn.execute(text(
                "INSERT INTO shops (id, platform, platform_shop_id, name, color, enabled, settings_json,"
                " secret_ref, health, health_detail) VALUES (1, 'fake', 's1', '店', '#000', true, '{}',"
                " '', 'connected', '')"))
            conn.execute(text("INSERT INTO buyers (id, platform, platform_buyer_id, nick, note, note_by)"
                              " VALUES (1, 'fake', 'b1', '买家', '', '')"))
            conn.execute(text(
                "INSERT INTO conversations (id, shop_id, buyer_id, platform_conv_id, state,"
                " last_message_at, last_preview, last_direction, last_out_at, unread_count,"
                " assign_version, queue_group, transfer_note, transfer_by)"
                " VALUES (1, 1, 1, 'c1', 'open', 0, '', 'in', 0, 0, 0, '', '', '')"))
            conn.execute(text(
                "INSERT INTO messages (conversation_id, shop_id, platform_msg_id, direction, sender,"
                " kind, text, sent_at, state) VALUES (1, 1, 'm1', 'in', 'x', 'text', '申请退款', 1,"
                " 'received')"))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0004")
        for query in ("退", "退款", "申请退款"):
            assert [h.text for h in search.search(engine, query).hits("messages")] == ["申请退款"]
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0003")  # and back: nothing of the index is left
        with engine.begin() as conn:  # no trigger is left behind on the tables either
            conn.execute(text("INSERT INTO buyers (id, platform, platform_buyer_id, nick, note, note_by)"
                              " VALUES (2, 'fake', 'b2', '买家二', '', '')"))
            conn.execute(text("UPDATE buyers SET note = '新备注'"))
        engine.dispose()


def _plan(conn, sql, params):
    if conn.dialect.name == "sqlite":
        return " ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # tiny tables: ask whether it *can*
    return " ".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql, params))


def test_short_and_long_queries_are_served_by_an_index(db, shops):
    store_chat(db, shops)
    with db.begin() as conn:
        if db.dialect.name == "sqlite":
            short = _plan(conn, "SELECT rowid FROM messages_fts_grams WHERE messages_fts_grams"
                                " MATCH ? ORDER BY rowid DESC LIMIT 50", ('"退款"',))
            long = _plan(conn, "SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?"
                               " ORDER BY rowid DESC LIMIT 50", ('"退款申请"',))
            assert "VIRTUAL TABLE" in short and "VIRTUAL TABLE" in long
        else:
            conn.exec_driver_sql("SET LOCAL enable_indexscan = off")  # not the primary key
            short = _plan(conn, "SELECT id FROM messages WHERE seatdesk_grams(text) @> ARRAY['退款']"
                                " AND id <= %s ORDER BY id DESC LIMIT 50", (10**9,))
            nick2 = _plan(conn, "SELECT id FROM buyers WHERE seatdesk_grams(nick || ' ' || note)"
                                " @> ARRAY['买家'] AND id <= %s ORDER BY id DESC LIMIT 50", (10**9,))
            assert "ix_search_buyers_grams" in nick2
            long = _plan(conn, "SELECT id FROM messages WHERE text ILIKE %s ORDER BY id DESC"
                               " LIMIT 50", ("%退款申请%",))
            assert "ix_search_messages_grams" in short
            assert "ix_search_messages_trgm" in long
            nick = _plan(conn, "SELECT id FROM buyers WHERE nick ILIKE %s", ("%买家%",))
            assert "ix_search_buyers_nick" in nick
