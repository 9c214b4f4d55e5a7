"""Twenty people asking at once: every request is acknowledged, queued for a bounded pool, and answered."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sandbox.server import Sandbox
from tests.support.bot import bot_pages, bot_parents, final_reply, running_bot, wait_done, wait_until

N, WORKERS, INCIDENTS = 20, 4, 5


def test_twenty_simultaneous_commands_are_all_acked_queued_and_completed(tmp_path):
    with Sandbox() as sb, running_bot(sb, tmp_path, POSTMORTEM_WORKERS=str(WORKERS)) as (bot, drv):
        pages = len(bot_pages(sb))
        texts = [f"summer25 wave {i % INCIDENTS}" for i in range(N)]
        with ThreadPoolExecutor(N) as pool:
            acks = list(pool.map(lambda t: drv.slash_command("stefan", "incidents", t), texts))
        assert [a.status for a in acks] == [200] * N and all(a.body == "" for a in acks)
        stats = wait_done(bot, N)
        parents = bot_parents(drv, "incidents")
        assert len(parents) == N
        finals = [final_reply(drv, "incidents", p["ts"])["text"] for p in parents]
        assert all(f.startswith("Post-mortem ") for f in finals)
        # Same incident, same page: five incidents make five pages however the twenty runs interleave.
        assert sum(f.startswith("Post-mortem created") for f in finals) == INCIDENTS
        assert len(bot_pages(sb)) == pages + INCIDENTS
        assert 1 <= stats["peak_running"] <= WORKERS


def test_stopping_with_a_queue_tells_every_waiting_thread_instead_of_going_silent(tmp_path):
    with Sandbox() as sb, running_bot(sb, tmp_path, POSTMORTEM_WORKERS="1") as (bot, drv):
        for i in range(6):
            assert drv.slash_command("mike", "general", f"summer25 restart {i}").status == 200
        wait_until(lambda: len(bot_parents(drv, "general")) == 6, what="six parents")
        bot.stop()  # a deploy restarts the bot while requests are still queued
        finals = [final_reply(drv, "general", p["ts"])["text"] for p in bot_parents(drv, "general")]
    assert all(f.startswith("Post-mortem ") or "restarted before I could start" in f for f in finals)
    assert any(f.startswith("Post-mortem ") for f in finals)
