"""The add-shop wizard over the real core and the sandbox: form from the adapter's
declared fields, a live connection test (a wrong secret is refused plainly), then
the shop is saved and syncs."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWizard

from desktop.core.views import InboxFilter
from desktop.ui.bridge import Bridge
from desktop.ui.shop_wizard import ShopWizard


@pytest.fixture
def core_and_server(tmp_path):
    from desktop.app import build_core
    from plugins.sandbox.server import SandboxServer

    server = SandboxServer(shops=2, rate=20, seed=41)
    server.start()
    core = build_core(tmp_path, plugins=["sandbox-tb", "sandbox-dy"], memory_secrets=True)
    yield core, server
    core.close()
    server.stop()


def fill(wizard: ShopWizard, shop: dict, url: str, secret: str) -> None:
    page = wizard.credentials_page
    page.shop_key.setText(shop["platform_shop_id"])
    page.shop_name.setText("向导加的店")
    for name, edit in page.fields.items():
        edit.setText(secret if name == "app_secret" else shop["credentials"][name])
    page.setting_fields["base_url"].setText(url)


def test_the_wizard_adds_a_sandbox_shop_that_then_syncs(qtbot, core_and_server):
    core, server = core_and_server
    desk = core.desk
    bridge = Bridge()
    wizard = ShopWizard(desk, bridge)
    qtbot.addWidget(wizard)
    wizard.show()
    shop = server.shops[0]
    names = [wizard.platform_page.list.item(i).text() for i in range(wizard.platform_page.list.count())]
    assert any("沙箱·淘系" in n for n in names) and any("沙箱·抖店" in n for n in names)
    wizard.platform_page.choose(shop["platform"])
    assert "订单" in wizard.platform_page.note.text()
    wizard.next()
    assert wizard.currentId() == ShopWizard.CREDENTIALS
    page = wizard.credentials_page
    assert set(page.fields) == {"app_key", "app_secret", "access_token"}
    assert page.fields["app_secret"].echoMode() == page.fields["app_secret"].EchoMode.Password
    assert not page.isComplete()
    fill(wizard, shop, server.url, "wrong-secret")
    wizard.next()
    check = wizard.check_page
    qtbot.waitUntil(lambda: "…" not in check.result.text(), timeout=10_000)
    assert not check.isComplete() and check.result.text()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    wizard.back()
    fill(wizard, shop, server.url, shop["credentials"]["app_secret"])
    wizard.next()
    qtbot.waitUntil(check.isComplete, timeout=10_000)
    assert "已连接" in check.result.text() or "Connected" in check.result.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.shop_id is not None, timeout=10_000)
    assert [s.name for s in desk.shops()] == ["向导加的店"]
    qtbot.waitUntil(lambda: bool(desk.conversation_ids(InboxFilter())), timeout=30_000)


def test_a_read_only_chat_platform_gets_no_live_composer_and_says_why(qtbot):
    from fake_desk import FakeDesk

    from desktop.sdk import Capability, PlatformInfo
    from desktop.ui.capabilities import capability_summary
    from desktop.ui.chat_panel import ChatPanel
    from desktop.ui.shop_status import ShopStatusStrip

    desk = FakeDesk()
    desk.platforms = {"logonly": PlatformInfo(
        "logonly", "只读平台", (1,), frozenset({Capability.MESSAGES, Capability.ORDERS}),
        limits_note="可读取聊天记录和订单；回复需在平台工具中完成。")}
    desk.add_shop(1, "京选小店", "logonly", "只读平台", "#d7263d")
    desk.add_conversation(1, 1, "jd_买家", "在吗", 1_800_000_000_000)
    panel = ChatPanel(desk, Bridge())
    qtbot.addWidget(panel)
    panel.open_conversation(1)
    assert panel.composer.isReadOnly() and not panel.send_button.isEnabled()
    assert "只读平台" in panel.composer.placeholderText()
    assert "回复需在平台工具中完成" in panel.composer.placeholderText()
    panel.composer.setPlainText("hello")
    panel.send_current()
    assert desk.sent == []
    strip = ShopStatusStrip(desk)
    qtbot.addWidget(strip)
    tip = strip.chips()[0].toolTip()
    assert "聊天记录（只读）" in tip and "回复需在平台工具中完成" in tip
    orders_only = PlatformInfo("x", "X", (1,), frozenset({Capability.ORDERS, Capability.REMARKS}))
    assert "不提供客服聊天" in capability_summary(orders_only)


def test_the_wizard_adds_a_faked_taobao_shop_through_oauth(qtbot, tmp_path):
    from desktop.app import build_core
    from desktop.core.views import OrderFilter
    from plugins.taobao.fake import TaobaoFake

    (tmp_path / "tb").mkdir()
    core = build_core(tmp_path / "tb", plugins=["taobao"], memory_secrets=True)
    try:
        with TaobaoFake() as fake:
            fake.add_orders(5)
            wizard = ShopWizard(core.desk, Bridge())
            qtbot.addWidget(wizard)
            wizard.show()
            wizard.platform_page.choose("taobao")
            assert "淘宝" in wizard.platform_page.note.text() or "千牛" in wizard.platform_page.note.text()
            wizard.next()
            page = wizard.credentials_page
            assert set(page.fields) == {"app_key", "app_secret"}  # the token comes from OAuth
            page.shop_key.setText(fake.platform_shop_id)
            page.shop_name.setText("林家小铺")
            page.fields["app_key"].setText(fake.app_key)
            page.fields["app_secret"].setText(fake.app_secret)
            for name, value in fake.settings().items():
                page.setting_fields[name].setText(str(value))
            wizard.next()
            assert wizard.currentId() == ShopWizard.OAUTH
            oauth = wizard.oauth_page
            assert oauth.url.text().startswith(fake.url) and fake.app_key in oauth.url.text()
            assert not oauth.isComplete()
            oauth.code.setText("not-a-code")
            oauth.exchange()
            qtbot.waitUntil(lambda: "…" not in oauth.result.text(), timeout=10_000)
            assert not oauth.isComplete()
            oauth.code.setText(fake.issue_code())
            oauth.exchange()
            qtbot.waitUntil(oauth.isComplete, timeout=10_000)
            wizard.next()
            qtbot.waitUntil(wizard.check_page.isComplete, timeout=10_000)
            wizard.button(QWizard.WizardButton.FinishButton).click()
            qtbot.waitUntil(lambda: wizard.shop_id is not None, timeout=10_000)
            qtbot.waitUntil(lambda: core.desk.count_orders(OrderFilter()) == 5, timeout=30_000)
            [shop] = core.desk.shops()
            assert shop.platform == "taobao" and shop.name == "林家小铺"
    finally:
        core.close()


def _to_oauth_page(qtbot, core, platform: str, fake) -> ShopWizard:
    wizard = ShopWizard(core.desk, Bridge())
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.platform_page.choose(platform)
    wizard.next()
    page = wizard.credentials_page
    page.shop_key.setText(fake.platform_shop_id)
    page.shop_name.setText("自用店")
    for name, edit in page.fields.items():
        edit.setText(fake.secrets()[name])
    for name, value in fake.settings().items():
        if name in page.setting_fields:
            page.setting_fields[name].setText(str(value))
    wizard.next()
    assert wizard.currentId() == ShopWizard.OAUTH
    return wizard


def _finish(qtbot, core, wizard: ShopWizard, orders: int) -> None:
    from desktop.core.views import OrderFilter

    wizard.next()
    qtbot.waitUntil(wizard.check_page.isComplete, timeout=10_000)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.shop_id is not None, timeout=10_000)
    qtbot.waitUntil(lambda: core.desk.count_orders(OrderFilter()) == orders, timeout=30_000)


def test_a_self_use_doudian_app_gets_its_token_without_a_code(qtbot, tmp_path):
    from desktop.app import build_core
    from plugins.douyin.fake import DouyinFake

    core = build_core(tmp_path, plugins=["douyin"], memory_secrets=True)
    try:
        with DouyinFake() as fake:
            fake.add_orders(3)
            wizard = _to_oauth_page(qtbot, core, "douyin", fake)
            oauth = wizard.oauth_page
            assert oauth.self_button.isVisible() and not oauth.isComplete()
            oauth.self_button.click()
            qtbot.waitUntil(oauth.isComplete, timeout=10_000)
            assert oauth.tokens["refresh_token"] and oauth.tokens["token_expires_at"]
            _finish(qtbot, core, wizard, 3)
    finally:
        core.close()


def test_a_token_from_the_back_office_can_be_pasted_instead_of_a_code(qtbot, tmp_path):
    from desktop.app import build_core
    from plugins.taobao.fake import TaobaoFake

    core = build_core(tmp_path, plugins=["taobao"], memory_secrets=True)
    try:
        with TaobaoFake() as fake:
            fake.add_orders(2)
            wizard = _to_oauth_page(qtbot, core, "taobao", fake)
            oauth = wizard.oauth_page
            assert not oauth.self_button.isVisible()  # TOP has no self-use token call
            assert oauth.token.echoMode() == oauth.token.EchoMode.Password
            oauth.token.setText("not-a-session")
            oauth.use_token()
            assert oauth.isComplete()
            wizard.next()  # the connection test refuses a wrong token plainly
            check = wizard.check_page
            qtbot.waitUntil(lambda: "…" not in check.result.text(), timeout=10_000)
            assert not check.isComplete() and check.result.text()
            wizard.back()
            oauth.token.setText(fake.secrets()["access_token"])
            oauth.use_token()
            _finish(qtbot, core, wizard, 2)
            assert "refresh_token" not in oauth.tokens
    finally:
        core.close()
