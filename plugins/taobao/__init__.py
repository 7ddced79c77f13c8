"""Taobao / Tmall (TOP, 淘宝开放平台): the adapter, its wire protocol and a loopback fake."""
