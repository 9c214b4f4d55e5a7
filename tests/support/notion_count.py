"""Counting the Notion requests a run sends, where notion-client sends them (every retry is a request of its own)."""

from __future__ import annotations

from collections import Counter

import httpx


class NotionCounter:
    """`with NotionCounter(sb.urls["notion"]) as n:` counts each request to that base URL: `n.total`, `n.routes`
    ('GET /v1/blocks/<id>/children': 3), `n.bodies` (ids whose children were listed) and `n.limited` (429s)."""

    def __init__(self, base_url: str):
        self.base, self.sent, self.limited = base_url, [], 0
        self._send = httpx.Client.send

    def __enter__(self) -> NotionCounter:
        counter = self

        def send(client, request, *args, **kw):
            mine = str(request.url).startswith(counter.base)
            if mine:
                counter.sent.append((request.method, request.url.path))
            response = counter._send(client, request, *args, **kw)
            if mine and response.status_code == 429:
                counter.limited += 1
            return response

        httpx.Client.send = send
        return self

    def __exit__(self, *exc) -> None:
        httpx.Client.send = self._send

    @property
    def total(self) -> int:
        return len(self.sent)

    @property
    def routes(self) -> Counter:
        return Counter(f"{method} {route(path)}" for method, path in self.sent)

    def listed(self) -> list[str]:
        """Ids (dashed as sent) whose children were listed, in order: page bodies, nested blocks, page heads."""
        return [path.split("/")[3] for method, path in self.sent
                if method == "GET" and path.startswith("/v1/blocks/") and path.endswith("/children")]

    def count(self, method: str, prefix: str) -> int:
        return sum(1 for m, path in self.sent if m == method and path.startswith(prefix))


def route(path: str) -> str:
    """'/v1/blocks/<id>/children' from a path with an id in it."""
    return "/".join("<id>" if len(part) >= 32 else part for part in path.split("/"))
