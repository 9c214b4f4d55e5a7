"""A local OpenAI-compatible chat-completions server that answers with queued canned responses, for tests."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StubOpenAI:
    """POST /v1/chat/completions on 127.0.0.1; records every request body; answers from a queue (500 when empty).

    Answers take the shape the request asks for: a tool call when the request sends `tools`
    (method="function_calling"), otherwise message.content (method="json_schema" / plain chat).
    """

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.usages: list[dict] = []
        self._queue: deque[tuple] = deque()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def enqueue_json(self, obj) -> None:
        self._queue.append(("answer", json.dumps(obj)))

    def enqueue_text(self, text: str) -> None:
        self._queue.append(("answer", text))

    def enqueue_error(self, status: int = 500, message: str = "stub server error") -> None:
        self._queue.append(("error", status, message))

    @property
    def calls(self) -> int:
        return len(self.requests)

    @property
    def base_url(self) -> str:
        assert self._server, "stub not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> StubOpenAI:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self))
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> StubOpenAI:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def answer(self, raw: bytes) -> tuple[int, dict]:
        body = json.loads(raw or b"{}")
        with self._lock:
            self.requests.append(body)
            canned = self._queue.popleft() if self._queue else ("error", 500, "stub: no canned response queued")
        if canned[0] == "error":
            return canned[1], {"error": {"message": canned[2], "type": "server_error", "code": None}}
        usage = {"prompt_tokens": max(1, len(raw) // 4), "completion_tokens": max(1, len(canned[1]) // 4)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        with self._lock:
            self.usages.append(usage)
        return 200, completion(body, canned[1], usage)


def completion(body: dict, payload: str, usage: dict) -> dict:
    message: dict = {"role": "assistant", "content": payload}
    finish = "stop"
    if body.get("tools"):
        choice = body.get("tool_choice")
        name = choice["function"]["name"] if isinstance(choice, dict) else body["tools"][0]["function"]["name"]
        call = {"id": "call_stub_1", "type": "function", "function": {"name": name, "arguments": payload}}
        message, finish = {"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls"
    return {
        "id": f"chatcmpl-stub-{len(payload)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "stub"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": usage,
    }


def make_handler(stub: StubOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path.rstrip("/") != "/v1/chat/completions":
                return self.send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            status, payload = stub.answer(raw)
            self.send_json(status, payload)

        def send_json(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            # Lets the OpenAI client's one retry happen at once instead of after its back-off.
            self.send_header("retry-after-ms", "1")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    return Handler
