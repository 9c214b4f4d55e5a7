"""Tokens are counted with OpenAI's own encodings, shipped in a package: exact, and with no network at all."""

from __future__ import annotations

import gzip
import hashlib
import socket
from importlib.util import find_spec
from pathlib import Path

import pytest

from graph import tokens
from graph.tokens import chat_tokens, count, encoding_name

# The SHA-256 of OpenAI's published files (tiktoken checks the same hashes after downloading them).
OPENAI_FILES = {"o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
                "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"}


@pytest.mark.parametrize("name", OPENAI_FILES)
def test_the_bundled_encodings_are_byte_for_byte_openai_s(name):
    data = gzip.decompress((Path(find_spec("bpe_openai").origin).parent / "data" / f"{name}.tiktoken.gz").read_bytes())
    assert hashlib.sha256(data).hexdigest() == OPENAI_FILES[name]


def test_counting_works_with_the_network_cut_off(monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("network is unreachable (test)")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    tokens._encoding.cache_clear()  # load the encoding again, now without any network
    assert count("hello world") == 2
    assert count("SUMMER25 promo code rejected at checkout") == 8
    assert count("<|endoftext|>") == 7  # a special token's look-alike in evidence is plain text, not a control token
    assert count("") == 0


def test_each_model_gets_its_encoding():
    for model in ("gpt-4o", "gpt-4o-mini", "gpt-4.1-mini", "o3-mini", "gpt-5", "openai/gpt-4o", "llama3.1", None):
        assert encoding_name(model) == "o200k_base", model
    for model in ("gpt-4", "gpt-4-turbo", "gpt-3.5-turbo"):
        assert encoding_name(model) == "cl100k_base", model
    text = "naïve café — 東京 ✓"
    assert count(text, "gpt-4o") != count(text, "gpt-4")  # different vocabularies, different counts


def test_chat_messages_cost_their_template_too():
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello world"}]
    # <|start|>role<|message|>content<|end|> per message (3 + role), and 3 to prime the reply
    assert chat_tokens(messages) == 3 + (3 + count("system") + count("Be brief.")) + (3 + count("user") + 2)
