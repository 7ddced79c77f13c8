"""The buyer panel, tag chips on inbox rows, tag/group filters, bulk tagging, the catalogue."""

from __future__ import annotations

from fake_desk import FakeDesk
from PySide6.QtCore import Qt
from test_mainwindow import window

from desktop.core.views import InboxFilter, LabelKind
from desktop.ui.bridge import Bridge
from desktop.ui.buyer_panel import BuyerPanel
from desktop.ui.inbox_delegate import InboxDelegate
from desktop.ui.labels_dialog import BulkLabelDialog, LabelsDialog


def two_shop_desk(now_ms: int) -> FakeDesk:
    """买家 小橘子 chats in both 淘系 shops; 大海 only in the first; 抖音 is another platform."""
    desk = FakeDesk()
    desk.add_shop(1, "棉麻生活馆", "sandbox-tb", "沙箱·淘系", "#e4572e")
    desk.add_shop(2, "森系女装", "sandbox-tb", "沙箱·淘系", "#2e86de")
    desk.add_shop(3, "抖店", "sandbox-dy", "沙箱·抖店", "#17a589")
    desk.add_conversation(1, 1, "小橘子", "这件有XL吗", now_ms - 60_000, waiting_since=now_ms - 60_000)
    desk.add_conversation(2, 2, "小橘子", "上次买的很好", now_ms - 120_000)
    desk.add_conversation(3, 1, "大海", "发什么快递", now_ms - 30_000, waiting_since=now_ms - 30_000)
    desk.add_conversation(4, 3, "小橘子", "在吗", now_ms - 10_000)
    return desk


def test_a_tag_added_in_the_panel_shows_on_every_inbox_row_of_that_buyer(qtbot, now_ms):
    desk = two_shop_desk(now_ms)
    w = window(qtbot, desk)
    w.open_conversation(1)
    panel = w.buyer
    assert panel.nick.text() == "小橘子" and "棉麻生活馆" in panel.where.text()
    panel.tags.input.setText("42码")
    qtbot.keyClick(panel.tags.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.tags.names() == ["42码"], timeout=2000)
    w.inbox.model.flush()
    delegate: InboxDelegate = w.inbox.delegate
    rows = {cid: w.inbox.model.cached_row(cid) for cid in (1, 2, 3, 4)}
    qtbot.waitUntil(lambda: w.inbox.model.cached_row(2) is not None
                    and bool(w.inbox.model.cached_row(2).tags), timeout=2000)
    assert [n for n, _c, _g in delegate.row_texts(w.inbox.model.cached_row(1)).labels] == ["42码"]
    assert [n for n, _c, _g in delegate.row_texts(w.inbox.model.cached_row(2)).labels] == ["42码"]
    assert rows[3] is None or rows[3].tags == ()
    assert not w.inbox.model.cached_row(4).tags  # another platform: another buyer
    # the other shop's chat shows the same tag in its panel
    w.open_conversation(2)
    assert panel.tags.names() == ["42码"]
    assert {h.shop_name for h in panel.profile.history} == {"棉麻生活馆", "森系女装"}
    # one click on × removes it
    panel.tags.chips[0].remove.click()
    qtbot.waitUntil(lambda: panel.tags.names() == [], timeout=2000)


def test_filter_the_inbox_by_tag_and_group(qtbot, now_ms):
    desk = two_shop_desk(now_ms)
    desk.add_labels([desk.convs[1].buyer_id], "tag", ["VIP"])
    desk.add_labels([desk.convs[3].buyer_id], "group", ["护肤线"])
    w = window(qtbot, desk)
    combo = w.inbox.label_filter
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert texts == ["全部标签", "分组: 护肤线 (1)", "标签: VIP (1)"]
    combo.setCurrentIndex(2)
    assert sorted(w.inbox.model.id_at(i) for i in range(w.inbox.model.rowCount())) == [1, 2]
    combo.setCurrentIndex(1)
    assert [w.inbox.model.id_at(i) for i in range(w.inbox.model.rowCount())] == [3]
    qtbot.waitUntil(lambda: w.inbox.count_label.text() == "共 1 个会话", timeout=2000)  # after the paint


def test_bulk_tagging_from_a_multi_selection(qtbot, now_ms):
    desk = two_shop_desk(now_ms)
    w = window(qtbot, desk)
    view, model = w.inbox.view, w.inbox.model
    view.setCurrentIndex(model.index(0))
    sel = view.selectionModel()
    sel.select(model.index(1), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
    sel.select(model.index(2), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
    buyers = w.inbox.selected_buyer_ids()
    assert len(buyers) == 3  # 小橘子 (淘系), 大海, 小橘子 (抖音)
    dialog = BulkLabelDialog(desk, w.bridge, buyers, LabelKind.TAG.value, w)
    qtbot.addWidget(dialog)
    dialog.name.setEditText("双11老客")
    dialog.apply()
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=2000)
    assert desk.count_conversations(InboxFilter(tag_id=desk.labels("tag")[0].id)) == 4
    assert len(w.inbox.view.selectionModel().selectedRows()) == 3  # the selection survives


def test_note_saves_when_idle_and_never_loses_typing(qtbot, now_ms):
    desk = two_shop_desk(now_ms)
    bridge = Bridge()
    panel = BuyerPanel(desk, bridge)
    qtbot.addWidget(panel)
    panel.show_conversation(1)
    panel.note.setPlainText("<b>只发顺丰</b>")
    panel.show_conversation(3)  # switching saves first
    buyer = desk.convs[1].buyer_id
    assert desk.notes[buyer][0] == "<b>只发顺丰</b>"
    panel.show_conversation(2)  # same buyer, other shop
    assert panel.note.toPlainText() == "<b>只发顺丰</b>"
    panel.note.setPlainText("改：只发顺丰，不要放门口")
    qtbot.waitUntil(lambda: desk.notes[buyer][0].startswith("改"), timeout=3000)


def test_catalogue_dialog_renames_merges_and_deletes(qtbot, now_ms):
    desk = two_shop_desk(now_ms)
    desk.add_labels([desk.convs[1].buyer_id], "tag", ["vip"])
    desk.add_labels([desk.convs[3].buyer_id], "tag", ["VIP"])
    bridge = Bridge()
    dialog = LabelsDialog(desk, bridge)
    qtbot.addWidget(dialog)
    table = dialog.tables["tag"]
    assert [table.item(i, 0).text() for i in range(table.rowCount())] == ["VIP", "vip"]
    assert [table.item(i, 1).text() for i in range(table.rowCount())] == ["1", "1"]
    table.selectRow(1)
    vip = desk.labels("tag")[0]
    dialog._run(desk.merge_labels(dialog._selected().id, vip.id))
    qtbot.waitUntil(lambda: dialog.tables["tag"].rowCount() == 1, timeout=2000)
    assert table.item(0, 1).text() == "2"
    table.selectRow(0)
    dialog._run(desk.rename_label(vip.id, "大客户"))
    qtbot.waitUntil(lambda: table.item(0, 0).text() == "大客户", timeout=2000)


def test_csv_export_then_import(qtbot, now_ms, tmp_path):
    desk = two_shop_desk(now_ms)
    desk.add_labels([desk.convs[1].buyer_id], "tag", ["VIP"])
    bridge = Bridge()
    dialog = LabelsDialog(desk, bridge)
    qtbot.addWidget(dialog)
    path = tmp_path / "tags.csv"
    dialog.export_csv(str(path))
    qtbot.waitUntil(lambda: "1" in dialog.error.text(), timeout=2000)
    path.write_text(path.read_text("utf-8-sig").replace("VIP", "VIP;砍价"), "utf-8-sig")
    dialog.import_csv(str(path))
    qtbot.waitUntil(lambda: "1 " in dialog.error.text() and "更新" in dialog.error.text(), timeout=2000)
    assert [r.name for r in desk.labels("tag")] == ["VIP", "砍价"]


def test_remark_format_dialog_checks_and_keeps_the_format(qtbot, now_ms):
    from desktop.ui.dialogs import RemarkFormatDialog

    desk = two_shop_desk(now_ms)
    dialog = RemarkFormatDialog(desk)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    dialog.edit.setText("【{author}】{text}")
    assert save.isEnabled() and dialog.preview.text().startswith("示例：【小王】客户要求改地址")
    dialog.edit.setText("{who} 改了")
    assert not save.isEnabled() and dialog.error.text()
    dialog.edit.setText("【{author} {time}】{text}")
    dialog.save()
    assert desk.remark_format == "【{author} {time}】{text}"
    assert desk.compose_memo("改地址", 0).startswith("【小王 ")


def test_order_card_registers_a_case_and_its_chip_opens_it(qtbot, now_ms):
    from test_remarks import remark_desk

    from desktop.ui.case_dialog import CaseDialog

    desk = remark_desk()
    w = window(qtbot, desk)
    w.open_conversation(1)
    card = w.orders.cards[0]
    card.case_button.click()
    dialog = w.findChild(CaseDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.close()
    case_id = desk.open_case(card.order.id, "resend", "少件", []).result()
    desk.change_order(card.order.id, open_cases=1)
    w.orders.reload()
    chip = w.orders.cards[0].cases_label
    assert chip is not None
    chip.click()
    opened = [d for d in w.findChildren(CaseDialog) if d.isVisible()]
    assert len(opened) == 1 and opened[0].case_id == case_id
    opened[0].close()
    # Alt+2 shows the orders of every shop; Enter on one opens its buyer's chat
    qtbot.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert w.pages.currentIndex() == 1 and w.acts.show_orders.isChecked()
    assert w.orders_view.model.rowCount() == len(desk.orders(w.orders_view.model.filter))


def test_tags_the_platform_refused_show_in_red_with_a_retry(qtbot, now_ms):
    from desktop.core.views import TagSync

    desk = two_shop_desk(now_ms)
    w = window(qtbot, desk)
    w.open_conversation(1)
    panel = w.buyer
    assert not panel.tag_sync.isVisible() and not panel.tag_retry.isVisible()
    buyer = panel.profile.buyer_id
    desk.tag_syncs = {buyer: TagSync(pending=0, failed=1, error="tag too long", outbox_ids=(41,))}
    panel.reload()
    assert panel.tag_sync.isVisible() and "tag too long" in panel.tag_sync.text()
    assert panel.tag_retry.isVisible()
    panel.tag_retry.click()
    assert desk.retried == [41]
    desk.tag_syncs = {buyer: TagSync(pending=1, failed=0, error="", outbox_ids=(41,))}
    panel.reload()
    assert panel.tag_sync.isVisible() and not panel.tag_retry.isVisible()  # on its way again
    desk.tag_syncs = {}
    panel.reload()
    assert not panel.tag_sync.isVisible()
