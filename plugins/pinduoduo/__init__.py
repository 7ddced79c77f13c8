"""Pinduoduo (拼多多开放平台): orders, seller notes with tags and OAuth over the open API,
and order push through the PMC message service (a WebSocket, `pmc`).

`adapter.PinduoduoAdapter` is the plugin entry point. `fake.PinduoduoFake` is a
loopback fake of the gateway (with `fake_pmc.PmcFake`, the message service) built
from the same published specification, for tests only. Nothing is imported here, so
loading the adapter never pulls in the fake.
"""
