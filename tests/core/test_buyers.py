"""Tags and groups: one catalogue, attached to the platform-wide buyer; CSV in and out."""

from __future__ import annotations

import pytest
from fakes import msg
from test_ingest import shop  # noqa: F401 - fixture

from desktop.core import buyers, queries
from desktop.core.ingest import Ingestor
from desktop.core.models import Shop
from desktop.core.registry import Registry
from desktop.core.views import InboxFilter, LabelKind

TAG, GROUP = LabelKind.TAG.value, LabelKind.GROUP.value


@pytest.fixture
def two_shops(db, shop):  # noqa: F811
    """Shop 1 and shop 2 on the same platform; buyer b1 chats in both, b2 only in 1."""
    with db.begin() as conn:
        conn.execute(Shop.__table__.insert().values(
            id=2, platform="fake", platform_shop_id="s2", name="二店", color="#111",
            enabled=True, settings_json="{}", secret_ref="", health="connecting", health_detail=""))
    ing = Ingestor(db)
    ing.ingest_messages(1, "fake", [msg(1, conv="a", buyer="b1"), msg(2, conv="b", buyer="b2")])
    ing.ingest_messages(2, "fake", [msg(3, conv="x", buyer="b1")])
    ids = queries.conversation_ids(db, InboxFilter())
    rows = queries.conversation_rows(db, Registry(), ids)
    return {(r.shop_id, r.buyer_nick): r for r in rows.values()}


def test_a_tag_set_in_one_shop_shows_in_the_other(db, two_shops):
    a = two_shops[(1, "买家b1")]
    buyers.add_labels(db, [a.buyer_id], TAG, ["VIP", "42码"], "小王")
    rows = queries.conversation_rows(db, Registry(), [c.id for c in two_shops.values()])
    other = rows[two_shops[(2, "买家b1")].id]
    assert [t.name for t in other.tags] == ["42码", "VIP"]
    assert rows[two_shops[(1, "买家b2")].id].tags == ()


def test_inbox_filters_by_tag_and_group(db, two_shops):
    b1, b2 = two_shops[(1, "买家b1")].buyer_id, two_shops[(1, "买家b2")].buyer_id
    buyers.add_labels(db, [b1, b2], TAG, ["砍价"], "小王")
    buyers.add_labels(db, [b2], GROUP, ["护肤线"], "小王")
    tag = next(r.id for r in buyers.labels(db, TAG) if r.name == "砍价")
    group = next(r.id for r in buyers.labels(db, GROUP))
    assert len(queries.conversation_ids(db, InboxFilter(tag_id=tag))) == 3
    in_group = queries.conversation_ids(db, InboxFilter(tag_id=tag, group_id=group))
    assert in_group == [two_shops[(1, "买家b2")].id]
    assert queries.count_conversations(db, InboxFilter(group_id=group)) == 1


def test_catalogue_counts_rename_merge_delete(db, two_shops):
    b1, b2 = two_shops[(1, "买家b1")].buyer_id, two_shops[(1, "买家b2")].buyer_id
    buyers.add_labels(db, [b1], TAG, ["vip"], "a")
    buyers.add_labels(db, [b1, b2], TAG, ["VIP"], "a")
    by_name = {r.name: r for r in buyers.labels(db, TAG)}
    assert by_name["VIP"].buyers == 2 and by_name["vip"].buyers == 1
    with pytest.raises(buyers.LabelError):
        buyers.rename_label(db, by_name["vip"].id, "VIP")
    buyers.merge_labels(db, by_name["vip"].id, by_name["VIP"].id)
    assert [(r.name, r.buyers) for r in buyers.labels(db, TAG)] == [("VIP", 2)]
    buyers.rename_label(db, by_name["VIP"].id, "  大客户 ")
    buyers.recolor_label(db, by_name["VIP"].id, "#123456")
    assert [(r.name, r.color) for r in buyers.labels(db, TAG)] == [("大客户", "#123456")]
    with pytest.raises(buyers.LabelError):
        buyers.merge_labels(db, by_name["VIP"].id, buyers.create_label(db, GROUP, "组"))
    buyers.delete_label(db, by_name["VIP"].id)
    assert buyers.labels(db, TAG) == []
    rows = queries.conversation_rows(db, Registry(), [c.id for c in two_shops.values()])
    assert all(r.tags == () for r in rows.values())


def test_names_are_cleaned_and_bounded(db):
    with pytest.raises(buyers.LabelError):
        buyers.create_label(db, TAG, "   ")
    with pytest.raises(buyers.LabelError):
        buyers.create_label(db, TAG, "长" * 33)
    label = buyers.create_label(db, TAG, " 过敏  肌 ")
    assert [r.name for r in buyers.labels(db)] == ["过敏 肌"]
    with pytest.raises(buyers.LabelError):
        buyers.create_label(db, TAG, "过敏 肌")
    assert label > 0


def test_profile_shows_tags_note_and_history_across_shops(db, two_shops):
    a = two_shops[(1, "买家b1")]
    buyers.add_labels(db, [a.buyer_id], GROUP, ["老客"], "小王")
    buyers.set_note(db, a.buyer_id, "<b>只收顺丰</b>", "小王")
    profile = queries.buyer_profile(db, Registry(), two_shops[(2, "买家b1")].id)
    assert profile is not None
    assert profile.shop_name == "二店" and profile.nick == "买家b1"
    assert [g.name for g in profile.groups] == ["老客"]
    assert profile.note == "<b>只收顺丰</b>" and profile.note_by == "小王"
    assert {h.shop_name for h in profile.history} == {"店", "二店"}
    assert all(h.messages == 1 for h in profile.history)


def test_csv_round_trip_in_excel_formats(db, two_shops, tmp_path):
    b1 = two_shops[(1, "买家b1")].buyer_id
    buyers.add_labels(db, [b1], TAG, ["VIP", "42码"], "a")
    buyers.add_labels(db, [b1], GROUP, ["老客"], "a")
    out = tmp_path / "tags.csv"
    assert buyers.export_csv(db, out) == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to show Chinese
    assert "fake,b1,买家b1,42码;VIP,老客" in raw.decode("utf-8-sig")

    # A sheet from another tool: Chinese headers, GBK, 、 and ， separators, a nick
    # instead of an id, a new buyer, and lines that cannot be placed.
    sheet = ("平台,买家ID,昵称,标签,分组\n"
             "fake,,买家b2,砍价、敏感肌,护肤线\n"
             "fake,b9,新客,首单，学生,\n"
             "fake,,没人叫这个,VIP,\n"
             ",b1,,VIP,\n"
             "fake,b1,,VIP;42码,\n").encode("gb18030")
    src = tmp_path / "from_excel.csv"
    src.write_bytes(sheet)
    report = buyers.import_csv(db, src, "导入")
    assert report.rows == 5 and report.buyers == 3
    assert [line for line, _ in report.skipped] == [4, 5]
    tags = {r.name: r.buyers for r in buyers.labels(db, TAG)}
    assert tags == {"42码": 1, "VIP": 1, "砍价": 1, "敏感肌": 1, "首单": 1, "学生": 1}
    assert report.labels_created == 5  # 砍价 敏感肌 护肤线 首单 学生


def test_csv_without_the_needed_columns_changes_nothing(db, tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text("name,tags\nx,VIP\n", "utf-8")
    with pytest.raises(buyers.LabelError):
        buyers.import_csv(db, src, "a")
    assert buyers.labels(db) == []
