"""Every window-level command as a QAction with its shortcut, and the menus showing them.

One place for shortcuts, so menus, tooltips and the F1 cheat sheet agree. The
main window connects these actions to panel methods.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenuBar, QWidget

from . import prefs


def plain_text(text: str) -> str:
    """A menu text without its mnemonic: "Filter by &shop" / "按店铺筛选(&S)" → plain."""
    return re.sub(r"\(&\w\)", "", text).replace("&&", "\0").replace("&", "").replace("\0", "&")


class Actions(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window

        self.show_waiting = self._make(self.tr("&Waiting for reply"), "Ctrl+1", checkable=True)
        self.show_all = self._make(self.tr("&All open"), "Ctrl+2", checkable=True)
        self.show_closed = self._make(self.tr("&Closed"), "Ctrl+3", checkable=True)
        self.states = QActionGroup(self)
        for a in (self.show_waiting, self.show_all, self.show_closed):
            self.states.addAction(a)
        self.show_all.setChecked(True)

        self.filter_shop = self._make(self.tr("Filter by &shop"), "Ctrl+F")
        self.previous = self._make(self.tr("&Previous conversation"), "Ctrl+Up", "Alt+Up")
        self.next = self._make(self.tr("&Next conversation"), "Ctrl+Down", "Alt+Down")
        # the buyer who has waited longest among my chats and the queue, composer focused
        self.next_waiting = self._make(self.tr("Ne&xt waiting buyer"), "Ctrl+J")
        self.back_to_inbox = self._make(self.tr("&Back to inbox"), "Esc")
        self.reply = self._make(self.tr("&Reply"), "Ctrl+R")
        # issue 5: the "/" picker from anywhere (it focuses the reply box), the library, red lines
        self.quick_reply = self._make(self.tr("Insert &quick reply"), "Ctrl+/")
        self.phrase_library = self._make(self.tr("&Quick-reply library…"), "Ctrl+Shift+P")
        self.red_lines = self._make(self.tr("Platform &red lines…"))
        self.end_chat = self._make(self.tr("&End conversation"), "Ctrl+E")
        self.filter_label = self._make(self.tr("Filter by &tag or group"), "Ctrl+Shift+F")
        # one box over every shop's messages, buyers, order numbers and remarks
        self.search = self._make(self.tr("Search e&very shop…"), "Ctrl+K")
        self.show_chats = self._make(self.tr("&Conversations"), "Alt+1", checkable=True)
        self.show_orders = self._make(self.tr("&Orders of all shops"), "Alt+2", checkable=True)
        self.show_cases = self._make(self.tr("&After-sale cases"), "Alt+3", checkable=True)
        self.show_team = self._make(self.tr("&Team"), "Alt+4", checkable=True)  # leads only
        self.show_dunning = self._make(self.tr("&Unpaid orders (dunning)"), "Alt+5", checkable=True)
        self.show_handover = self._make(self.tr("&Handover"), "Alt+6", checkable=True)  # 交接
        self.pages = QActionGroup(self)
        for a in (self.show_chats, self.show_orders, self.show_cases, self.show_team,
                  self.show_dunning, self.show_handover):
            self.pages.addAction(a)
        # issue 5: dunning (催付) the buyers selected on the unpaid page (live while it shows),
        # the inbox by reply deadline, auto-replies, the lead's response times
        self.dun = self._make(self.tr("&Dun selected buyers"), "Ctrl+D")
        self.deadline_sort = self._make(self.tr("Sort inbox by reply &deadline"), "Ctrl+Shift+D",
                                        checkable=True)
        self.auto_replies = self._make(self.tr("&Auto-replies…"))
        self.dunning_settings = self._make(self.tr("D&unning settings…"))
        self.response_times = self._make(self.tr("Response &times…"))
        self.show_chats.setChecked(True)
        # Ctrl+T / Ctrl+G: the open buyer's tag or group input; with several buyers
        # selected in the inbox, label all of them at once.
        self.tag_buyer = self._make(self.tr("&Tag buyer"), "Ctrl+T")
        self.group_buyer = self._make(self.tr("Add buyer to a &group"), "Ctrl+G")
        self.buyer_note = self._make(self.tr("Buyer &note"), "Ctrl+N")
        self.remark = self._make(self.tr("&Remark on the newest order"), "Ctrl+B")  # 备注 bèizhù
        self.after_sale = self._make(self.tr("Register &after-sale case"), "Ctrl+Shift+A")
        self.manage_labels = self._make(self.tr("&Tags and groups…"), "Ctrl+Shift+L")
        # Seats (issue 4): whose chats the inbox shows, handing chats over, the seat's status.
        self.scope_mine = self._make(self.tr("&My conversations"), "Ctrl+4", checkable=True)
        self.scope_queue = self._make(self.tr("&Unassigned queue"), "Ctrl+5", checkable=True)
        self.scope_all = self._make(self.tr("&Everyone's conversations"), "Ctrl+6", checkable=True)
        self.scopes = QActionGroup(self)
        for a in (self.scope_mine, self.scope_queue, self.scope_all):
            self.scopes.addAction(a)
        self.transfer = self._make(self.tr("&Transfer conversation…"), "Ctrl+Shift+T")  # 转接
        self.claim = self._make(self.tr("Ta&ke conversation"), "Ctrl+Shift+J")  # 接入 jiērù
        self.status_online = self._make(self.tr("&Online"), "Ctrl+Alt+1", checkable=True)
        self.status_busy = self._make(self.tr("&Busy"), "Ctrl+Alt+2", checkable=True)
        self.status_away = self._make(self.tr("A&way"), "Ctrl+Alt+3", checkable=True)
        self.status_offline = self._make(self.tr("O&ffline"), "Ctrl+Alt+4", checkable=True)
        self.statuses = QActionGroup(self)
        for a in (self.status_online, self.status_busy, self.status_away, self.status_offline):
            self.statuses.addAction(a)
        self.switch_seat = self._make(self.tr("&Switch seat…"), "Ctrl+Alt+S")
        # Shift handover (issue 6): a promise on the open chat ("later"), the end of a shift
        self.follow_up = self._make(self.tr("Follow up &later…"), "Ctrl+L")
        self.hand_over_release = self._make(self.tr("Hand over and &release my chats…"))
        self.shifts = self._make(self.tr("Shif&ts and roster…"))
        # The team-lead console: enabled while its page shows (MainWindow).
        self.move_chats = self._make(self.tr("&Move chats to…"), "Ctrl+Shift+M")
        self.seat_status_menu = self._make(self.tr("Seat &status…"), "Ctrl+Shift+U")
        self.release_seat = self._make(self.tr("&Release all chats of the seat…"), "Ctrl+Shift+R")
        self.edit_seat = self._make(self.tr("&Edit seat…"), "F2")
        self.new_seat = self._make(self.tr("&New seat…"))
        self.routing_rules = self._make(self.tr("Rout&ing rules…"))
        self.refresh = self._make(self.tr("&Refresh"), "F5")  # not StandardKey: it may be Ctrl+R
        self.mute_all = self._make(self.tr("&Mute notifications"), "Ctrl+M", checkable=True)
        self.sound = self._make(self.tr("&Sound on new message"), checkable=True)
        self.tray = self._make(self.tr("&Tray pop-up on new message"), checkable=True)
        self.alert_settings = self._make(self.tr("Notification &settings…"))  # per shop, schedule
        self.customize_keys = self._make(self.tr("&Customize shortcuts…"))
        self.plugins = self._make(self.tr("&Plugins…"))
        self.add_shop = self._make(self.tr("&Add a shop…"), "Ctrl+Shift+N")
        self.remark_format = self._make(self.tr("&Remark format…"))
        self.webhooks = self._make(self.tr("&Webhook receiver…"))
        self.shortcuts = self._make(self.tr("&Keyboard shortcuts"), "F1")
        self.quit = self._make(self.tr("&Quit"), "Ctrl+Q")

        self.lang_zh = self._make("简体中文", checkable=True)  # language names are never translated
        self.lang_en = self._make("English", checkable=True)
        self.languages = QActionGroup(self)
        self.languages.addAction(self.lang_zh)
        self.languages.addAction(self.lang_en)
        (self.lang_en if prefs.language() == "en" else self.lang_zh).setChecked(True)

    def _make(
        self, text: str, *keys: str | QKeySequence.StandardKey, checkable: bool = False
    ) -> QAction:
        action = QAction(text, self._window)
        action.setCheckable(checkable)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
            # Shortcuts work from any child (composer, list), as agents expect.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            hint = ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
            action.setToolTip(f"{plain_text(text)} ({hint})")
        self._window.addAction(action)  # active even when no menu shows it
        return action

    def cheat_sheet(self) -> list[tuple[str, str]]:
        """(command, shortcut) for every action that has one, for the F1 dialog."""
        rows = []
        for action in self._window.actions():
            keys = action.shortcuts()
            if keys:
                native = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys]
                rows.append((plain_text(action.text()), ", ".join(native)))
        rows.append((self.tr("Send reply"), self.tr("Enter or Ctrl+Enter (Shift+Enter: new line)")))
        rows.append((self.tr("Quick-reply picker"), self.tr("/ at the start of a word in the reply box")))
        rows.append((self.tr("Insert favourite quick reply"), self.tr("Ctrl+1 … Ctrl+9 in the reply box")))
        rows.append((self.tr("Send despite a platform red line (logged)"), self.tr("Ctrl+Shift+Enter")))
        return rows

    def build_menus(self, bar: QMenuBar) -> None:
        view = bar.addMenu(self.tr("&Inbox"))
        view.addActions([self.show_waiting, self.show_all, self.show_closed])
        view.addSeparator()
        view.addActions([self.scope_mine, self.scope_queue, self.scope_all])
        view.addSeparator()
        view.addAction(self.search)
        view.addActions([self.filter_shop, self.filter_label, self.previous, self.next,
                         self.next_waiting, self.reply, self.quick_reply, self.end_chat,
                         self.back_to_inbox])
        view.addSeparator()
        view.addActions([self.transfer, self.claim])
        view.addSeparator()
        view.addAction(self.refresh)
        view.addSeparator()
        view.addAction(self.quit)
        buyer = bar.addMenu(self.tr("&Buyer"))
        buyer.addActions([self.tag_buyer, self.group_buyer, self.buyer_note])
        buyer.addSeparator()
        buyer.addActions([self.remark, self.after_sale])
        buyer.addSeparator()
        buyer.addAction(self.manage_labels)
        pages = bar.addMenu(self.tr("&View"))
        pages.addActions([self.show_chats, self.show_orders, self.show_cases, self.show_team,
                          self.show_dunning, self.show_handover])
        pages.addSeparator()
        pages.addActions([self.deadline_sort, self.dun])
        self.team_menu = bar.addMenu(self.tr("Tea&m"))  # shown to leads only
        self.team_menu.addActions([self.move_chats, self.seat_status_menu, self.release_seat])
        self.team_menu.addSeparator()
        self.team_menu.addActions([self.edit_seat, self.new_seat, self.routing_rules])
        self.team_menu.addSeparator()
        self.team_menu.addAction(self.response_times)
        seat = bar.addMenu(self.tr("S&eat"))
        seat.addActions([self.status_online, self.status_busy, self.status_away, self.status_offline])
        seat.addSeparator()
        seat.addAction(self.switch_seat)
        seat.addSeparator()
        seat.addActions([self.follow_up, self.show_handover, self.hand_over_release, self.shifts])
        notify = bar.addMenu(self.tr("&Notifications"))
        notify.addAction(self.mute_all)
        notify.addSeparator()
        notify.addActions([self.sound, self.tray])
        notify.addSeparator()
        notify.addAction(self.alert_settings)
        tools = bar.addMenu(self.tr("&Tools"))
        tools.addAction(self.add_shop)
        tools.addActions([self.phrase_library, self.red_lines])
        tools.addActions([self.auto_replies, self.dunning_settings])
        tools.addAction(self.plugins)
        tools.addAction(self.manage_labels)
        tools.addAction(self.remark_format)
        tools.addAction(self.webhooks)
        language = tools.addMenu(self.tr("&Language"))
        language.addActions([self.lang_zh, self.lang_en])
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.shortcuts)
        help_menu.addAction(self.customize_keys)
