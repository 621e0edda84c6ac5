"""A scripted OpenAI-compatible chat completions server on 127.0.0.1 that records every request."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

ReplyKind = Literal["answer", "status", "hang", "empty_choices", "cut_stream", "malformed"]


@dataclass(frozen=True)
class Reply:
    """One scripted response; build it with the class methods."""

    kind: ReplyKind
    text: str = ""
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    finish_reason: str = "stop"

    @classmethod
    def answer(cls, text: str, *, finish_reason: str = "stop") -> Reply:
        """A normal completion (JSON, or SSE when the request asks to stream)."""
        return cls("answer", text=text, finish_reason=finish_reason)

    @classmethod
    def error(cls, status: int, *, headers: Mapping[str, str] | None = None, message: str = "scripted error") -> Reply:
        """An HTTP error with an OpenAI-style JSON error body."""
        return cls("status", text=message, status=status, headers=dict(headers or {}))

    @classmethod
    def rate_limited(cls, retry_after: str = "0.05") -> Reply:
        """429 with a ``retry-after`` header, in seconds."""
        return cls.error(429, headers={"retry-after": retry_after}, message="Rate limit reached")

    @classmethod
    def server_error(cls, *, retry_after_ms: str = "10") -> Reply:
        """500, with a short ``retry-after-ms`` so tests stay fast."""
        return cls.error(500, headers={"retry-after-ms": retry_after_ms}, message="The server had an error")

    @classmethod
    def hang(cls, seconds: float = 5.0) -> Reply:
        """Say nothing for ``seconds`` (past the client's timeout), then answer."""
        return cls("hang", text="too late [1].", seconds=seconds)

    @classmethod
    def empty_choices(cls) -> Reply:
        """A 200 completion whose ``choices`` list is empty."""
        return cls("empty_choices")

    @classmethod
    def cut_stream(cls, text: str) -> Reply:
        """Stream the first half of ``text``, then drop the connection before ``[DONE]``."""
        return cls("cut_stream", text=text)

    @classmethod
    def malformed(cls) -> Reply:
        """A 200 with a JSON content type and a body that is not JSON."""
        return cls("malformed")


@dataclass(frozen=True)
class RecordedRequest:
    """What the server received: path, headers (lower-case names), raw body and parsed JSON."""

    path: str
    headers: dict[str, str]
    raw: str
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The chat messages of the request."""
        return list(self.body.get("messages", []))

    def message_text(self) -> str:
        """Every message's content joined, for substring assertions."""
        return "\n".join(str(m.get("content", "")) for m in self.messages)


class FakeOpenAIServer:
    """Serves ``/v1/chat/completions`` from a queue of scripted replies; 401 when the key is wrong."""

    def __init__(self, expected_key: str, *, chunk_chars: int = 12) -> None:
        self.expected_key = expected_key
        self.chunk_chars = chunk_chars
        self.requests: list[RecordedRequest] = []
        self._replies: deque[Reply] = deque()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._served = 0

    @property
    def base_url(self) -> str:
        """The ``base_url`` to give the openai client."""
        return f"http://127.0.0.1:{self._port}/v1"

    def script(self, *replies: Reply) -> None:
        """Queue ``replies``; each request takes the next one."""
        self._replies.extend(replies)

    @property
    def pending(self) -> int:
        """Scripted replies not used yet."""
        return len(self._replies)

    async def start(self) -> None:
        """Listen on a random port of 127.0.0.1."""
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat_completions)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Release hanging handlers and close the server."""
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeOpenAIServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _chat_completions(self, request: web.Request) -> web.StreamResponse:
        raw = await request.text()
        try:
            body = json.loads(raw)
        except ValueError:
            body = {}
        self.requests.append(
            RecordedRequest(
                path=request.path,
                headers={k.lower(): v for k, v in request.headers.items()},
                raw=raw,
                body=body if isinstance(body, dict) else {},
            )
        )
        if request.headers.get("Authorization") != f"Bearer {self.expected_key}":
            given = request.headers.get("Authorization", "").removeprefix("Bearer ")
            # Echo the key as some providers do, so tests can check it never reaches our messages or logs.
            return _error_response(401, f"Incorrect API key provided: {given}", "invalid_api_key", {})
        if not self._replies:
            return _error_response(400, "fake server: no scripted reply left", "no_script", {"x-should-retry": "false"})
        reply = self._replies.popleft()
        stream = bool(body.get("stream")) if isinstance(body, dict) else False
        model = str(body.get("model", "fake")) if isinstance(body, dict) else "fake"
        self._served += 1
        if reply.kind == "status":
            return _error_response(reply.status, reply.text, "scripted", reply.headers)
        if reply.kind == "malformed":
            return web.Response(text='{"id": "chatcmpl-broken", "choices": [', content_type="application/json")
        if reply.kind == "hang":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), reply.seconds)
            return web.json_response(self._completion(model, reply.text, "stop"))
        if reply.kind == "empty_choices":
            if stream:
                return await self._sse(request, [self._chunk(model, None, None, empty=True)], done=True)
            payload = self._completion(model, "", "stop")
            payload["choices"] = []
            return web.json_response(payload)
        if reply.kind == "cut_stream":
            chunks = self._chunks(model, reply.text, None)
            return await self._sse(request, chunks[: max(1, len(chunks) // 2)], done=False, abort=True)
        if stream:
            return await self._sse(request, self._chunks(model, reply.text, reply.finish_reason), done=True)
        return web.json_response(self._completion(model, reply.text, reply.finish_reason))

    def _completion(self, model: str, text: str, finish_reason: str) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-fake-{self._served}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": finish_reason,
                    "logprobs": None,
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }

    def _chunk(self, model: str, content: str | None, finish_reason: str | None, *, empty: bool = False) -> str:
        choices: list[dict[str, Any]] = []
        if not empty:
            delta: dict[str, Any] = {} if content is None else {"content": content}
            choices.append({"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None})
        return json.dumps(
            {
                "id": f"chatcmpl-fake-{self._served}",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": choices,
            }
        )

    def _chunks(self, model: str, text: str, finish_reason: str | None) -> list[str]:
        pieces = [text[i : i + self.chunk_chars] for i in range(0, len(text), self.chunk_chars)]
        chunks = [self._chunk(model, piece, None) for piece in pieces]
        if finish_reason is not None:
            chunks.append(self._chunk(model, None, finish_reason))
        return chunks

    async def _sse(
        self, request: web.Request, chunks: list[str], *, done: bool, abort: bool = False
    ) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        await response.prepare(request)
        for chunk in chunks:
            await response.write(f"data: {chunk}\n\n".encode())
            await asyncio.sleep(0)
        if abort:
            # Drop the connection mid-body: the chunked response never terminates and [DONE] never comes.
            assert request.transport is not None
            request.transport.abort()
            return response
        if done:
            await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response


def _error_response(status: int, message: str, code: str, headers: Mapping[str, str]) -> web.Response:
    body = {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}}
    return web.json_response(body, status=status, headers=dict(headers))
