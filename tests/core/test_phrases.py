"""Quick replies: variables, pinyin search, CSV, the default library; the team's and each
seat's library in the store with shop overrides, favourites and escalating answers."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from fakes import msg
from sqlalchemy import delete, func, select
from test_ingest import shop  # noqa: F401 - fixture

from desktop.core import phrasebook, phrases, queries, redlines
from desktop.core.ingest import Ingestor
from desktop.core.models import Phrase, RedLineOverride, Shop
from desktop.core.redline_store import Rulebook
from desktop.core.registry import Registry
from desktop.core.seats import save_seat
from desktop.core.views import (
    ConversationRow,
    InboxFilter,
    OrderItemRow,
    OrderRow,
    PhraseDraft,
    PhraseRow,
    PhraseStage,
    SeatProfile,
    SeatRole,
)

STAGES = [s.value for s in PhraseStage]


def row(pid: int, title: str, stage: str = "greeting", shortcut: str = "", text: str = "你好",
        slot: int | None = None, position: int = 0) -> PhraseRow:
    return PhraseRow(pid, stage, title, text, shortcut, True, None, "", phrases.pinyin_keys(title),
                     position, "", 0, slot)


# -- pure -----------------------------------------------------------------------------------------
def test_unknown_variables_are_named_once_in_order():
    text = "亲 {买家}，订单 {订单号} 由 {快递 } 发出，{优惠} {buyer} {优惠} {{x}}"
    assert phrases.unknown_variables(text) == ["优惠", "x"]
    assert phrases.unknown_variables("{买家}{店铺}{客服}{订单号}{快递}{金额}{运单号}{地址}{商品}{平台}") == []


def test_render_fills_what_the_chat_knows_and_leaves_the_rest_visible():
    conv = ConversationRow(7, 1, "棉麻小铺", "#000", "taobao", "淘宝", "买家甲", "", 0, None, 0,
                           "open", (1, 0, 7))
    order = OrderRow(1, 1, "3000123456789", "paid", "", Decimal("99.8"), "CNY", 0, None, None,
                     "浙江省****", "", None, "none", "", "中通", "",
                     (OrderItemRow("纯棉T恤", 2, Decimal("49.90")),))
    values = phrases.context_values(conv, order, "小王")
    text, missing = phrases.render("{买家}您好，{shop}的{客服}：订单{订单号}共{金额}元（{商品}），"
                                   "{快递}单号{运单号}", values)
    assert text == "买家甲您好，棉麻小铺的小王：订单3000123456789共99.80元（纯棉T恤），中通单号{运单号}"
    assert missing == ("{运单号}",)
    # no order yet: order variables stay for the agent to fill
    text, missing = phrases.render("订单 {订单号}", phrases.context_values(conv, None, "小王"))
    assert (text, missing) == ("订单 {订单号}", ("{订单号}",))


def test_escalating_answers_split_on_a_dash_line():
    p = replace(row(1, "议价"), text="价格是公司定的\n---\n送您小礼品\n  ---  \n最后的诚意")
    assert p.answers == ("价格是公司定的", "送您小礼品", "最后的诚意")
    assert [replace(p, uses=n).next_answer for n in (0, 1, 2, 5)] == [0, 1, 2, 2]
    assert replace(p, text="一条---不是分隔").answers == ("一条---不是分隔",)


def test_pinyin_keys_give_initials_then_full_pinyin():
    assert phrases.pinyin_keys("欢迎光临") == "hygl huanyingguanglin"
    assert phrases.pinyin_keys("还价 OK!") == "hjok huanjiaok"  # 还 read as huán in 还价


@pytest.mark.parametrize("query, first", [
    ("cf", "催付"),  # shortcut, exact
    ("hy", "欢迎语"),  # shortcut beats the initials of 好评引导 (hpyd)
    ("fhsj", "发货时间"),  # pinyin initials
    ("fahuo", "发货时间"),  # full pinyin
    ("时间", "发货时间"),  # a Chinese substring
    ("议价", "议价"),  # a stage name
    ("礼品", "议价"),  # text
])
def test_search_ranks_shortcut_title_initials_stage_text(query, first):
    rows = [row(1, "欢迎语", shortcut="hy"), row(2, "好评引导", "farewell_sale"),
            row(3, "发货时间", "logistics"), row(4, "催付", "dunning", shortcut="cf"),
            row(5, "议价", "bargain", text="送您小礼品")]
    assert phrases.search(query, rows)[0].title == first


def test_empty_search_lists_the_library_in_workflow_order():
    rows = [row(1, "售后", "aftersale"), row(2, "欢迎", "greeting", position=2),
            row(3, "早安", "greeting", position=1), row(4, "砍价", "bargain")]
    assert [r.title for r in phrases.search("", rows)] == ["早安", "欢迎", "砍价", "售后"]
    assert phrases.search("zzzz", rows) == []


def test_csv_reads_chinese_headers_gbk_and_reports_bad_lines():
    text = ("范围,店铺,阶段,标题,快捷码,内容,收藏\n"
            "团队,,欢迎,欢迎语,hy,亲，欢迎 {买家},1\n"
            "个人,二店,议价,砍价,kj,\"不能便宜\n---\n送礼品\",\n"
            "团队,,没有这个阶段,x,,y,\n"
            "团队,,催付,催付,,{不存在},\n"
            "团队,,催付,催付2,,好的,12\n")
    parsed, skipped = phrases.parse_csv(phrases.read_text(text.encode("gb18030")))
    assert [(p.line, p.draft.title, p.draft.team, p.shop, p.slot) for p in parsed] == [
        (2, "欢迎语", True, "", 1), (5, "砍价", False, "二店", None)]
    assert parsed[1].draft.text == "不能便宜\n---\n送礼品"
    assert [line for line, _why in skipped] == [6, 7, 8]
    assert "unknown variables: {不存在}" in skipped[1][1]


def test_csv_round_trip():
    rows = [replace(row(1, "欢迎语", shortcut="hy", text="亲\n---\n在的", slot=3), team=False,
                    shop_name="二店", shop_id=2)]
    parsed, skipped = phrases.parse_csv(phrases.format_csv(rows))
    assert skipped == []
    assert parsed[0].draft == PhraseDraft("greeting", "欢迎语", "亲\n---\n在的", "hy", False)
    assert (parsed[0].shop, parsed[0].slot) == ("二店", 3)


def test_the_default_library_covers_the_workflow_and_crosses_no_red_line():
    library = phrases.default_library()
    assert {p.draft.stage for p in library} >= set(STAGES)
    bargain = [p for p in library if p.draft.stage == "bargain"]
    assert max(len(PhraseRow(0, "", "", p.draft.text, "", True, None, "", "", 0, "", 0).answers)
               for p in bargain) >= 3
    slots = [p.slot for p in library if p.slot is not None]
    assert sorted(slots) == list(range(1, 10))
    shortcuts = [p.draft.shortcut for p in library if p.draft.shortcut]
    assert len(shortcuts) == len(set(shortcuts))
    sets = redlines.load_sets()
    for platform in sets:
        checker = redlines.Checker(redlines.effective_rules(platform, sets))
        for p in library:
            assert checker.check(p.draft.text) == [], (platform, p.draft.title)


# -- the store ------------------------------------------------------------------------------------
@pytest.fixture
def team(db, shop):  # noqa: F811
    """A lead and an agent; shop 1 (platform "fake") and shop 2 (taobao); a chat in each."""
    with db.begin() as conn:
        conn.execute(Shop.__table__.insert().values(
            id=2, platform="taobao", platform_shop_id="s2", name="二店", color="#111",
            enabled=True, settings_json="{}", secret_ref="", health="connecting", health_detail=""))
    lead = save_seat(db, SeatProfile("lead", "组长", SeatRole.LEAD))
    agent = save_seat(db, SeatProfile("wang", "小王"))
    ing = Ingestor(db)
    ing.ingest_messages(1, "fake", [msg(1, conv="a", buyer="b1")])
    ing.ingest_messages(2, "taobao", [msg(2, conv="x", buyer="b2")])
    rows = queries.conversation_rows(db, Registry(), queries.conversation_ids(db, InboxFilter()))
    chats = {r.shop_id: r.id for r in rows.values()}
    return {"lead": lead, "agent": agent, "chat1": chats[1], "chat2": chats[2], "book": Rulebook(db)}


def save(db, team, seat, draft, phrase_id=None, **kw):
    return phrasebook.save_phrase(db, team[seat], seat, draft, phrase_id, team["book"].check, **kw)


def test_defaults_go_in_once_and_never_come_back(db, team):
    added = phrasebook.seed_defaults(db)
    assert added == len(phrases.default_library())
    assert phrasebook.seed_defaults(db) == 0
    library = phrasebook.library(db, team["agent"])
    assert all(r.team for r in library) and len(library) == added
    assert sorted(r.slot for r in library if r.slot) == list(range(1, 10))
    with db.begin() as conn:
        conn.execute(delete(Phrase))
    assert phrasebook.seed_defaults(db) == 0
    assert phrasebook.library(db, team["agent"]) == []


def test_only_a_lead_edits_the_team_library_and_nobody_another_seats_own(db, team):
    draft = PhraseDraft("greeting", "欢迎", "亲，欢迎光临 {店铺}", "hy", team=True)
    with pytest.raises(phrases.PhraseError, match="lead"):
        save(db, team, "agent", draft)
    pid = save(db, team, "lead", draft)
    mine = save(db, team, "agent", replace(draft, team=False, title="我的欢迎"))
    with pytest.raises(phrases.PhraseError, match="lead"):
        save(db, team, "agent", replace(draft, text="改了"), pid)
    with pytest.raises(phrases.PhraseError, match="another seat"):
        save(db, team, "lead", replace(draft, team=False, text="改了"), mine)
    assert {r.title for r in phrasebook.library(db, team["lead"])} == {"欢迎"}
    assert {r.title: r.team for r in phrasebook.library(db, team["agent"])} == {"欢迎": True, "我的欢迎": False}
    saved = next(r for r in phrasebook.library(db, team["lead"]) if r.id == pid)
    assert saved.keys == "hy huanying" and saved.updated_by == "lead"


def test_unknown_variables_are_refused_when_saving(db, team):
    with pytest.raises(phrases.PhraseError, match=r"\{优惠券\}"):
        save(db, team, "agent", PhraseDraft("payment", "领券", "亲，{优惠券} 记得领"))


def test_a_red_line_in_a_phrase_is_refused_unless_accepted_and_then_logged(db, team):
    draft = PhraseDraft("greeting", "加微信", "亲，加我微信 shop_8888 发您图片", team=False)
    with pytest.raises(redlines.RedLineRefused) as refused:
        save(db, team, "agent", draft)
    assert {h.rule for h in refused.value.hits} >= {"wechat-id", "wechat-add"}
    pid = save(db, team, "agent", draft, allow_red_lines=True)
    with db.connect() as conn:
        log = conn.execute(select(RedLineOverride.__table__)).one()
    assert (log.kind, log.seat_id, log.ref_id, log.conversation_id) == ("phrase", team["agent"], pid, None)
    assert "wechat-id" in log.rules.split(",") and log.text == draft.text


def test_a_phrase_meets_the_rules_of_the_platforms_it_can_be_sent_on(db, team):
    invoice = PhraseDraft("aftersale", "发票", "亲，发票需要加税点哦", team=False)
    with pytest.raises(redlines.RedLineRefused):  # every shop: the team sells on taobao too
        save(db, team, "agent", invoice)
    with pytest.raises(redlines.RedLineRefused):  # the taobao shop's own
        save(db, team, "agent", replace(invoice, shop_id=2))
    # shop 1's platform has only the common set, which has no invoice rule
    assert save(db, team, "agent", replace(invoice, shop_id=1))


def test_in_a_chat_the_shops_phrase_beats_the_general_one_and_mine_beats_the_teams(db, team):
    general = save(db, team, "lead", PhraseDraft("logistics", "发货", "今天发", team=True))
    phrasebook.set_favorite(db, team["lead"], 3, general, team=True)
    shop2 = save(db, team, "lead", PhraseDraft("logistics", "发货", "二店明天发", team=True, shop_id=2))
    mine = save(db, team, "agent", PhraseDraft("logistics", "发货", "马上发", team=False))
    in1 = phrasebook.library(db, team["agent"], team["chat1"])
    in2 = phrasebook.library(db, team["agent"], team["chat2"])
    assert [(r.id, r.slot) for r in in1] == [(mine, 3)]  # mine, in the team's slot of 发货
    assert [(r.id, r.slot) for r in in2] == [(shop2, 3)]  # the shop's facts win
    assert [r.id for r in phrasebook.library(db, team["lead"], team["chat1"])] == [general]
    assert {r.id for r in phrasebook.library(db, team["agent"])} == {general, shop2, mine}


def test_a_seats_favourites_lie_over_the_teams(db, team):
    a = save(db, team, "lead", PhraseDraft("greeting", "欢迎", "在的", team=True))
    b = save(db, team, "lead", PhraseDraft("greeting", "稍等", "稍等", team=True))
    phrasebook.set_favorite(db, team["lead"], 1, a, team=True)
    phrasebook.set_favorite(db, team["agent"], 1, b)
    phrasebook.set_favorite(db, team["agent"], 2, b)  # a phrase holds one slot per owner
    slots = {r.title: r.slot for r in phrasebook.library(db, team["agent"], team["chat1"])}
    assert slots == {"欢迎": 1, "稍等": 2}  # slot 1 went back to the team's pick
    assert {r.title: r.slot for r in phrasebook.library(db, team["lead"], team["chat1"])} == {
        "欢迎": 1, "稍等": None}
    with pytest.raises(phrases.PhraseError):
        phrasebook.set_favorite(db, team["agent"], 1, a, team=True)
    with pytest.raises(phrases.PhraseError):
        phrasebook.set_favorite(db, team["agent"], 10, a)


def test_picking_a_phrase_again_in_the_same_chat_offers_the_next_answer(db, team):
    pid = save(db, team, "lead", PhraseDraft("bargain", "议价", "公司定价\n---\n送小礼品\n---\n最后诚意",
                                             team=True))
    offered = []
    for _ in range(4):
        phrase = phrasebook.library(db, team["agent"], team["chat1"])[0]
        offered.append(phrase.answers[phrase.next_answer])
        phrasebook.record_use(db, pid, team["chat1"], team["agent"])
    assert offered == ["公司定价", "送小礼品", "最后诚意", "最后诚意"]
    assert phrasebook.library(db, team["agent"], team["chat2"])[0].uses == 0  # another chat


def test_deleting_a_phrase_takes_its_favourites_and_uses(db, team):
    pid = save(db, team, "agent", PhraseDraft("other", "x", "好的"))
    phrasebook.set_favorite(db, team["agent"], 4, pid)
    phrasebook.record_use(db, pid, team["chat1"], team["agent"])
    with pytest.raises(phrases.PhraseError):
        phrasebook.delete_phrase(db, team["lead"], pid)  # not the lead's own
    phrasebook.delete_phrase(db, team["agent"], pid)
    assert phrasebook.library(db, team["agent"]) == []


def test_csv_export_then_import_into_another_store(db, team, tmp_path):
    phrasebook.seed_defaults(db)
    save(db, team, "agent", PhraseDraft("other", "我的", "好的", "wd"))
    path = tmp_path / "phrases.csv"
    assert phrasebook.export_csv(db, team["agent"], path) == len(phrases.default_library()) + 1
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for Chinese
    with db.begin() as conn:
        conn.execute(delete(Phrase))
    report = phrasebook.import_csv(db, team["lead"], "组长", path, team["book"].check)
    assert report.added == len(phrases.default_library()) + 1 and report.skipped == ()
    again = phrasebook.import_csv(db, team["lead"], "组长", path, team["book"].check)
    assert (again.added, again.updated) == (0, len(phrases.default_library()) + 1)
    assert sorted(r.slot for r in phrasebook.library(db, team["lead"]) if r.slot) == list(range(1, 10))


def test_import_skips_team_rows_for_an_agent_unknown_shops_and_red_lines(db, team, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("scope,shop,stage,title,shortcut,text\n"
                    "团队,,欢迎,团队的,,你好\n"
                    "个人,不存在的店,欢迎,店的,,你好\n"
                    "个人,,欢迎,微信,,加我vx: abcdef1\n"
                    "个人,二店,欢迎,好的,,你好 {买家}\n", encoding="utf-8")
    report = phrasebook.import_csv(db, team["agent"], "小王", path, team["book"].check)
    assert report.added == 1 and [line for line, _ in report.skipped] == [2, 3, 4]
    assert "red line" in report.skipped[2][1]
    assert [(r.title, r.shop_name) for r in phrasebook.library(db, team["agent"])] == [("好的", "二店")]
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Phrase)).scalar() == 1
