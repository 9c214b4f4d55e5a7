"""The model row: OPENAI_API_KEY and OPENAI_BASE_URL answer a cheap call, or the offline analyzer without a key."""

from __future__ import annotations

from collections.abc import Mapping

import openai

from doctor.rows import Row, fail, ok
from graph.configuration import Configuration

MODEL = "Model"
KEYS = "https://platform.openai.com/api-keys"
NO_MODELS_ROUTE = (404, 405, 501)  # servers that do not list models (some OpenAI-compatible ones): ask the model itself
TIMEOUT_S = 15.0


def check_model(cfg: Configuration, env: Mapping[str, str]) -> list[Row]:
    if (env.get("POSTMORTEM_OFFLINE") or "").strip().lower() in ("1", "true", "yes", "on"):
        return [ok(MODEL, "offline analyzer (POSTMORTEM_OFFLINE is set)")]
    if not cfg.openai_api_key:
        return [ok(MODEL, "offline analyzer (no OPENAI_API_KEY): reports are drafted without a model")]
    # No retries: one answer says whether the key and the address work; the run's own client retries.
    client = openai.OpenAI(api_key=cfg.openai_api_key, base_url=cfg.openai_base_url or None, max_retries=0,
                           timeout=min(cfg.http_timeout_s, TIMEOUT_S))
    where = f"{cfg.openai_model} at {client.base_url}".rstrip("/")
    try:
        try:
            listed = [m.id for m in client.models.list()]
        except openai.APIStatusError as exc:
            if exc.status_code not in NO_MODELS_ROUTE:
                raise
            listed = None
        if listed is None:  # the smallest call that proves the key, the address and the model together
            client.chat.completions.create(model=cfg.openai_model, max_tokens=1,
                                           messages=[{"role": "user", "content": "ping"}])
            return [ok(MODEL, f"{where} answered")]
    except openai.APIStatusError as exc:
        return [fail(MODEL, *_failure(exc, cfg))]
    except openai.APIConnectionError as exc:
        return [fail(MODEL, f"could not reach {client.base_url} ({type(exc.__cause__ or exc).__name__})",
                     "Check OPENAI_BASE_URL (unset means https://api.openai.com/v1) and that this machine can reach "
                     "it; or unset OPENAI_API_KEY to use the offline analyzer")]
    if listed and not _offered(cfg.openai_model, listed):
        shown = ", ".join(sorted(listed)[:8]) + (" …" if len(listed) > 8 else "")
        return [fail(MODEL, f"the server does not offer OPENAI_MODEL {cfg.openai_model!r}",
                     f"Set OPENAI_MODEL to a model it offers: {shown}")]
    return [ok(MODEL, f"{where}: key accepted, model offered")]


def _offered(model: str, listed: list[str]) -> bool:
    # Ollama lists "llama3:latest" and answers to "llama3".
    return model in listed or f"{model}:latest" in listed


def _failure(exc: openai.APIStatusError, cfg: Configuration) -> tuple[str, str]:
    status = exc.status_code
    code = (exc.body or {}).get("code") if isinstance(exc.body, dict) else None
    if status == 401:
        return ("the model server refused OPENAI_API_KEY (401)",
                f"Create a key at {KEYS} (or your server's) and put it in OPENAI_API_KEY; or unset it to use the "
                f"offline analyzer")
    if status == 403:
        return ("the key may not use this model or project (403)",
                "Give the key's project access to the model, or set OPENAI_MODEL to one it may use")
    if status == 404:
        return (f"no model {cfg.openai_model!r} there (404)",
                "Set OPENAI_MODEL to a model the server offers, and check OPENAI_BASE_URL ends in /v1")
    if status == 429:
        return (f"rate-limited or out of quota (429{' ' + code if code else ''})",
                "Check the account's billing and limits, then run postmortem doctor again")
    return (f"the model server answered {status}",
            "The server is having trouble; run postmortem doctor again in a few minutes, or unset OPENAI_API_KEY "
            "to use the offline analyzer")
