"""One HTML page served on 127.0.0.1, for tests that add an article by URL."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable

from aiohttp import web


@contextlib.asynccontextmanager
async def serve_page(path: str, render: Callable[[], str]) -> AsyncIterator[tuple[str, list[str]]]:
    """Serve ``render()`` (called on each request) at ``path``; yield the URL and the paths requested."""
    hits: list[str] = []

    async def page(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(text=render(), content_type="text/html")

    app = web.Application()
    app.router.add_get(path, page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}{path}", hits
    finally:
        await runner.cleanup()
