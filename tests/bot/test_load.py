"""Twenty people asking at once: every request is acknowledged, queued for a bounded pool, and answered."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sandbox.server import Sandbox
from tests.support.bot import bot_pages, bot_parents, final_reply, replies, running_bot, wait_done, wait_until

N, WORKERS, INCIDENTS = 20, 4, 5


def test_twenty_simultaneous_commands_are_all_acked_queued_and_completed(tmp_path):
    with Sandbox() as sb, running_bot(sb, tmp_path, POSTMORTEM_WORKERS=str(WORKERS)) as (bot, drv):
        pages = len(bot_pages(sb))
        texts = [f"summer25 wave {i % INCIDENTS}" for i in range(N)]
        with ThreadPoolExecutor(N) as pool:
            acks = list(pool.map(lambda t: drv.slash_command("stefan", "incidents", t), texts))
        assert [a.status for a in acks] == [200] * N and all(a.body == "" for a in acks)
        stats = wait_done(bot, N, timeout=240)  # twenty whole runs on two busy cores: a guard, not a target
        parents = bot_parents(drv, "incidents")
        assert len(parents) == N
        finals = [final_reply(drv, "incidents", p["ts"])["text"] for p in parents]
        assert all(f.startswith("Post-mortem ") for f in finals)
        # Same incident, same page: five incidents make five pages however the twenty runs interleave.
        assert sum(f.startswith("Post-mortem created") for f in finals) == INCIDENTS
        assert len(bot_pages(sb)) == pages + INCIDENTS
        assert 1 <= stats["peak_running"] <= WORKERS


def test_a_restart_with_a_queue_writes_every_waiting_post_mortem_once(tmp_path):
    texts = [f"summer25 restart {i}" for i in range(6)]
    with Sandbox() as sb:
        pages = len(bot_pages(sb))
        with running_bot(sb, tmp_path, POSTMORTEM_WORKERS="1") as (bot, drv):
            for text in texts:
                assert drv.slash_command("mike", "general", text).status == 200
            wait_until(lambda: len(bot_parents(drv, "general")) == 6, what="six parents")
            bot.stop()  # a deploy restarts the bot while requests are still queued
            parents = bot_parents(drv, "general")
            said = {p["ts"]: " ".join(m["text"] for m in replies(drv, "general", p["ts"])) for p in parents}
        waiting = [ts for ts, text in said.items() if "I'll write it as soon as I'm back" in text]
        assert waiting, "with one worker, some requests were still queued at the restart"
        with running_bot(sb, tmp_path, POSTMORTEM_WORKERS="1") as (_, drv):  # the next process, same store
            finals = {p["ts"]: wait_until(lambda ts=p["ts"]: [m for m in replies(drv, "general", ts)
                                                              if m["text"].startswith("Post-mortem ")],
                                          what="every post-mortem written") for p in parents}
            for ts in waiting:
                assert any("picking this post-mortem up" in m["text"] for m in replies(drv, "general", ts))
        assert all(len(f) == 1 for f in finals.values())  # each written once, never twice
        assert len(bot_pages(sb)) == pages + len(texts)
