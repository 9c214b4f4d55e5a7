"""Acting as Slack toward the bot from tests and the demo: a thread-safe face over sandbox/slack/deliver.py."""

from __future__ import annotations

import copy
import json

from sandbox.slack import deliver, interact, payloads
from sandbox.slack.deliver import Delivery, Target
from sandbox.slack.render import render_message
from sandbox.slack.socket import hub_of
from sandbox.slack.views import views_of

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

    # --- buttons and modals ----------------------------------------------------------------------------
    def click(self, user: str, channel: str, ts: str, action_id: str, value: str | None = None, via: str = "http",
              bot_url: str | None = None) -> Delivery:
        """Click the button `action_id` (and `value`, when several share it) in a message or in an ephemeral
        message the user sees; ValueError when there is no such button."""
        u, c = self._user(user), self._chan(channel)
        target = self._target(via, bot_url, False, False)

        async def run():
            msg = c.by_ts.get(ts) if not c.private or u.id in c.members else None
            msg = msg or next((e for e in self.state.ephemeral
                               if (e["channel"], e["ts"], e["user"]) == (c.id, ts, u.id)), None)
            if msg is None:
                raise ValueError(f"{u.name} sees no message {ts} in #{c.name}")
            action = interact.find_button(msg["blocks"] if isinstance(msg, dict) else msg.blocks, action_id, value)
            return await interact.block_actions(self.hub, u, c, msg, action, via, target)

        return self.sb.call(run)

    def click_view(self, user: str, action_id: str, value: str | None = None, via: str = "http",
                   bot_url: str | None = None) -> Delivery:
        """Click the button `action_id` (and `value`) in the user's top view."""
        u = self._user(user)
        target = self._target(via, bot_url, False, False)

        async def run():
            top = self._top(u.id)
            action = interact.find_button(top.spec.get("blocks"), action_id, value)
            return await interact.view_block_actions(self.hub, u, top.id, action, via, target)

        return self.sb.call(run)

    def submit_view(self, user: str, values: dict | None = None, via: str = "http",
                    bot_url: str | None = None) -> Delivery:
        """Submit the user's top view; `values` ({block_id: {action_id: entry or plain value}}) over what is there
        (the initial values at first). See interact.view_submission."""
        u = self._user(user)
        target = self._target(via, bot_url, False, False)

        async def run():
            return await interact.view_submission(self.hub, u, self._top(u.id).id, values, via, target)

        return self.sb.call(run)

    def close_view(self, user: str, via: str = "http", bot_url: str | None = None) -> Delivery | None:
        """Press Cancel on the user's top view; a Delivery only when the view set notify_on_close."""
        u = self._user(user)
        target = self._target(via, bot_url, False, False)

        async def run():
            return await interact.view_closed(self.hub, u, self._top(u.id).id, via, target)

        return self.sb.call(run)

    def views(self, user: str) -> list[dict]:
        """The user's open views as views.open returns them, root first, each with the `errors` the app answered."""
        views, uid = views_of(self.state), self._user(user).id
        return self._on_loop(lambda: [copy.deepcopy({**views.render(v), **({"errors": v.errors} if v.errors else {})})
                                      for v in views.stack(uid)])

    def view_errors(self, user: str) -> dict:
        """The errors the app answered to the user's last submission of their top view ({} if none)."""
        stack = self.views(user)
        return stack[-1].get("errors", {}) if stack else {}

    def _top(self, uid: str):
        top = views_of(self.state).top(uid)
        if top is None:
            raise ValueError(f"{uid} has no open view")
        return top

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
