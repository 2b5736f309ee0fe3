"""MCP: the apps' public API operations as Model Context Protocol tools for one world (`mockapps mcp`).

The tools are the evaluation package's tools (`mock_apps.evaluation.tools`: one per OpenAPI operation of each
app), served with the official MCP SDK over stdio or Streamable HTTP. Resources expose each app's normalized
state (the control API's `/state`) read-only.

- `server`: `WorldTools` (a world's toolboxes, built once per world) and `build_server` (the SDK's Server).
- `cli`: `mockapps mcp`.
"""
