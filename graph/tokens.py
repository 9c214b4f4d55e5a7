"""Tokens as OpenAI's models count them: tiktoken over OpenAI's own o200k_base/cl100k_base files, read from the
copies the bpe-openai wheel ships, so nothing is downloaded (tiktoken alone fetches them on first use)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import threading
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

DEFAULT_MODEL = "gpt-4o-mini"
# Models that predate o200k_base; every newer OpenAI model (gpt-4o, gpt-4.1, gpt-5, o1/o3/o4…) uses o200k_base, and
# so does any other name: an OpenAI-compatible server's own tokenizer is unknown here, and o200k is the likeliest.
_CL100K = ("gpt-4", "gpt-3.5", "gpt-35", "text-embedding-")
# What tiktoken's own definitions say (tiktoken_ext/openai_public.py): the hash of OpenAI's file, the pre-tokenizer,
# the special tokens.
_ENCODINGS = {
    "o200k_base": ("446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d", "|".join([
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""", r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""", r"""\s*[\r\n]+""", r"""\s+(?!\S)""", r"""\s+"""]),
        {"<|endoftext|>": 199999, "<|endofprompt|>": 200018}),
    "cl100k_base": ("223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
                    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|"""
                    r"""\s*[\r\n]|\s+(?!\S)|\s""",
                    {"<|endoftext|>": 100257, "<|fim_prefix|>": 100258, "<|fim_middle|>": 100259,
                     "<|fim_suffix|>": 100260, "<|endofprompt|>": 100276}),
}
_LOCK = threading.Lock()


def encoding_name(model: str | None) -> str:
    name = (model or DEFAULT_MODEL).lower().rsplit("/", 1)[-1]  # 'openai/gpt-4o' as routers spell it
    if name.startswith(("gpt-4o", "gpt-4.")) or not name.startswith(_CL100K):
        return "o200k_base"
    return "cl100k_base"


def encoding_file(name: str) -> Path:
    # Found without importing bpe_openai: only its data is used (its own engine would cost twice the memory).
    spec = find_spec("bpe_openai")
    if spec is None or spec.origin is None:
        raise RuntimeError("the bpe-openai package (which ships the tokenizer files) is not installed")
    return Path(spec.origin).parent / "data" / f"{name}.tiktoken.gz"


@lru_cache(maxsize=4)
def _encoding(name: str):
    with _LOCK:  # ~0.3 s and ~60 MB once per process; threads asking at once wait for the one load
        import tiktoken

        expected, pattern, special = _ENCODINGS[name]
        data = gzip.decompress(encoding_file(name).read_bytes())
        if hashlib.sha256(data).hexdigest() != expected:  # the check tiktoken makes after a download
            raise RuntimeError(f"{encoding_file(name)} is not OpenAI's {name}")
        ranks = {base64.b64decode(token): int(rank) for token, rank in (line.split() for line in io.BytesIO(data)
                                                                          if line.strip())}
        del data
        encoding = tiktoken.Encoding(name, pat_str=pattern, mergeable_ranks=ranks, special_tokens=special)
        # tiktoken keeps the Python dict only to pickle the encoding; its Rust core has its own copy: ~30 MB saved.
        encoding._mergeable_ranks = {}
        return encoding


def count(text: str, model: str | None = None) -> int:
    """Tokens of `text` for `model`, special-token look-alikes counted as the plain text they are."""
    return len(_encoding(encoding_name(model)).encode_ordinary(text)) if text else 0


# The chat template around each message (OpenAI's cookbook, for gpt-3.5-turbo onwards): <|start|>role<|message|>
# content<|end|> costs 3 tokens besides the role and content, and the reply is primed with 3 more.
PER_MESSAGE = 3
REPLY_PRIMING = 3


def chat_tokens(messages: list[dict], model: str | None = None) -> int:
    """Prompt tokens of chat messages [{"role", "content"}], template included."""
    return REPLY_PRIMING + sum(PER_MESSAGE + count(m["role"], model) + count(m["content"], model) for m in messages)
