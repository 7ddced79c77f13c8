"""Platforms that keep buyer tags (Capability.BUYER_TAGS, e.g. Shopify): SeatDesk tag
changes go to the platform through the outbox; the platform's tags arrive as tags."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import pytest
from fakes import FakeAdapter, FakePlatform, msg, order
from test_engine import wait_for

from desktop.core import buyers
from desktop.core.desk import Desk
from desktop.core.engine import EngineRunner
from desktop.core.ingest import Ingestor
from desktop.core.registry import Registry
from desktop.core.secrets import MemoryKeyring, SecretStore
from desktop.core.shops import save_shop
from desktop.core.views import InboxFilter
from desktop.sdk import Capability, SetBuyerTags


class TaggingAdapter(FakeAdapter):
    info = dataclasses.replace(FakeAdapter.info, platform_id="tagger",
                               capabilities=FakeAdapter.info.capabilities | {Capability.BUYER_TAGS})
    received: ClassVar[list[SetBuyerTags]] = []

    async def set_buyer_tags(self, cmd: SetBuyerTags) -> None:
        self.received.append(cmd)


@pytest.fixture
def desk(db):
    FakeAdapter.platform = FakePlatform(messages=[msg(1, buyer="cust-9")])
    TaggingAdapter.received = []
    secrets = SecretStore(MemoryKeyring())
    save_shop(db, secrets, platform="tagger", platform_shop_id="s1", name="店", credentials={})
    runner = EngineRunner(db, Registry.of(TaggingAdapter), secrets, poll_interval=0.05)
    runner.start()
    yield Desk(db, runner.registry, runner, "小王")
    runner.stop()


def test_tag_changes_reach_the_platform_through_the_outbox(desk):
    conv = wait_for(lambda: desk.conversation_ids(InboxFilter()))[0]
    buyer = desk.conversation_rows([conv])[conv].buyer_id
    desk.add_labels([buyer], "tag", ["VIP"]).result(5)
    desk.add_labels([buyer], "group", ["老客"]).result(5)  # groups stay local
    wait_for(lambda: TaggingAdapter.received)
    [added] = TaggingAdapter.received
    assert (added.buyer_id, added.add, added.remove) == ("cust-9", ("VIP",), ())
    tag = next(r for r in desk.labels("tag") if r.name == "VIP")
    desk.remove_label([buyer], tag.id).result(5)
    wait_for(lambda: len(TaggingAdapter.received) == 2)
    assert TaggingAdapter.received[1].remove == ("VIP",)


def test_the_platforms_buyer_tags_arrive_as_tags(db):
    from desktop.core.models import Shop

    with db.begin() as conn:
        conn.execute(Shop.__table__.insert().values(
            id=1, platform="tagger", platform_shop_id="s1", name="店", color="#000", enabled=True,
            settings_json="{}", secret_ref="", health="connecting", health_detail=""))
    event = dataclasses.replace(order("o1", buyer="cust-9"), extra={"buyer_tags": "wholesale, VIP"})
    Ingestor(db).ingest_orders(1, "tagger", [event])
    assert sorted((r.name, r.buyers) for r in buyers.labels(db, "tag")) == [("VIP", 1), ("wholesale", 1)]


def test_a_refused_tag_change_shows_on_the_buyer_until_a_retry_delivers_it(desk):
    from desktop.sdk import Rejected

    conv = wait_for(lambda: desk.conversation_ids(InboxFilter()))[0]
    buyer = desk.conversation_rows([conv])[conv].buyer_id
    refusals = ["customer tag too long (Shopify userErrors)"]

    async def refuse_once(self, cmd):
        if refusals:
            raise Rejected(refusals.pop())
        TaggingAdapter.received.append(cmd)

    original = TaggingAdapter.set_buyer_tags
    TaggingAdapter.set_buyer_tags = refuse_once
    try:
        assert desk.buyer_profile(conv).tag_sync is None
        desk.add_labels([buyer], "tag", ["VIP"]).result(5)
        sync = wait_for(lambda: (s := desk.buyer_profile(conv).tag_sync) and s.failed and s)
        assert sync.pending == 0 and "too long" in sync.error and len(sync.outbox_ids) == 1
        assert not TaggingAdapter.received
        desk.retry_outbox(sync.outbox_ids[0]).result(5)
        wait_for(lambda: TaggingAdapter.received)
        wait_for(lambda: desk.buyer_profile(conv).tag_sync is None)
        assert [c.add for c in TaggingAdapter.received] == [("VIP",)]  # once
    finally:
        TaggingAdapter.set_buyer_tags = original
