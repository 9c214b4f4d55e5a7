"""Acting as Slack toward the bot from tests and the demo: a thread-safe face over sandbox/slack/deliver.py."""

from __future__ import annotations

import json

from sandbox.slack import deliver, payloads
from sandbox.slack.deliver import Delivery, Target
from sandbox.slack.render import render_message
from sandbox.slack.socket import hub_of

__all__ = ["Delivery", "SlackDriver"]


class SlackDriver:
    """Plays Slack (and its users) toward a bot. `bot_url` is the bot's Request URL, e.g. .../slack/events."""

    def __init__(self, sandbox, bot_url: str | None = None, ack_timeout: float = 3.0):
        self.sb, self.bot_url, self.ack_timeout = sandbox, bot_url, ack_timeout
        self.state = sandbox.state("slack")
        self.hub = hub_of(sandbox)

    # --- what users do ---------------------------------------------------------------------------------
    def slash_command(self, user: str, channel: str, text: str, command: str = "/postmortem", via: str = "http",
                      bot_url: str | None = None, bad_signature: bool = False, stale: bool = False) -> Delivery:
        u, c = self._user(user), self._chan(channel)
        target = self._target(via, bot_url, bad_signature, stale)
        return self.sb.call(lambda: deliver.slash_command(self.hub, u, c, command, text, via, target))

    def slash_command_to_each(self, user: str, channel: str, text: str, bot_urls: list[str],
                              command: str = "/postmortem") -> list[Delivery]:
        """The same slash command delivery sent to every URL (instances behind one load balancer)."""
        u, c = self._user(user), self._chan(channel)
        targets = [self._target("http", url, False, False) for url in bot_urls]
        return self.sb.call(lambda: deliver.slash_command_retried(self.hub, u, c, command, text, targets))

    def mention(self, user: str, channel: str, text: str, thread_ts: str | None = None, via: str = "http",
                retry: int = 0, bot_url: str | None = None, bad_signature: bool = False,
                stale: bool = False) -> Delivery:
        """Post the user's message (prefixed with the bot's <@mention> if missing), then send app_mention."""
        u, c = self._user(user), self._chan(channel)
        if u.id not in c.members:
            raise ValueError(f"{u.name} is not a member of #{c.name} and cannot post there")
        tag = f"<@{self.state.bot_user_id}>"
        text = text if tag in text else f"{tag} {text}"
        target = self._target(via, bot_url, bad_signature, stale) if self.state.bot_user_id in c.members else None

        async def post_and_deliver():
            msg = self.state.post(c.id, u.id, text, self.sb.ctx.now(), thread_ts=thread_ts, bot=False)
            return await deliver.app_mention(self.hub, u, c, msg, via, target or Target(), retry)

        return self.sb.call(post_and_deliver)

    def event(self, event: dict, via: str = "http", retry: int = 0, bot_url: str | None = None,
              bad_signature: bool = False, stale: bool = False) -> Delivery:
        """Deliver any event in an event_callback; retry=N sends it N more times as Slack's retries would."""
        target = self._target(via, bot_url, bad_signature, stale)
        return self.sb.call(lambda: deliver.event_callback(self.hub, event, via, target, retry))

    def url_verification(self, bot_url: str | None = None) -> Delivery:
        """The challenge Slack sends when a Request URL is saved; acked means the bot echoed it back."""
        payload = payloads.url_verification()
        target = self._target("http", bot_url, False, False)
        d = self.sb.call(lambda: deliver.http(self.hub, target, payload, json.dumps(payload).encode(),
                                              "application/json"))
        challenge = payload["challenge"]
        try:
            echoed = json.loads(d.body).get("challenge") if d.content_type == "application/json" else d.body.strip()
        except (json.JSONDecodeError, AttributeError):
            echoed = None
        d.acked = d.acked and echoed == challenge
        return d

    # --- what the bot did ------------------------------------------------------------------------------
    def thread_messages(self, channel: str, ts: str) -> list[dict]:
        """The thread as conversations.replies shows it: parent first ([] if no such message)."""
        c = self._chan(channel)
        return self._on_loop(lambda: [render_message(self.state, c, m, in_thread=True)
                                      for m in self.state.thread(c.id, ts)])

    def channel_messages(self, channel: str) -> list[dict]:
        """Channel history, oldest first."""
        c = self._chan(channel)
        return self._on_loop(lambda: [render_message(self.state, c, m) for m in self.state.messages(c.id)])

    def ephemerals(self, user: str | None = None) -> list[dict]:
        """Ephemeral messages (chat.postEphemeral, command answers), optionally only those one user saw."""
        uid = self._user(user).id if user else None
        return self._on_loop(lambda: [dict(e) for e in self.state.ephemeral if uid is None or e["user"] == uid])

    def response_url_messages(self) -> list[dict]:
        """Every body the bot posted to a response_url: {source, response_url_id, channel, user, body}."""
        return self._on_loop(lambda: [dict(r) for r in self.hub.responses.log if r["source"] == "response_url"])

    @property
    def acks(self) -> list[dict]:
        """Socket Mode acks received: {envelope_id, type, retry_attempt, latency, payload}."""
        return list(self.hub.acks)

    def close_sockets(self) -> None:
        """Close every Socket Mode connection from Slack's side (stops a client's blocking read at once)."""
        self.sb.call(lambda: self.hub.close_all(None))

    # --- transport -------------------------------------------------------------------------------------
    def _target(self, via: str, bot_url, bad_sig: bool, stale: bool) -> Target:
        if via == "socket":
            return Target()
        url = bot_url or self.bot_url or self.sb.ctx.bot_url
        if not url:
            raise ValueError("no bot URL: pass bot_url or set sandbox.ctx.bot_url")
        return Target(url, self.ack_timeout, bad_sig, stale)

    def _on_loop(self, fn, *args):
        async def run():
            return fn(*args)

        return self.sb.call(run)

    def _user(self, ref: str):
        u = self.state.users.get(ref) or self.state.user_by_name(ref.lstrip("@"))
        if u is None:
            raise ValueError(f"no Slack user {ref!r}")
        return u

    def _chan(self, ref: str):
        c = self.state.channel(ref)
        if c is None:
            raise ValueError(f"no Slack channel {ref!r}")
        return c
