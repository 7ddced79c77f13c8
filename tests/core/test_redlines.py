"""Platform red lines: the shipped sets and their inheritance, the check (table-driven, with
the false positives it must not raise), the team's edits, and sending with an override."""

from __future__ import annotations

import json

import pytest
from fakes import msg
from sqlalchemy import func, select
from test_ingest import shop  # noqa: F401 - fixture

from desktop.core import queries, redline_store, redlines
from desktop.core.ingest import Ingestor
from desktop.core.models import Message, OutboxItem, RedLineOverride
from desktop.core.seats import save_seat
from desktop.core.views import InboxFilter, RedLineRule, SeatProfile, SeatRole

SETS = redlines.load_sets()


def check(platform: str, text: str) -> list[str]:
    return [h.rule for h in redlines.Checker(redlines.effective_rules(platform, SETS)).check(text)]


def test_every_platform_has_a_set_and_the_sandbox_flavours_inherit_theirs():
    assert set(SETS) >= {"common", "taobao", "pinduoduo", "douyin", "jd", "shopify", "woocommerce",
                         "sandbox-tb", "sandbox-dy"}
    assert redlines.chain("sandbox-tb", SETS) == ["common", "taobao", "sandbox-tb"]
    assert redlines.chain("sandbox-dy", SETS) == ["common", "douyin", "sandbox-dy"]
    assert redlines.chain("some-plugin", SETS) == ["common"]  # a platform without its own set
    assert redlines.chain("shopify", SETS) == ["shopify"]  # an own-site shop: no marketplace rules
    for name, rule_set in SETS.items():
        for rule in rule_set.rules:
            assert rule.explain and redlines.rule_problem(rule) is None, (name, rule.key)


@pytest.mark.parametrize("platform, text, rules", [
    ("taobao", "亲，加我微信 abc_12345 发您实拍图", {"wechat-add", "wechat-id"}),
    ("taobao", "vx：shop888", {"wechat-id"}),
    ("taobao", "ｖｘ：ａｂｃ１２３４５", {"wechat-id"}),  # full-width evasion
    ("taobao", "有问题找威信客服", {"wechat-variants"}),
    ("pinduoduo", "加我qq 12345678", {"qq-add", "qq-id"}),
    ("jd", "电话 138-1234-5678 随时打", {"phone-mobile"}),
    ("jd", "打 1 3 8 1 2 3 4 5 6 7 8", {"phone-mobile"}),
    ("douyin", "我手机一三八一二三四五六七八", {"number-in-words"}),
    ("douyin", "座机 0571-88886666", {"phone-landline"}),
    ("taobao", "去 https://abc.xyz/buy 下单", {"link"}),
    ("taobao", "邮箱 ab@qq.com", {"email"}),
    ("taobao", "关注我们的公众号领券", {"social-accounts"}),
    ("pinduoduo", "去淘宝买更便宜", {"other-platforms"}),
    ("taobao", "私下交易可以便宜20", {"pay-outside"}),
    ("taobao", "直接转账给我就行", {"transfer-to-me"}),
    ("taobao", "扫我的收款码", {"pay-code"}),
    ("jd", "这款销量第一，全网最低价", {"absolute-first", "absolute-words"}),
    ("jd", "这是最好的面料", {"absolute-first"}),
    ("pinduoduo", "五星好评晒图返现5元", {"review-cashback"}),
    ("taobao", "发票要加税点哦", {"refuse-invoice"}),
    ("sandbox-tb", "我们不提供发票", {"refuse-invoice"}),  # inherited from taobao
    ("douyin", "私信我微信", {"private-message"}),
    ("shopify", "Please pay by bank transfer", {"pay-outside"}),
    ("woocommerce", "We accept USDT", {"crypto-payment"}),
])
def test_the_check_stops_what_the_platform_punishes(platform, text, rules):
    assert rules <= set(check(platform, text)), check(platform, text)


@pytest.mark.parametrize("platform, text", [
    ("taobao", "亲，第一时间为您发货"),
    ("taobao", "您最好先拍下，再备注颜色"),
    ("taobao", "可以用微信支付吗？淘宝只支持支付宝哦"),
    ("taobao", "订单号 3000000000007919 已发货，运单号 SF1234567890123"),
    ("taobao", "商品链接 https://item.taobao.com/item.htm?id=1"),  # the platform's own link
    ("jd", "京东的链接 https://item.jd.com/100.html"),
    ("taobao", "单价 12.50 元，共 3 件，合计 37.50"),
    ("taobao", "满意的话给个好评鼓励一下我们哦"),
    ("taobao", "VIP 会员有 95 折"),
    ("shopify", "Add me on WeChat: abc_12345"),  # an own-site shop has no such rule
])
def test_everyday_replies_pass(platform, text):
    assert check(platform, text) == []


def test_spans_point_into_what_the_agent_typed_even_after_folding():
    text = "亲，ＶＸ：ａｂｃ１２３４５，或者 13812345678"
    hits = redlines.Checker(redlines.effective_rules("taobao", SETS)).check(text)
    assert [text[h.start:h.end] for h in hits] == [h.matched for h in hits]
    assert {h.matched for h in hits} == {"ＶＸ：ａｂｃ１２３４５", "13812345678"}
    assert all(h.explain and h.category for h in hits)
    spans = redlines.merge_spans(hits)
    assert spans == sorted(spans) and len(spans) == 2


def test_broken_rules_are_refused_and_a_broken_shipped_file_is_an_error(tmp_path):
    bad = RedLineRule("x", "common", "off_platform", "regex", "(unclosed", "…")
    assert "regular expression" in redlines.rule_problem(bad)
    assert redlines.rule_problem(RedLineRule("x", "common", "nope", "words", "a", "")) .startswith("unknown")
    assert redlines.rule_problem(RedLineRule("x", "common", "other", "regex", "a*", "")) is not None
    assert redlines.rule_problem(RedLineRule("x", "common", "other", "words", "\n|", "")) == "no words"
    (tmp_path / "common.json").write_text(json.dumps({"platform": "common", "rules": [
        {"id": "x", "category": "other", "pattern": "(", "explain": "?"}]}), "utf-8")
    with pytest.raises(ValueError, match="rule x"):
        redlines.load_sets(tmp_path)


# -- the store ------------------------------------------------------------------------------------
@pytest.fixture
def chat(db, shop):  # noqa: F811
    """A chat in shop 1 (platform "fake": the common set), a lead and an agent."""
    lead = save_seat(db, SeatProfile("lead", "组长", SeatRole.LEAD))
    agent = save_seat(db, SeatProfile("wang", "小王"))
    Ingestor(db).ingest_messages(1, "fake", [msg(1, conv="a", buyer="b1")])
    cid = queries.conversation_ids(db, InboxFilter())[0]
    return {"id": cid, "lead": lead, "agent": agent, "book": redline_store.Rulebook(db, SETS)}


def count(db, model) -> int:
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_reply_with_a_wechat_id_is_not_stored_until_overridden_and_then_logged(db, chat):
    text = "亲，加我微信 shop_8888 看实拍"
    with pytest.raises(redlines.RedLineRefused) as refused:
        redline_store.send_checked(db, chat["book"], chat["id"], text, "小王", chat["agent"])
    assert {h.rule for h in refused.value.hits} == {"wechat-add", "wechat-id"}
    assert count(db, Message) == 1 and count(db, OutboxItem) == 0  # only the buyer's message
    # accepting one rule is not accepting the other
    with pytest.raises(redlines.RedLineRefused) as still:
        redline_store.send_checked(db, chat["book"], chat["id"], text, "小王", chat["agent"],
                                   ["wechat-id"])
    assert [h.rule for h in still.value.hits] == ["wechat-add"]
    msg_id = redline_store.send_checked(db, chat["book"], chat["id"], text, "小王", chat["agent"],
                                        ["wechat-id", "wechat-add"])
    assert count(db, OutboxItem) == 1
    [row] = redline_store.overrides(db)
    assert (row.kind, row.seat_id, row.seat_name, row.conversation_id, row.platform, row.ref_id,
            row.text) == ("send", chat["agent"], "小王", chat["id"], "fake", msg_id, text)
    assert set(row.rules) == {"wechat-add", "wechat-id"} and "微信 shop_8888" in row.matched


def test_a_clean_reply_is_sent_and_logs_nothing(db, chat):
    redline_store.send_checked(db, chat["book"], chat["id"], "亲，在的", "小王", chat["agent"])
    assert count(db, OutboxItem) == 1 and count(db, RedLineOverride) == 0


def test_the_team_edits_a_rule_switches_one_off_adds_one_and_resets(db, chat):
    book = chat["book"]
    phone = next(r for r in book.rules("fake") if r.key == "phone-mobile")
    with pytest.raises(PermissionError):
        redline_store.save_rule(db, phone, chat["agent"], "小王")
    redline_store.save_rule(db, RedLineRule(**{**_fields(phone), "enabled": False}), chat["lead"], "组长")
    redline_store.save_rule(db, RedLineRule("competitor", "common", "other", "words", "隔壁家\n某某店",
                                            "不要提竞品"), chat["lead"], "组长")
    assert "phone-mobile" in [h.rule for h in book.check("13812345678", ["fake"])]  # cached
    book.invalidate()
    assert book.check("13812345678 隔壁家", ["fake"])[0].rule == "competitor"
    rules = {r.key: r for r in book.rules("fake")}
    assert (rules["phone-mobile"].enabled, rules["phone-mobile"].origin) == (False, "edited")
    assert (rules["competitor"].origin, rules["competitor"].updated_by) == ("added", "组长")
    with pytest.raises(ValueError):
        redline_store.save_rule(db, RedLineRule("bad", "common", "other", "regex", "(", ""),
                                chat["lead"], "组长")
    redline_store.reset_rule(db, "common", "phone-mobile", chat["lead"])
    redline_store.reset_rule(db, "common", "competitor", chat["lead"])
    book.invalidate()
    assert [h.rule for h in book.check("13812345678 隔壁家", ["fake"])] == ["phone-mobile"]


def _fields(rule: RedLineRule) -> dict:
    return {f: getattr(rule, f) for f in rule.__slots__}


def test_an_edit_of_taobaos_set_reaches_the_sandbox_flavour_that_inherits_it(db, chat):
    redline_store.save_rule(db, RedLineRule("brand", "taobao", "other", "words", "山寨", "仿品"),
                            chat["lead"], "组长")
    book = chat["book"]
    book.invalidate()
    assert [h.rule for h in book.check("不是山寨", ["sandbox-tb"])] == ["brand"]
    assert book.check("不是山寨", ["sandbox-dy"]) == []
