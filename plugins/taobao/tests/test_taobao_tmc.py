"""Pure parts of the TMC push path (spec 2.7): sorting a consumed batch, the shop's
identity, settings, confirm chunks, and the permission codes."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from desktop.sdk import Rejected
from plugins.taobao.envelope import NoPermission, error_from
from plugins.taobao.fake import FakeSecrets
from plugins.taobao.tmc import ShopIdentity, TmcSettings, chunks, is_order_topic, sort_batch, tid_of

SHOP = ShopIdentity(frozenset({"2201000000001"}), frozenset({"2201000000001", "林家小铺旗舰店"}))
LOG = logging.getLogger("seatdesk.plugin.taobao.test")


def msg(mid: int, topic: str = "taobao_trade_TradeChanged", content: object = None, *,
        user_id: object = 2201000000001, user_nick: object = "林家小铺旗舰店") -> dict[str, Any]:
    body = json.dumps({"tid": 3120000000000000001, "oid": 31200000000000000011}) if content is None else content
    return {"id": mid, "topic": topic, "pub_time": "2024-05-01 10:00:00", "pub_app_key": "12497914",
            "user_id": user_id, "user_nick": user_nick, "content": body}


def test_a_batch_takes_each_order_once_and_confirms_what_it_handled() -> None:
    batch = sort_batch([
        msg(1),
        msg(2, "taobao_refund_RefundCreated", '{"tid": "3120000000000000001", "refund_id": 9}'),
        msg(3, content='{"tid": 3120000000000000002}'),
        msg(4, "taobao_item_ItemUpdate", '{"num_iid": 1}'),
        msg(5, user_id=2209999999999, user_nick="别家小店"),
    ], SHOP, LOG)
    assert batch.tids == ["3120000000000000001", "3120000000000000002"]
    assert batch.confirm == ["1", "2", "3", "4"] and batch.others == 1


@pytest.mark.parametrize("content", ["{not json", "[]", '{"oid": 1}', '{"tid": "T1"}', '{"tid": true}',
                                     '{"tid": null}', 42, None])
def test_a_malformed_order_message_is_confirmed_without_an_order(content: object,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    entry = msg(7, content=content)
    if content is None:
        del entry["content"]
    with caplog.at_level(logging.WARNING):
        batch = sort_batch([entry], SHOP, LOG)
    assert (batch.tids, batch.confirm) == ([], ["7"])
    assert "7" in caplog.text and "no trade id" in caplog.text


def test_entries_without_an_id_or_a_user() -> None:
    batch = sort_batch(["junk", {"topic": "taobao_trade_TradeChanged"}, msg(8, user_id=None, user_nick="")],
                       SHOP, LOG)
    assert batch.confirm == ["8"] and batch.tids == []  # no id: nothing to confirm it by


def test_the_shop_is_known_by_id_or_nick() -> None:
    assert SHOP.owns("2201000000001", "") and SHOP.owns("", "林家小铺旗舰店")
    assert not SHOP.owns("2209999999999", "别家小店") and not SHOP.owns("", "")
    shop = ShopIdentity.of(" shop-1 ", FakeSecrets({"taobao_user_id": "2201000000001",
                                                     "taobao_user_nick": "林家小铺旗舰店"}))
    assert shop == ShopIdentity(frozenset({"shop-1", "2201000000001"}), frozenset({"shop-1", "林家小铺旗舰店"}))
    assert ShopIdentity.of("2201000000001", FakeSecrets()).owns("2201000000001", "")


def test_order_topics() -> None:
    assert is_order_topic("taobao_trade_TradeBuyerPay") and is_order_topic("taobao_refund_RefundSuccess")
    assert not is_order_topic("taobao_item_ItemAdd") and not is_order_topic("")


def test_tid_of() -> None:
    assert tid_of('{"tid": 3120000000000000001}') == "3120000000000000001"  # > 2**53: exact
    assert tid_of('{"tid": "123"}') == "123" and tid_of('{"tid": -1}') is None


def test_settings() -> None:
    assert TmcSettings.read({}) == TmcSettings("default", 100, 1.0)
    assert TmcSettings.read({}).group_param() == {}  # the default group: no group_name sent
    conf = TmcSettings.read({"tmc_group": " shop-a ", "tmc_quantity": "200", "tmc_idle_s": "0.1"})
    assert conf == TmcSettings("shop-a", 200, 0.1) and conf.group_param() == {"group_name": "shop-a"}
    assert TmcSettings.read({"tmc_idle_s": 5}).idle_s == 5.0
    with pytest.raises(Rejected, match="tmc_idle_s"):
        TmcSettings.read({"tmc_idle_s": "nan"})


def test_confirm_chunks_hold_at_most_200_ids() -> None:
    ids = [str(i) for i in range(450)]
    assert [len(c) for c in chunks(ids)] == [200, 200, 50]
    assert [x for c in chunks(ids) for x in c] == ids and list(chunks([])) == []


def test_permission_codes_are_no_permission_rejections() -> None:
    app = error_from({"code": 11, "msg": "Insufficient isv permissions",
                      "sub_code": "isv.permission-api-package-limit", "sub_msg": "scope ids is 11655"}, "x")
    user = error_from({"code": 12, "msg": "Insufficient user permissions"}, "x")
    assert isinstance(app, NoPermission) and isinstance(app, Rejected) and app.app_side
    assert isinstance(user, NoPermission) and not user.app_side
    assert "isv.permission-api-package-limit" in app.reason
