"""The main window: composes the inbox, chat and orders panes, status bar and menus.

It implements no panel itself; it only routes actions and change notices to them.
It must come up fast and over an empty, still-filling store: the constructor
reads nothing from the desk; the first read runs one event-loop turn after the
first show, and the engine then fills the store through change notices.
"""

from __future__ import annotations

from concurrent.futures import Future

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from desktop.core.routing import SeatStatus
from desktop.core.views import (
    CaseFilter, ChangeNotice, ConversationRow, FollowUpRow, InboxState, LabelKind, OrderFilter,
    SearchGroup, SearchHit, ShiftRow,
)

from . import keyhints, prefs
from .actions import Actions
from .bridge import Bridge
from .buyer_panel import BuyerPanel
from .case_dialog import CaseDialog
from .cases_view import CasesView
from .chat_panel import ChatPanel
from .deskapi import DeskLike
from .alerts_dialog import AlertsDialog
from .dialogs import PluginsDialog, RemarkFormatDialog
from .formatting import now_ms
from .inbox_panel import STATES, InboxPanel
from .labels_dialog import BulkLabelDialog, LabelsDialog
from .keymap import Keymap, native
from .notifier import Notifier, next_waiting
from .orders_panel import OrdersPanel
from .orders_view import OrdersView
from .phrases_dialog import PhrasesDialog
from .redlines_dialog import RedLinesDialog
from .seat_status import SeatStatusWidget, SwitchSeatDialog
from .search_dialog import SearchDialog
from .shortcuts_dialog import CheatSheetDialog, KeymapDialog
from .shop_status import ShopStatusStrip
from .autoreply_dialog import AutoReplyDialog
from .dunning_settings import DunningSettingsDialog
from .dunning_view import DunningView
from .follow_up_dialog import FollowUpDialog
from .handover_prompts import HandoverBanner, HandoverReminders, ShiftEndBar
from .handover_view import HandoverView
from .response_report import ResponseReportDialog
from .team_console import TeamConsole
from .transfer_dialog import TransferDialog
from .widgets import ProblemBanner

TITLE = "SeatDesk 多店客服工作台"  # the product name, the same in every language
TEAM_PAGE = 3  # the team-lead console's tab
DUNNING_PAGE = 4  # unpaid orders (催付)
HANDOVER_PAGE = 5  # shift handover (交接)


class MainWindow(QMainWindow):
    def __init__(self, desk: DeskLike, *, muted: bool = False, notifier: Notifier | None = None,
                 autoload: bool = True) -> None:
        """With autoload=False the caller calls load() once the desk can answer
        (the app shows the window before the store is open, for a fast start)."""
        super().__init__()
        self._autoload = autoload
        self.setWindowTitle(TITLE)
        self.setObjectName("mainWindow")
        self.desk = desk
        self.loaded = False
        self.bridge = Bridge(self)
        self.inbox = InboxPanel(desk, self, autoload=False)
        self.chat = ChatPanel(desk, self.bridge, self)
        self.buyer = BuyerPanel(desk, self.bridge, self)
        self.orders = OrdersPanel(desk, self.bridge, self)
        self.orders_view = OrdersView(desk, self.bridge, self)
        self.cases_view = CasesView(desk, self.bridge, self)
        self.team = TeamConsole(desk, self.bridge, self)  # a lead's page, shown from load()
        self.dunning_view = DunningView(desk, self.bridge, self)
        self.handover_view = HandoverView(desk, self.bridge, self)
        self.handover_banner = HandoverBanner(desk, self)  # unread handovers, from load()
        self.shift_end_bar = ShiftEndBar(self)
        self.reminders = HandoverReminders(desk, self)
        self.shop_strip = ShopStatusStrip(desk, self, autoload=False)
        self.seat_status = SeatStatusWidget(desk, self.bridge, self)
        self.transfer_dialog: TransferDialog | None = None
        self.notifier = notifier or Notifier(self, muted=muted)
        self.labels_dialog: LabelsDialog | None = None
        self.phrases_dialog: PhrasesDialog | None = None  # the quick-reply library (Ctrl+Shift+P)
        self.red_lines_dialog: RedLinesDialog | None = None
        self.search_dialog: SearchDialog | None = None  # made on first Ctrl+K
        self._pages_loaded: set[int] = set()

        # right: who the buyer is to the team, above their orders in this shop
        side = QSplitter(Qt.Orientation.Vertical, self)
        side.setObjectName("buyerColumn")
        side.setChildrenCollapsible(False)
        side.addWidget(self.buyer)
        side.addWidget(self.orders)
        side.setSizes([330, 470])
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("panes")
        splitter.setChildrenCollapsible(False)
        for pane, minimum in ((self.inbox, 280), (self.chat, 400), (side, 300)):
            pane.setMinimumWidth(minimum)
            splitter.addWidget(pane)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 580, 360])
        self.pages = QTabWidget(self)
        self.pages.setObjectName("pages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(splitter, "")
        self.pages.addTab(self.orders_view, "")
        self.pages.addTab(self.cases_view, "")
        self.pages.addTab(self.team, "")
        self.pages.addTab(self.dunning_view, "")
        self.pages.addTab(self.handover_view, "")
        self.problem = ProblemBanner(self)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.problem)
        column.addWidget(self.handover_banner)
        column.addWidget(self.shift_end_bar)
        column.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.statusBar().addPermanentWidget(self.seat_status)
        self.statusBar().addPermanentWidget(self.shop_strip)

        self.acts = Actions(self)
        self.acts.build_menus(self.menuBar())
        self.keymap = Keymap(self.acts, self)  # the agent's own keys over the defaults
        self.pages.setTabText(0, self.tr("Conversations"))
        self.pages.setTabText(1, self.tr("Orders"))
        self.pages.setTabText(2, self.tr("After-sale"))
        self.pages.setTabText(TEAM_PAGE, self.tr("Team"))
        self.pages.setTabText(DUNNING_PAGE, self.tr("Unpaid"))
        self.pages.setTabText(HANDOVER_PAGE, self.tr("Handover"))
        self._wire()
        self._on_keymap_changed()
        self._show_team_page(False)  # until load() knows whether this seat is a lead
        self.bridge.notice_arrived.connect(self._on_bridge_notice_arrived)
        self.bridge.listen(desk)
        self.resize(1280, 800)

    def _wire(self) -> None:
        a = self.acts
        for action, state in ((a.show_waiting, InboxState.WAITING), (a.show_all, InboxState.ALL),
                              (a.show_closed, InboxState.CLOSED)):
            action.triggered.connect(lambda _=False, s=state: self.inbox.set_state(s))
        self.inbox.tabs.currentChanged.connect(self._on_inbox_state_changed)
        a.filter_shop.triggered.connect(self.inbox.focus_shop_filter)
        a.previous.triggered.connect(lambda: self.inbox.step(-1))
        a.next.triggered.connect(lambda: self.inbox.step(+1))
        a.back_to_inbox.triggered.connect(self.inbox.focus_list)
        a.reply.triggered.connect(self.chat.focus_composer)
        a.quick_reply.triggered.connect(self.chat.quick.open_picker)
        a.phrase_library.triggered.connect(self.show_phrases)
        a.red_lines.triggered.connect(self.show_red_lines)
        a.end_chat.triggered.connect(self.end_conversation)
        a.refresh.triggered.connect(self.refresh)
        a.quit.triggered.connect(self.close)
        a.plugins.triggered.connect(self.show_plugins)
        a.add_shop.triggered.connect(self.add_shop)
        a.shortcuts.triggered.connect(self.show_cheat_sheet)
        a.customize_keys.triggered.connect(self.customize_keys)
        a.alert_settings.triggered.connect(self.show_alert_settings)
        a.next_waiting.triggered.connect(self.next_waiting_chat)
        self.keymap.changed.connect(self._on_keymap_changed)
        self.notifier.unread_changed.connect(self._on_notifier_unread_changed)
        self.notifier.window_requested.connect(self._bring_to_front)
        a.lang_zh.triggered.connect(lambda: self._choose_language("zh_CN"))
        a.lang_en.triggered.connect(lambda: self._choose_language("en"))
        a.sound.setChecked(not self.notifier.sound_muted)
        a.tray.setChecked(not self.notifier.tray_muted)
        a.mute_all.setChecked(self.notifier.sound_muted and self.notifier.tray_muted)
        a.sound.toggled.connect(self._on_sound_toggled)
        a.tray.toggled.connect(self._on_tray_toggled)
        a.mute_all.triggered.connect(self._on_mute_all_triggered)

        a.filter_label.triggered.connect(self.inbox.focus_label_filter)
        a.search.triggered.connect(self.show_search)
        for i, action in enumerate((a.show_chats, a.show_orders, a.show_cases, a.show_team,
                                    a.show_dunning, a.show_handover)):
            action.triggered.connect(lambda _=False, page=i: self.pages.setCurrentIndex(page))
        # issue 5: dunning, the inbox by reply deadline, auto-replies, response times
        a.dun.setEnabled(False)  # live while the unpaid page shows
        a.dun.triggered.connect(lambda: self.dunning_view.dun_selected())
        a.deadline_sort.setChecked(self.inbox.sort == "deadline")
        a.deadline_sort.triggered.connect(lambda on: self.inbox.set_sort("deadline" if on else "wait"))
        self.inbox.sort_changed.connect(lambda sort: a.deadline_sort.setChecked(sort == "deadline"))
        a.auto_replies.triggered.connect(self.show_auto_replies)
        a.dunning_settings.triggered.connect(self.show_dunning_settings)
        a.response_times.triggered.connect(self.show_response_times)
        self.dunning_view.conversation_requested.connect(self.open_conversation)
        self.dunning_view.settings_requested.connect(self.show_dunning_settings)
        self.dunning_view.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.team.response_times_requested.connect(self.show_response_times)
        a.move_chats.triggered.connect(lambda: self.team.move_selected())
        a.seat_status_menu.triggered.connect(self.team.show_status_menu)
        a.release_seat.triggered.connect(self.team.release_seat)
        a.edit_seat.triggered.connect(self.team.edit_seat)
        a.new_seat.triggered.connect(self.team.new_seat)
        a.routing_rules.triggered.connect(self.team.edit_rules)
        self.team.conversation_requested.connect(self.open_conversation)
        self.team.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.pages.currentChanged.connect(self._on_pages_current_changed)
        a.tag_buyer.triggered.connect(lambda: self.label_buyers(LabelKind.TAG.value))
        a.group_buyer.triggered.connect(lambda: self.label_buyers(LabelKind.GROUP.value))
        a.buyer_note.triggered.connect(lambda: self.buyer.note.setFocus(Qt.FocusReason.ShortcutFocusReason))
        a.remark.triggered.connect(self._on_remark_triggered)
        a.after_sale.triggered.connect(self._on_after_sale_triggered)
        a.manage_labels.triggered.connect(self.show_labels)
        a.remark_format.triggered.connect(lambda: RemarkFormatDialog(self.desk, self).exec())
        a.webhooks.triggered.connect(self.show_webhooks)

        self.inbox.label_selected_requested.connect(self._on_inbox_label_selected_requested)
        self.buyer.conversation_requested.connect(self.open_conversation)
        self.buyer.case_requested.connect(self.open_case)
        self.buyer.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.orders.case_requested.connect(self.register_case)
        self.orders.cases_requested.connect(self.open_order_case)
        self.orders.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.orders_view.conversation_requested.connect(self.open_conversation)
        self.orders_view.case_requested.connect(self.register_case)
        self.orders_view.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.cases_view.conversation_requested.connect(self.open_conversation)
        self.inbox.conversation_activated.connect(self.open_conversation)
        self.inbox.view.activated.connect(lambda _index: self.chat.focus_composer())
        self.notifier.conversation_requested.connect(self._on_notifier_conversation_requested)
        self.chat.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))

        # seats: status, switching seat, whose chats the inbox lists, handing chats over
        self.seat_status.set_actions({SeatStatus.ONLINE: a.status_online, SeatStatus.BUSY: a.status_busy,
                                      SeatStatus.AWAY: a.status_away, SeatStatus.OFFLINE: a.status_offline},
                                     a.switch_seat)
        self.seat_status.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        a.switch_seat.triggered.connect(self.switch_seat)
        scopes = {"mine": a.scope_mine, "queue": a.scope_queue, "all": a.scope_all}
        for scope, action in scopes.items():
            action.triggered.connect(lambda _=False, s=scope: self.inbox.set_scope(s))
        self.inbox.scope_changed.connect(lambda s: scopes[s].setChecked(True))
        scopes[self.inbox.scope_choice].setChecked(True)
        a.transfer.triggered.connect(lambda: self.transfer_conversations())
        a.claim.triggered.connect(self.chat.claim)
        self.inbox.transfer_requested.connect(self.transfer_conversations)

        # shift handover (issue 6): the page, follow-ups on a chat, reminders, the sign-in banner
        a.follow_up.triggered.connect(self.chat.request_follow_up)
        self.chat.follow_up_requested.connect(self.follow_up)
        a.hand_over_release.triggered.connect(self.hand_over_and_release)
        a.shifts.triggered.connect(self.handover_view.show_shifts)
        hv = self.handover_view
        hv.conversation_requested.connect(self.open_conversation)
        hv.order_requested.connect(self.show_order)
        hv.case_requested.connect(self.open_case)
        hv.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        hv.unread_changed.connect(lambda _n: self.handover_banner.schedule_reload())
        self.handover_banner.open_requested.connect(self.show_handover)
        self.shift_end_bar.write_requested.connect(lambda: self.pages.setCurrentIndex(HANDOVER_PAGE))
        self.shift_end_bar.release_requested.connect(self.hand_over_and_release)
        self.reminders.follow_up_due.connect(self._on_reminders_follow_up_due)
        self.reminders.shift_ending.connect(self._on_reminders_shift_ending)

    # -- commands ------------------------------------------------------------------------
    def load(self) -> None:
        """First read of the store; idempotent. Runs by itself just after the first show."""
        if self.loaded:
            return
        self.loaded = True
        home = self.desk.home_seat_id
        if home is not None and self.desk.seat_id is None:  # sign in before "mine" is asked for
            self.bridge.when_done(self.desk.sign_in(home), self._on_signed_in)
        # in team mode a seat is a person: nobody signs in as a colleague
        self.acts.switch_seat.setEnabled(not self.desk.team_mode)
        self.seat_status.reload()
        self.inbox.load()
        self.shop_strip.reload()
        self.notifier.attach(self.desk, self)
        self._update_team_page()
        self._load_page(self.pages.currentIndex())
        self.handover_banner.reload()  # unread handovers, shown until acknowledged
        self.reminders.start()

    def open_conversation(self, cid: int) -> None:
        self.load()
        self.pages.setCurrentIndex(0)
        self.chat.open_conversation(cid)
        self.buyer.show_conversation(cid)
        self.orders.show_conversation(cid)
        self.inbox.mark_open(cid)

    def show_order(self, order_id: int) -> None:
        """The order alone in the orders page, selected (a handover item's link)."""
        order = self.desk.order(order_id)
        if order is None:
            self.statusBar().showMessage(self.tr("That order is no longer in the store"), 5000)
            return
        self.load()
        self.pages.setCurrentIndex(1)
        self.orders_view.set_filter(OrderFilter(text=order.platform_order_id))
        self.orders_view.select_order(order.id)

    def show_handover(self, handover_id: int | None = None) -> None:
        """The handover page, on the handovers addressed to me (`handover_id` selected)."""
        self.load()
        self.pages.setCurrentIndex(HANDOVER_PAGE)
        self.handover_view.show_incoming(handover_id)

    def follow_up(self, cid: int) -> None:
        """Ctrl+L: remind me or the next shift about this chat at a time."""
        row = self.desk.conversation_rows([cid]).get(cid)
        if row is None:
            return
        dialog = FollowUpDialog(self.desk, self.bridge, row, self)
        dialog.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._show_dialog(dialog)

    def hand_over_and_release(self) -> None:
        """Send my handover and hand my open chats to the next shift's seats (asks first)."""
        self.load()
        self.pages.setCurrentIndex(HANDOVER_PAGE)
        self.handover_view.show_mode(self.handover_view.MINE)
        self.handover_view.editor.send(release=True)

    def next_waiting_chat(self) -> None:
        """Ctrl+J: the buyer who has waited longest for this seat (its chats and the
        queue), open with the reply box focused."""
        if not self.loaded:
            return  # the store is still opening
        cid = next_waiting(self.desk, skip=self.chat.conversation_id)
        if cid is None:
            self.statusBar().showMessage(self.tr("Nobody is waiting for a reply"), 5000)
            return
        self.open_conversation(cid)
        self.chat.focus_composer()

    def show_cheat_sheet(self) -> None:
        """F1: the keys as they are now; Customize… remaps them."""
        dialog = CheatSheetDialog(self.keymap, self.acts.cheat_sheet(), self)
        dialog.customize_requested.connect(dialog.accept)
        dialog.customize_requested.connect(self.customize_keys)
        self._show_dialog(dialog)

    def customize_keys(self) -> None:
        self._show_dialog(KeymapDialog(self.keymap, self))

    def show_alert_settings(self) -> None:
        if not self.loaded:
            return  # the shops are not known before the store opens
        dialog = AlertsDialog(self.desk, self.notifier, self)
        dialog.accepted.connect(self._on_alert_settings_accepted)
        self._show_dialog(dialog)

    def show_search(self) -> None:
        """Ctrl+K: one box over every shop (search_dialog.py)."""
        if self.search_dialog is None:
            self.search_dialog = SearchDialog(self.desk, self.bridge, self)
            self.search_dialog.hit_activated.connect(self.open_search_hit)
        self.search_dialog.open_search()

    def open_search_hit(self, hit: SearchHit) -> None:
        """A message opens its chat scrolled to it, a buyer their chat; an order shows in
        the orders page, a remark there with the order's remark history open."""
        if hit.conversation_id is not None:
            self.open_conversation(hit.conversation_id)
            if hit.message_id is not None and not self.chat.reveal_message(hit.message_id):
                self.statusBar().showMessage(self.tr("That message is further back than the chat shows"), 5000)
            return
        order = self.desk.order(hit.order_id) if hit.order_id is not None else None
        if order is None:
            return
        self.load()
        self.pages.setCurrentIndex(1)
        self.orders_view.set_filter(OrderFilter(text=order.platform_order_id))
        self.orders_view.select_order(order.id)
        if hit.group == SearchGroup.REMARKS.value:
            self.orders.open_remark_dialog(order)

    def label_buyers(self, kind: str) -> None:
        """Ctrl+T / Ctrl+G: several buyers selected in the inbox → label them all at
        once; else type into the open buyer's tag (group) input."""
        selected = self.inbox.selected_buyer_ids()
        if len(selected) > 1:
            self._on_inbox_label_selected_requested(selected, kind)
        elif kind == LabelKind.TAG.value:
            self.buyer.focus_tags()
        else:
            self.buyer.focus_groups()

    def show_labels(self) -> None:
        if self.labels_dialog is None:
            self.labels_dialog = LabelsDialog(self.desk, self.bridge, self)
        self.labels_dialog.reload()
        self.labels_dialog.show()
        self.labels_dialog.raise_()

    def show_webhooks(self) -> None:
        """Tools → Webhook receiver: its settings and each webhook shop's URL."""
        from .webhooks_dialog import WebhooksDialog

        dialog = WebhooksDialog(self.desk, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_phrases(self) -> None:
        """Ctrl+Shift+P: the quick-reply library."""
        if self.phrases_dialog is None:
            self.phrases_dialog = PhrasesDialog(self.desk, self.bridge, self)
        self.phrases_dialog.reload()
        self.phrases_dialog.show()
        self.phrases_dialog.raise_()

    def show_red_lines(self) -> None:
        """Tools → Platform red lines…: the rule sets and the override log."""
        if self.red_lines_dialog is None:
            self.red_lines_dialog = RedLinesDialog(self.desk, self.bridge, self)
        self.red_lines_dialog.reload()
        self.red_lines_dialog.show()
        self.red_lines_dialog.raise_()

    def register_case(self, order_id: int) -> None:
        order = self.desk.order(order_id)
        if order is not None:
            self._show_dialog(CaseDialog.for_order(self.desk, self.bridge, order, self))

    def open_order_case(self, order_id: int) -> None:
        """The order's newest open after-sale case (or its newest closed one)."""
        cases = self.desk.cases(CaseFilter(open_only=False, order_id=order_id))
        if cases:
            self.open_case(cases[0].id)  # open ones come first, newest first

    def open_case(self, case_id: int) -> None:
        self._show_dialog(CaseDialog.for_case(self.desk, self.bridge, case_id, self))

    @staticmethod
    def _show_dialog(dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one-off: gone when closed
        dialog.open()

    def transfer_conversations(self, rows: list[ConversationRow] | None = None) -> None:
        """Ctrl+Shift+T: hand the selected chats (several selected in the inbox) or the
        open one to a seat or a group."""
        if rows is None:
            selected = [r for r in self.inbox.selected_rows() if r.state == "open"]
            cid = self.chat.conversation_id
            if len(selected) <= 1 and cid is not None:
                selected = list(self.desk.conversation_rows([cid]).values())
            rows = selected
        if not rows or self.desk.seat_id is None:
            self.statusBar().showMessage(self.tr("Open a conversation to transfer first"), 5000)
            return
        dialog = TransferDialog(self.desk, self.bridge, rows, self)
        dialog.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        dialog.finished.connect(lambda _result: setattr(self, "transfer_dialog", None))
        self.transfer_dialog = dialog
        self._show_dialog(dialog)

    def switch_seat(self) -> None:
        """Ctrl+Alt+S: work as another seat of this store (several local profiles)."""
        dialog = SwitchSeatDialog(self.desk, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        seat_id = dialog.chosen_seat_id()
        if seat_id is None or seat_id == self.desk.seat_id:
            return
        self.bridge.when_done(self.desk.sign_out(), lambda _f: None)
        self.bridge.when_done(self.desk.sign_in(seat_id), self._on_signed_in)
        self.desk.set_home_seat(seat_id)
        self.seat_status.reload()
        self.inbox.seat_changed()
        self.chat.refresh_holder()

    def show_problem(self, message: str) -> None:
        """A start-up problem the agent must see (e.g. no keyring): a banner, not a crash."""
        self.problem.show_message(message)

    def end_conversation(self) -> None:
        """Ctrl+E: end the open chat; the inbox moves on to the next buyer."""
        cid = self.chat.conversation_id
        if cid is None:
            return
        self.inbox.step(+1)
        self.bridge.when_done(self.desk.close_conversation(cid),
                              lambda f: f.exception() and self.statusBar().showMessage(
                                  self.tr("Could not end the conversation: {error}").format(
                                      error=f.exception()), 8000))

    def show_keyring_problem(self) -> None:
        self.show_problem(self.tr(
            "No usable system keyring was found, and SeatDesk never keeps shop credentials in "
            "plain text, so shops cannot connect. Run a Secret Service provider (GNOME Keyring or "
            "KWallet), or choose another keyring backend with PYTHON_KEYRING_BACKEND. "
            "The demo (seatdesk --demo) needs no keyring."))

    def show_store_problem(self, error: str) -> None:
        self.show_problem(self.tr("SeatDesk could not open its store: {error}").format(error=error))

    def show_plugin_problems(self, problems: list[tuple[str, str]]) -> None:
        self.show_problem("\n".join(
            self.tr("Plugin {name} could not be loaded: {error}").format(name=name, error=error)
            for name, error in problems))

    def refresh(self) -> None:
        self.inbox.refresh()
        self.shop_strip.reload()
        self.buyer.reload()
        self.orders.reload()
        self._load_page(self.pages.currentIndex())
        if self.chat.conversation_id is not None:
            self.chat.open_conversation(self.chat.conversation_id)

    def add_shop(self) -> None:
        from .shop_wizard import ShopWizard  # pulls desktop.sdk (httpx): not before it is needed

        wizard = ShopWizard(self.desk, self.bridge, self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.finished.connect(lambda _result: self.shop_strip.reload())
        wizard.open()

    def show_auto_replies(self) -> None:
        """Tools → Auto-replies…: the open chat's shop first."""
        self.load()
        cid = self.chat.conversation_id
        rows = self.desk.conversation_rows([cid]) if cid is not None else {}
        shop = rows[cid].shop_id if cid in rows else None
        self._show_dialog(AutoReplyDialog(self.desk, self.bridge, self, shop_id=shop))

    def show_dunning_settings(self) -> None:
        dialog = DunningSettingsDialog(self.desk, self.bridge, self)
        dialog.accepted.connect(lambda: self.dunning_view.loaded and self.dunning_view.reload())
        self._show_dialog(dialog)

    def show_response_times(self) -> None:
        """Team → Response times…: first and average response per seat and shop."""
        self._show_dialog(ResponseReportDialog(self.desk, self))

    def show_plugins(self) -> None:
        PluginsDialog(self.desk.plugin_statuses(), self).exec()

    # -- slots ---------------------------------------------------------------------------
    def _on_bridge_notice_arrived(self, notice: ChangeNotice) -> None:
        if notice.everything:  # the team channel reconnected: what was missed is unknown
            if self.loaded:
                self.refresh()
                self.seat_status.reload()
                self.handover_banner.schedule_reload()
            return
        self.inbox.apply_notice(notice)
        self.chat.apply_notice(notice)
        self.buyer.apply_notice(notice)
        self.orders.apply_notice(notice)
        if self.pages.currentIndex() == 1:  # hidden pages catch up when shown
            self.orders_view.apply_notice(notice)
        elif self.pages.currentIndex() == 2:
            self.cases_view.apply_notice(notice)
        elif self.pages.currentIndex() == TEAM_PAGE:
            self.team.apply_notice(notice)
        elif self.pages.currentIndex() == DUNNING_PAGE:
            self.dunning_view.apply_notice(notice)
        self.handover_view.apply_notice(notice)  # the unread count shows on every page
        if self.loaded and (notice.handovers or notice.shifts
                            or (notice.seats and self.desk.seat_id in notice.seats)):
            self.handover_banner.schedule_reload()
        if self.loaded and notice.seats and self.desk.seat_id in notice.seats:
            self._update_team_page()  # signed in, or became (or stopped being) a lead
        if self.labels_dialog is not None and self.labels_dialog.isVisible():
            self.labels_dialog.apply_notice(notice)
        for dialog in (self.phrases_dialog, self.red_lines_dialog):
            if dialog is not None and dialog.isVisible():
                dialog.apply_notice(notice)
        if notice.shops:
            self.shop_strip.reload()
        if notice.seats:
            self.seat_status.reload()
            if self.transfer_dialog is not None:
                self.transfer_dialog.apply_notice(notice)
        self.notifier.notify(notice)

    def _on_pages_current_changed(self, index: int) -> None:
        (self.acts.show_chats, self.acts.show_orders, self.acts.show_cases,
         self.acts.show_team, self.acts.show_dunning, self.acts.show_handover)[index].setChecked(True)
        self._sync_team_actions()
        self.acts.dun.setEnabled(index == DUNNING_PAGE)  # acts on the page's selection
        self._load_page(index)

    def _update_team_page(self) -> None:
        """The team console is a lead's page (Alt+4): shown only while signed in as a lead."""
        self._show_team_page(self.desk.is_lead())

    def _show_team_page(self, lead: bool) -> None:
        if not lead and self.pages.currentIndex() == TEAM_PAGE:
            self.pages.setCurrentIndex(0)
        self.pages.setTabVisible(TEAM_PAGE, lead)
        self.handover_view.set_lead(lead)  # who handed over, who acknowledged, what is overdue
        self.acts.show_team.setVisible(lead)
        self.acts.show_team.setEnabled(lead)
        self.acts.team_menu.menuAction().setVisible(lead)
        self._sync_team_actions()

    def _sync_team_actions(self) -> None:
        """The console's shortcuts act on its selection: live only while it shows."""
        lead = self.acts.show_team.isEnabled()
        on_page = lead and self.pages.currentIndex() == TEAM_PAGE
        a = self.acts
        for action in (a.move_chats, a.seat_status_menu, a.release_seat, a.edit_seat):
            action.setEnabled(on_page)
        for action in (a.new_seat, a.routing_rules):
            action.setEnabled(lead)

    def _load_page(self, index: int) -> None:
        """A page reads the store when first shown; later it catches up on what
        changed while it was hidden (it gets no notices then), keeping its place."""
        if not self.loaded or index == 0:
            return
        if index == TEAM_PAGE:
            if self.team.loaded:
                self.team.schedule_reload()
            else:
                self.team.load()
            self.team.setFocus()
            return
        if index == HANDOVER_PAGE:
            if not self.handover_view.loaded:
                self.handover_view.load()
            self.handover_view.setFocus()
            return
        if index == DUNNING_PAGE:
            if self.dunning_view.loaded:
                self.dunning_view.schedule_reload()
            else:
                self.dunning_view.load()
            self.dunning_view.setFocus()
            return
        view = self.orders_view if index == 1 else self.cases_view
        if index in self._pages_loaded:
            view.model.schedule_reload()
        else:
            self._pages_loaded.add(index)
            view.load()
        view.setFocus()

    def _on_inbox_label_selected_requested(self, buyer_ids: list[int], kind: str) -> None:
        self._show_dialog(BulkLabelDialog(self.desk, self.bridge, buyer_ids, kind, self))

    def _on_remark_triggered(self) -> None:
        if self.pages.currentIndex() == 1 and self.orders_view.current_order() is not None:
            order = self.orders_view.current_order()
            assert order is not None
            self.orders.open_remark_dialog(order)
        else:
            self.orders.edit_remark()

    def _on_after_sale_triggered(self) -> None:
        order = self.orders_view.current_order() if self.pages.currentIndex() == 1 else None
        if order is None and self.orders.cards:
            order = self.orders.cards[0].order
        if order is not None:
            self.register_case(order.id)
        else:
            self.statusBar().showMessage(self.tr("Open a buyer with an order first"), 5000)

    def _on_inbox_state_changed(self, index: int) -> None:
        state = STATES[index]
        {InboxState.WAITING: self.acts.show_waiting, InboxState.ALL: self.acts.show_all,
         InboxState.CLOSED: self.acts.show_closed}[state].setChecked(True)

    def _on_signed_in(self, future: Future[None]) -> None:
        error = future.exception()
        if error is not None:
            self.statusBar().showMessage(self.tr("Could not sign in: {error}").format(error=error), 8000)
        self.seat_status.reload()
        self.handover_banner.reload()

    def _on_reminders_follow_up_due(self, row: FollowUpRow) -> None:
        title, body = self.reminders.reminder_text(row, now_ms())
        self.notifier.remind(title, body, row.conversation_id)
        self.statusBar().showMessage(f"{title} — {body}", 30_000)

    def _on_reminders_shift_ending(self, shift: ShiftRow, end_ms: int) -> None:
        self.shift_end_bar.show_for(shift, end_ms, now_ms())
        self.notifier.remind(self.shift_end_bar.title.text(), self.shift_end_bar.detail.text())

    def _on_notifier_conversation_requested(self, cid: int) -> None:
        self._bring_to_front()
        self.open_conversation(cid)
        self.chat.focus_composer()

    def _bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def _on_notifier_unread_changed(self, n: int) -> None:
        self.setWindowTitle(f"({n}) {TITLE}" if n else TITLE)

    def _on_alert_settings_accepted(self) -> None:
        self.acts.sound.setChecked(not self.notifier.sound_muted)
        self.acts.tray.setChecked(not self.notifier.tray_muted)

    def _on_keymap_changed(self) -> None:
        """Tab tooltips and every key hint name the keys as they are now."""
        keyhints.set_keys(self.keymap.mapping())
        for widget in (self.buyer, self.inbox, self.chat, self.dunning_view, self.seat_status):
            widget.show_key_hints()
        a = self.acts
        for i, action in enumerate((a.show_chats, a.show_orders, a.show_cases, a.show_team,
                                    a.show_dunning, a.show_handover)):
            self.pages.setTabToolTip(i, ", ".join(native(k) for k in self.keymap.keys_of(action)))
        for i, action in enumerate((a.show_waiting, a.show_all, a.show_closed)):
            self.inbox.tabs.setTabToolTip(i, ", ".join(native(k) for k in self.keymap.keys_of(action)))

    def _on_sound_toggled(self, on: bool) -> None:
        self.notifier.set_sound_muted(not on)
        self.acts.mute_all.setChecked(self.notifier.sound_muted and self.notifier.tray_muted)

    def _on_tray_toggled(self, on: bool) -> None:
        self.notifier.set_tray_muted(not on)
        self.acts.mute_all.setChecked(self.notifier.sound_muted and self.notifier.tray_muted)

    def _on_mute_all_triggered(self, muted: bool) -> None:
        self.acts.sound.setChecked(not muted)
        self.acts.tray.setChecked(not muted)
        text = self.tr("Notifications muted") if muted else self.tr("Notifications on")
        self.statusBar().showMessage(text, 3000)

    def _choose_language(self, lang: str) -> None:
        prefs.set_value(prefs.LANGUAGE, lang)
        self.statusBar().showMessage(self.tr("The language changes when SeatDesk restarts."), 8000)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.loaded and self._autoload:
            QTimer.singleShot(0, self.load)  # let the first frame paint before any query

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.loaded and self.handover_view.editor.dirty:
            self.handover_view.editor.save()  # the handover being written is not lost
        if self.loaded and self.desk.seat_id is not None:
            self.desk.sign_out()  # offline for routing now, not after the heartbeat times out
        self.bridge.close()  # late engine callbacks must not reach half-destroyed widgets
        if self.search_dialog is not None:
            self.search_dialog.shutdown()
        super().closeEvent(event)
