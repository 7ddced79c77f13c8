"""The sandbox platform: a simulated open platform (server + buyer simulator) and its adapters.

`adapter.TaobaoLikeAdapter` / `adapter.DouyinLikeAdapter` are the plugin entry
points; `server.SandboxServer` / `server.serve_main` run the platform itself.
Nothing is imported here so loading an adapter never pulls in the server.

The wire contract, including the ``/admin/*`` endpoints tests and demos drive
the platform with (ledger with each order's memo/flag and the remark log,
``/admin/set-memo`` for a seller's edit in the platform's own back office,
faults, ticks, injected buyer messages), is documented in `protocol`.
"""
