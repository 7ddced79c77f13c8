"""The sandbox platform: a simulated open platform (server + buyer simulator) and its adapters.

`adapter.TaobaoLikeAdapter` / `adapter.DouyinLikeAdapter` are the plugin entry
points; `server.SandboxServer` / `server.serve_main` run the platform itself.
Nothing is imported here so loading an adapter never pulls in the server.
"""
