"""After-sale cases: register one from an order, walk it through its states with a
note at each step, see it in the cases tab until it is closed, and stale steps."""

from __future__ import annotations

import pytest
from fake_desk import FakeDesk, order
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from desktop.core.views import CASE_FLOW, CaseFilter, CaseItemRow, CaseKind, CaseState
from desktop.ui.bridge import Bridge
from desktop.ui.case_dialog import CaseDialog, StepPrompt
from desktop.ui.case_labels import case_kind_label, case_state_label
from desktop.ui.cases_view import CasesModel, CasesView

TB = "sandbox-tb"


def case_desk(now: int) -> FakeDesk:
    d = FakeDesk()
    d.add_shop(1, "棉麻生活馆", TB, "沙箱·淘系", "#e4572e")
    d.add_shop(2, "小鹿童装旗舰店", TB, "沙箱·淘系", "#2e86de")
    d.add_conversation(1, 1, "tb_小橘子", "尺码不合适，想退", now - 60_000, waiting_since=now - 60_000)
    d.add_conversation(2, 2, "南风知我意", "少发了一件", now - 120_000)
    d.add_order(1, order(260112301, 1, "shipped", "WAIT_BUYER_CONFIRM_GOODS", "318.00",
                         [("亚麻衬衫 米白色 L", 2, "159.00"), ("亚麻收纳袋（赠品）", 1, "0.00")],
                         created=now - 3 * 86400_000, courier="中通快递", waybill="7312 8849 0021 77"))
    d.add_order(2, order(260112302, 2, "shipped", "WAIT_BUYER_CONFIRM_GOODS", "198.00",
                         [("儿童卫衣 110 码 & 袜子", 2, "99.00")], created=now - 5 * 86400_000))
    return d


def make_bridge(desk: FakeDesk) -> Bridge:
    bridge = Bridge()
    bridge.listen(desk)
    return bridge


def new_case(desk: FakeDesk, order_id: int = 260112301, kind: str = "return_refund") -> int:
    return desk.open_case(order_id, kind, "尺码不合适", [CaseItemRow("亚麻衬衫 米白色 L", 1)], "", "").result()


def ok_button(prompt: StepPrompt):  # type: ignore[no-untyped-def]
    return prompt.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_register_a_case_from_an_order(qtbot, now_ms):
    desk = case_desk(now_ms)
    bridge = make_bridge(desk)
    dialog = CaseDialog.for_order(desk, bridge, desk.order(260112301))
    qtbot.addWidget(dialog)
    dialog.show()
    assert [c.isChecked() for c in dialog.item_checks] == [False, False]  # two items: the agent picks
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("return_refund"))
    dialog.reason_combo.setEditText("尺码不合适")
    dialog.item_checks[0].setChecked(True)
    assert dialog.item_spins[0].maximum() == 2
    dialog.item_spins[0].setValue(1)
    dialog.waybill_edit.setText("  SF1234567890 ")
    dialog.note_edit.setPlainText("买家平时穿 M，换 L 偏大")
    with qtbot.waitSignal(dialog.case_saved, timeout=2000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (case,) = desk.cases(CaseFilter())
    assert saved.args == [case.id] and dialog.case_id == case.id
    assert (case.order_id, case.kind, case.reason, case.return_waybill, case.note, case.state) == (
        260112301, "return_refund", "尺码不合适", "SF1234567890", "买家平时穿 M，换 L 偏大", "open")
    assert case.items == (CaseItemRow("亚麻衬衫 米白色 L", 1),)
    assert case.author == "小王" and case.conversation_id == 1 and case.buyer_nick == "tb_小橘子"
    assert [(e.from_state, e.to_state) for e in case.history] == [("", "open")]
    assert desk.order(260112301).open_cases == 1
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.already.isHidden()
    again = CaseDialog.for_order(desk, bridge, desk.order(260112301))
    qtbot.addWidget(again)
    assert not again.already.isHidden() and "1" in again.already.text()  # a duplicate is likely a mistake


def test_a_case_needs_a_reason_and_an_item(qtbot, now_ms):
    desk = case_desk(now_ms)
    dialog = CaseDialog.for_order(desk, make_bridge(desk), desk.order(260112301))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save_button.click()
    assert dialog.error_label.isVisible() and dialog.error_label.text()
    dialog.reason_combo.setCurrentIndex(0)  # a common reason from the list
    dialog.save_button.click()
    assert dialog.error_label.isVisible()  # still no item ticked
    assert desk.cases(CaseFilter(open_only=False)) == []


def test_resend_needs_no_return_waybill_and_a_single_item_is_ticked(qtbot, now_ms):
    desk = case_desk(now_ms)
    dialog = CaseDialog.for_order(desk, make_bridge(desk), desk.order(260112302))
    qtbot.addWidget(dialog)
    dialog.show()
    assert [c.isChecked() for c in dialog.item_checks] == [True]
    assert dialog.item_checks[0].text() == "儿童卫衣 110 码 && 袜子"  # '&' shown, not a shortcut
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("resend"))
    assert not dialog.waybill_edit.isEnabled()
    dialog.reason_combo.setEditText("少件/漏发")
    with qtbot.waitSignal(dialog.case_saved, timeout=2000):
        dialog.save_button.click()
    (case,) = desk.cases(CaseFilter())
    assert case.kind == "resend" and case.items == (CaseItemRow("儿童卫衣 110 码 & 袜子", 2),)


def test_a_failed_registration_is_shown_in_the_dialog(qtbot, now_ms):
    desk = case_desk(now_ms)
    desk.case_error = RuntimeError("数据库忙，请重试")
    dialog = CaseDialog.for_order(desk, make_bridge(desk), desk.order(260112302))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reason_combo.setEditText("质量问题")
    dialog.save_button.click()
    assert not dialog.save_button.isEnabled()  # in flight
    qtbot.waitUntil(lambda: "数据库忙，请重试" in dialog.error_label.text(), timeout=2000)
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.case_saved, timeout=2000):  # the retry works
        dialog.save_button.click()


def step(qtbot, dialog: CaseDialog, state: str, note: str) -> None:  # type: ignore[no-untyped-def]
    dialog.step_buttons[state].click()
    prompt = dialog.step_prompt
    assert prompt is not None and prompt.isVisible()
    prompt.note_edit.setPlainText(note)
    with qtbot.waitSignal(dialog.case_saved, timeout=2000):
        qtbot.mouseClick(ok_button(prompt), Qt.MouseButton.LeftButton)


def test_walk_a_return_refund_case_through_every_state(qtbot, now_ms):
    desk = case_desk(now_ms)
    case_id = new_case(desk)
    dialog = CaseDialog.for_case(desk, make_bridge(desk), case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    path = [s.value for s in CASE_FLOW[CaseKind.RETURN_REFUND]]
    assert path == ["open", "awaiting_return", "received", "refunded", "closed"]
    for before, after in zip(path, path[1:], strict=False):
        assert dialog.state_label.text() == case_state_label(before)
        assert set(dialog.step_buttons) == ({after, "closed"} if after != "closed" else {"closed"})
        step(qtbot, dialog, after, f"第{path.index(after)}步")
    case = desk.case(case_id)
    assert case.state == "closed" and case.closed_at is not None
    assert [(e.from_state, e.to_state, e.note, e.author) for e in case.history] == [
        ("", "open", "", "小王"),
        ("open", "awaiting_return", "第1步", "小王"),
        ("awaiting_return", "received", "第2步", "小王"),
        ("received", "refunded", "第3步", "小王"),
        ("refunded", "closed", "第4步", "小王"),
    ]
    assert dialog.history.topLevelItemCount() == 5
    assert dialog.history.topLevelItem(2).text(3) == "第2步"
    assert dialog.step_buttons == {}
    assert not dialog.waybill_edit.isEnabled()


def test_closing_early_asks_first_and_cancel_changes_nothing(qtbot, now_ms):
    desk = case_desk(now_ms)
    case_id = new_case(desk)
    dialog = CaseDialog.for_case(desk, make_bridge(desk), case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.step_buttons["closed"].click()
    prompt = dialog.step_prompt
    assert prompt is not None and case_state_label("open") in prompt.question.text()
    prompt.reject()
    assert desk.case(case_id).state == "open" and not prompt.isVisible()
    step(qtbot, dialog, "closed", "买家撤销申请")
    assert desk.case(case_id).state == "closed"
    assert desk.case(case_id).history[-1].note == "买家撤销申请"


def test_waybill_and_note_edits_are_saved(qtbot, now_ms):
    desk = case_desk(now_ms)
    case_id = new_case(desk)
    dialog = CaseDialog.for_case(desk, make_bridge(desk), case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.save_button.isEnabled()
    dialog.waybill_edit.setText("YT9988776655")
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.case_saved, timeout=2000):
        dialog.save_button.click()
    assert desk.case(case_id).return_waybill == "YT9988776655"
    assert desk.case(case_id).state == "open" and not dialog.save_button.isEnabled()


def test_a_step_another_seat_took_first_is_shown_and_the_case_reloads(qtbot, now_ms):
    desk = case_desk(now_ms)
    case_id = new_case(desk)
    dialog = CaseDialog.for_case(desk, make_bridge(desk), case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    desk.move_case(case_id, "awaiting_return", author="小李")  # the dialog still shows "open"
    desk.move_case(case_id, "received", author="小李")
    assert set(dialog.step_buttons) == {"awaiting_return", "closed"}
    dialog.step_buttons["awaiting_return"].click()
    dialog.step_prompt.accept()
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=2000)
    assert "from received to awaiting_return" in dialog.error_label.text()  # the desk's own words
    assert dialog.state_label.text() == case_state_label("received", "return_refund")
    assert set(dialog.step_buttons) == {"refunded", "closed"}
    assert dialog.history.topLevelItem(2).text(1) == "小李"
    assert [e.to_state for e in desk.case(case_id).history] == ["open", "awaiting_return", "received"]


def test_the_cases_tab_lists_open_cases_until_closed(qtbot, now_ms):
    desk = case_desk(now_ms)
    bridge = make_bridge(desk)
    view = CasesView(desk, bridge)
    bridge.notice_arrived.connect(view.apply_notice)
    qtbot.addWidget(view)
    view.resize(1100, 400)
    view.show()
    view.load()
    assert view.model.rowCount() == 0
    case_id = new_case(desk)
    with qtbot.waitSignal(view.model.reloaded, timeout=2000):
        pass
    assert [c.id for c in view.model.rows()] == [case_id]
    row = view.model.row_of(case_id)
    assert view.model.index(row, CasesModel.KIND).data() == case_kind_label("return_refund")
    assert view.model.index(row, CasesModel.ITEMS).data() == "亚麻衬衫 米白色 L ×1"
    assert view.model.index(row, CasesModel.SHOP).data() == "棉麻生活馆"
    view.table.setCurrentIndex(view.model.index(row, CasesModel.BUYER))
    for state in ("awaiting_return", "received", "refunded"):
        desk.move_case(case_id, state)
        with qtbot.waitSignal(view.model.reloaded, timeout=2000):
            pass
        assert view.model.index(row, CasesModel.STATE).data() == case_state_label(state)
        assert view.current_case().id == case_id  # the selection survives reloads
    desk.move_case(case_id, "closed")
    with qtbot.waitSignal(view.model.reloaded, timeout=2000):
        pass
    assert view.model.rowCount() == 0
    view.state_filter.setCurrentIndex(1)  # all states
    assert [c.id for c in view.model.rows()] == [case_id]


def test_cases_tab_filters_by_state_kind_and_shop(qtbot, now_ms):
    desk = case_desk(now_ms)
    refund = new_case(desk)
    resend = desk.open_case(260112302, "resend", "少件/漏发", [CaseItemRow("儿童卫衣 110 码 & 袜子", 1)]).result()
    view = CasesView(desk, make_bridge(desk))
    qtbot.addWidget(view)
    view.load()
    assert {c.id for c in view.model.rows()} == {refund, resend}
    view.kind_filter.setCurrentIndex(view.kind_filter.findData("resend"))
    assert [c.id for c in view.model.rows()] == [resend]
    view.kind_filter.setCurrentIndex(0)
    view.shop_filter.setCurrentIndex(view.shop_filter.findData(1))
    assert [c.id for c in view.model.rows()] == [refund]
    view.shop_filter.setCurrentIndex(0)
    view.state_filter.setCurrentIndex(view.state_filter.findData("awaiting_return"))
    assert view.model.rowCount() == 0


def test_enter_on_a_case_opens_its_dialog(qtbot, now_ms):
    desk = case_desk(now_ms)
    case_id = new_case(desk)
    view = CasesView(desk, make_bridge(desk))
    qtbot.addWidget(view)
    view.show()
    view.load()
    view.table.setCurrentIndex(view.model.index(0, CasesModel.NUMBER))
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    dialog = view.dialog
    assert dialog is not None and dialog.case_id == case_id and dialog.isVisible()
    dialog.close()
    other = new_case(desk, 260112302, "resend")
    assert view.open_case(other) is dialog and dialog.case_id == other  # one dialog, re-used
    assert set(dialog.step_buttons) == {"resent", "closed"} and dialog.isVisible()


def test_case_dialog_labels_are_plain_text(qtbot, now_ms):
    desk = case_desk(now_ms)
    case_id = desk.open_case(260112302, "exchange", "<b>颜色</b>不对", [CaseItemRow("<i>卫衣</i>", 1)]).result()
    dialog = CaseDialog.for_case(desk, make_bridge(desk), case_id)
    qtbot.addWidget(dialog)
    assert dialog.reason_combo.currentText() == "<b>颜色</b>不对"
    assert "<i>卫衣</i> × 1" in dialog.items_list.text()
    for label in dialog.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()


@pytest.mark.parametrize("kind", [k.value for k in CaseKind])
def test_every_kind_and_state_has_a_label(kind):
    assert case_kind_label(kind) != kind
    for state in CASE_FLOW[CaseKind(kind)]:
        assert case_state_label(state.value) and case_state_label(state.value) != state.value


def test_fake_refuses_a_step_the_flow_does_not_allow(now_ms):
    desk = case_desk(now_ms)
    case_id = new_case(desk, kind="refund_only")
    with pytest.raises(ValueError):
        desk.update_case(case_id, state="awaiting_return").result()
    assert desk.update_case(case_id, state=CaseState.REFUNDED.value).result() == 260112301
    assert desk.cases(CaseFilter(order_id=260112301))[0].state == "refunded"
    # Asking for the state it is in already is no step (like the core): edits only.
    desk.update_case(case_id, state="refunded", return_waybill=" SF1 ").result()
    case = desk.case(case_id)
    assert case.return_waybill == "SF1" and [e.to_state for e in case.history] == ["open", "refunded"]


def test_cases_model_passes_qtmodeltester(qtmodeltester, now_ms):
    desk = case_desk(now_ms)
    new_case(desk)
    new_case(desk, 260112302, "exchange")
    model = CasesModel(desk)
    model.set_filter(CaseFilter())
    qtmodeltester.check(model)
