"""The model row: a key and base URL that answer, one that is refused or unreachable, or the offline analyzer."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from doctor.model import check_model
from graph.configuration import Configuration
from tests.support.stub_openai import StubOpenAI


def cfg(**kw) -> Configuration:
    return Configuration(**({"openai_api_key": "", "openai_base_url": "", "openai_model": "gpt-4o-mini"} | kw))


def test_no_key_means_the_offline_analyzer_and_passes():
    (good,) = check_model(cfg(), {})
    assert (good.status, good.detail) == ("ok", "offline analyzer (no OPENAI_API_KEY): reports are drafted "
                                                "without a model")
    (forced,) = check_model(cfg(openai_api_key="sk-test"), {"POSTMORTEM_OFFLINE": "1"})
    assert (forced.status, forced.detail) == ("ok", "offline analyzer (POSTMORTEM_OFFLINE is set)")


def test_a_key_the_server_accepts_passes():
    with StubOpenAI() as stub:
        stub.enqueue_text("pong")
        (good,) = check_model(cfg(openai_api_key="sk-test", openai_base_url=stub.base_url), {})
        assert good.status == "ok" and good.detail == f"gpt-4o-mini at {stub.base_url} answered"
        assert stub.requests[0]["max_tokens"] == 1, "the smallest call there is"


def test_a_key_the_server_refuses_fails_with_where_to_get_one():
    with StubOpenAI() as stub:
        stub.enqueue_error(401, "Incorrect API key provided")
        (bad,) = check_model(cfg(openai_api_key="sk-wrong", openai_base_url=stub.base_url), {})
        assert (bad.status, bad.detail) == ("fail", "the model server refused OPENAI_API_KEY (401)")
        assert "OPENAI_API_KEY" in bad.fix and "offline analyzer" in bad.fix
        assert stub.calls == 1, "no retries: one answer says it"


def test_an_unreachable_base_url_fails():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/v1"  # bound, not listening: refused
        (bad,) = check_model(cfg(openai_api_key="sk-test", openai_base_url=url), {})
    assert bad.status == "fail" and bad.detail.startswith(f"could not reach {url}")
    assert "OPENAI_BASE_URL" in bad.fix


class Lister(BaseHTTPRequestHandler):
    """An OpenAI-compatible server that lists its models (as Ollama and vLLM do) for one key."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.headers.get("Authorization") != "Bearer sk-good":
            status, body = 401, {"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}}
        else:
            status, body = 200, {"object": "list", "data": [
                {"id": name, "object": "model", "created": 0, "owned_by": "local"}
                for name in ("llama3:latest", "qwen2.5:7b")]}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def lister():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Lister)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("key", "model", "status", "detail"), [
    ("sk-good", "llama3", "ok", "key accepted, model offered"),
    ("sk-good", "gpt-4o-mini", "fail", "the server does not offer OPENAI_MODEL 'gpt-4o-mini'"),
    ("sk-bad", "llama3", "fail", "the model server refused OPENAI_API_KEY (401)"),
])
def test_a_server_that_lists_its_models_is_asked_for_the_list_only(lister, key, model, status, detail):
    (got,) = check_model(cfg(openai_api_key=key, openai_base_url=lister, openai_model=model), {})
    assert got.status == status and got.detail.endswith(detail)
    if model == "gpt-4o-mini":
        assert got.fix == "Set OPENAI_MODEL to a model it offers: llama3:latest, qwen2.5:7b"
