"""Pinduoduo (拼多多开放平台): orders, seller notes with tags and OAuth over the open API.

`adapter.PinduoduoAdapter` is the plugin entry point. `fake.PinduoduoFake` is a
loopback fake of the gateway built from the same published specification, for
tests only. Nothing is imported here, so loading the adapter never pulls in the fake.
"""
