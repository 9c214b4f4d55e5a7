"""Slack source: channel history in the window, whole threads of matching messages, names instead of ids."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from graph.configuration import Configuration
from graph.evidence import Evidence, iso, parse_iso
from graph.http_counts import RunHttp
from graph.sources.base import SourceError
from graph.sources.parallel import side_by_side
from graph.sources.retry import Budget, SlackRetryHandler
from graph.sources.slack_context import read_context
from graph.sources.slack_rules import check_channel_names, is_integration, is_own, own_ids
from graph.sources.slack_search import announced, search_roots
from graph.terms import is_match, match_count

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")


def make_client(cfg: Configuration, token: str | None = None, budget: Budget | None = None,
                http: RunHttp | None = None) -> WebClient:
    # One handler for 429s, 5xx and dropped connections, so every wait counts against the source's budget; the run's
    # counter goes first, as slack_sdk shows each attempt's outcome to the handlers in order.
    retry = SlackRetryHandler(budget or Budget(cfg.source_budget_s))
    return WebClient(token=token or cfg.slack_bot_token, base_url=cfg.slack_api_url, timeout=int(cfg.http_timeout_s),
                     retry_handlers=[http.slack_handler(), retry] if http else [retry])


class SlackSource:
    name = "slack"

    def __init__(self, cfg: Configuration, channels: list[str] | None = None, allowed: list[str] | None = None,
                 client: WebClient | None = None, people: dict[str, str] | None = None,
                 private_ok: str | None = None, budget: Budget | None = None, http: RunHttp | None = None):
        if client is None and not cfg.slack_bot_token:  # a given client (an MCP adapter) holds its own credentials
            raise SourceError("SLACK_BOT_TOKEN is not set")
        self.budget, self.http = budget or Budget(cfg.source_budget_s), http
        self.cfg, self.client = cfg, client or make_client(cfg, budget=self.budget, http=http)
        self.wanted = [c.lstrip("#") for c in (channels or cfg.slack_channels)]
        self.allowed = set(allowed) if allowed is not None else None
        # Audience rule: a report is seen by its whole channel and everyone who opens its page, so private
        # conversations are never read, except the one private conversation that is itself the audience.
        self.private_ok = private_ok
        self._private: set[str] | None = None  # ids of private conversations, once listed
        self._listed: list[dict] | None = None
        self._users: dict[str, str] = dict(people or {})  # names already read by an earlier node
        self._channels: dict[str, str] = {}
        self._base = ""
        self._mine: frozenset[str] = frozenset()  # this app's bot user and bot ids: its posts are never evidence

    @property
    def gaps(self) -> list[str]:
        """What the client could not reach (an MCP adapter's history that stops short of the window); none natively."""
        return list(getattr(self.client, "gaps", []))

    # -- plumbing ---------------------------------------------------------------------------------------------------
    def _call(self, method: str, **kw) -> dict:
        try:
            return getattr(self.client, method)(**kw).data
        except SlackApiError as exc:
            raise SourceError(f"Slack {method.replace('_', '.')} failed: {exc.response.get('error')}") from None
        except OSError as exc:
            raise SourceError(f"Slack could not be reached ({type(exc).__name__})") from None

    def _paged(self, method: str, key: str, **kw):
        cursor = None
        while True:
            data = self._call(method, cursor=cursor, **kw) if cursor else self._call(method, **kw)
            yield from data.get(key, [])
            cursor = (data.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return

    def _prepare(self) -> None:
        if self._base:
            return
        auth = self._call("auth_test")
        self._base, self._mine = auth.get("url", "https://slack.com/"), own_ids(auth)
        if self._users:
            return
        for u in self._paged("users_list", "members", limit=200):
            p = u.get("profile") or {}
            self._users[u["id"]] = p.get("real_name") or u.get("real_name") or p.get("display_name") or u["name"]

    def names(self) -> dict[str, str]:
        self._prepare()
        return dict(self._users)

    def clean(self, text: str) -> str:
        """Slack mrkdwn -> readable text: people and channels by name, links as 'label (url)'."""
        text = _MENTION.sub(lambda m: "@" + self._users.get(m.group(1), "someone"), text)
        text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or self._channels.get(m.group(1), "channel")), text)
        text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
        return _SPECIAL.sub(lambda m: "@" + m.group(1), text)

    def _evidence(self, ch_id: str, m: dict, thread_ts: str | None, terms: list[str]) -> Evidence:
        raw = m.get("text", "")
        text = self.clean(raw)
        url = f"{self._base.rstrip('/')}/archives/{ch_id}/p{m['ts'].replace('.', '')}"
        if thread_ts and thread_ts != m["ts"]:
            url += f"?thread_ts={thread_ts}&cid={ch_id}"
        author = self._users.get(m.get("user", ""), (m.get("bot_profile") or {}).get("name") or m.get("username"))
        return Evidence(
            source="slack", ref=f"{ch_id}/{m['ts']}", channel=self._channels.get(ch_id, ch_id),
            thread_ts=thread_ts, url=url, at=iso(datetime.fromtimestamp(float(m["ts"]), UTC)), author=author,
            text=text, kind="reply" if thread_ts and thread_ts != m["ts"] else "message",
            matched=is_match(raw, terms), score=float(match_count(text, terms)), app=is_integration(m),
        )

    def _listing(self) -> list[dict]:
        if self._listed is not None:  # once per source: widening and the change search read the same list
            return self._listed
        channels = list(self._paged("conversations_list", "channels", types="public_channel,private_channel",
                                    exclude_archived=True, limit=200))
        self._channels.update({ch["id"]: ch["name"] for ch in channels})
        self._private = {ch["id"] for ch in channels if ch.get("is_private")}
        self._listed = channels
        return channels

    def may_read(self, ch_id: str) -> bool:
        """Whether the audience and the requester allow this conversation (ids the listing never saw, such as DMs,
        count as private)."""
        if self.allowed is not None and ch_id not in self.allowed:
            return False
        if ch_id == self.private_ok:
            return True
        if self._private is None:
            self._listing()
        return ch_id in self._channels and ch_id not in (self._private or set())

    def _readable_channels(self) -> list[dict]:
        out, listing = [], self._listing()
        check_channel_names(self.wanted, listing)  # a misspelt name is bad input, not a channel to skip quietly
        for ch in listing:
            if not ch.get("is_member") or not self.may_read(ch["id"]):
                continue
            if self.wanted and ch["name"] not in self.wanted and ch["id"] not in self.wanted:
                continue
            out.append(ch)
        missing = set(self.wanted) - {c["name"] for c in out} - {c["id"] for c in out}
        if self.wanted and missing == set(self.wanted):
            raise SourceError(f"none of the configured channels can be read: {', '.join(sorted(missing))}")
        return out

    def thread(self, ch_id: str, ts: str, terms: list[str]) -> list[Evidence]:
        msgs = list(self._paged("conversations_replies", "messages", channel=ch_id, ts=ts, limit=200))
        return [self._evidence(ch_id, m, ts if len(msgs) > 1 or m.get("thread_ts") else None, terms) for m in msgs
                if not is_own(m, self._mine)]

    def check_channels(self) -> None:
        """Raise UnknownChannelError if a wanted channel doesn't exist, before anything is gathered."""
        check_channel_names(self.wanted, self._listing())

    # -- the interface ----------------------------------------------------------------------------------------------
    def gather(self, plan: dict) -> list[Evidence]:
        self._prepare()
        terms, window = plan["terms"], plan["window"]
        oldest, latest = parse_iso(window["oldest"]).timestamp(), parse_iso(window["latest"]).timestamp()
        found: dict[str, Evidence] = {}
        seed = plan.get("seed_thread")
        readable = self._readable_channels()
        self.scope = [ch["name"] for ch in readable]  # what was read, for a run that finds nothing to say so
        # With a search token, public channels need no history walk: search finds their matches in the window.
        # Private ones (only ever the audience's own) are read as before: search may not cover them.
        public = {ch["id"] for ch in readable if ch["id"] not in (self._private or set())}
        roots = self._search(terms, oldest, latest, public)
        threads = list(roots or [])
        for ch in readable if roots is None else [c for c in readable if c["id"] not in public]:
            for m in self._paged("conversations_history", "messages", channel=ch["id"], oldest=f"{oldest:.6f}",
                                 latest=f"{latest:.6f}", inclusive=True, limit=200):
                if m.get("subtype") in ("channel_join", "channel_leave") or not is_match(m.get("text", ""), terms):
                    continue
                if is_own(m, self._mine) and not m.get("reply_count"):
                    continue  # the bot's own post; people's replies in its thread are still read below
                if m.get("reply_count") or m.get("thread_ts"):
                    threads.append((ch["id"], m.get("thread_ts") or m["ts"]))
                else:
                    ev = self._evidence(ch["id"], m, None, terms)
                    found.setdefault(ev.ref, ev)
        seeded = (seed["channel"], seed["ts"]) if seed and self.may_read(seed["channel"]) else None
        wanted = list(dict.fromkeys([*threads, *([seeded] if seeded else [])]))  # each thread read once
        for key, thread in zip(wanted, side_by_side(lambda t: self.thread(*t, terms), wanted), strict=True):
            for ev in thread:
                if key == seeded:
                    ev.matched = True  # the request came from this thread: it is the incident by definition
                    found[ev.ref] = ev
                else:
                    found.setdefault(ev.ref, ev)
        return sorted(found.values(), key=lambda e: e.at)

    def _search(self, terms: list[str], oldest: float, latest: float, channels: set[str]):
        """Matching threads in `channels` by search.messages (user tokens only), or None to read histories."""
        if not self.cfg.slack_user_token or not terms or not channels:
            return None if channels else []
        searcher = make_client(self.cfg, self.cfg.slack_user_token, self.budget, self.http)
        return search_roots(searcher, terms, oldest, latest, channels)

    def around(self, home: set[str], start: datetime, end: datetime, people: set[str], known: set[str],
               latest: datetime | None = None) -> list[Evidence]:
        """What the incident's channels said around its range without the words typed (graph/sources/slack_context)."""
        return read_context(self, home, start, end, people, known, latest)

    def naming(self, names: list[str], oldest: datetime, latest: datetime) -> list[Evidence]:
        """Changes announced under these names (a version, a PR) before the incident, found by search (user tokens
        only; none without): the rollout note of the release its cause names, however long before."""
        if not names or not self.cfg.slack_user_token:
            return []
        self._prepare()
        public = {ch["id"] for ch in self._readable_channels() if ch["id"] not in (self._private or set())}
        searcher = make_client(self.cfg, self.cfg.slack_user_token, self.budget, self.http)
        return [ev for ev in announced(searcher, names, oldest.timestamp(), latest.timestamp(), public, self)
                if ev is not None]

    def fetch(self, refs: list[str]) -> list[Evidence]:
        """Messages named by permalink refs 'CHANNEL/TS[@THREAD_TS]', with their threads."""
        self._prepare()
        wanted = []
        for ref in refs:
            ch_id, _, rest = ref.partition("/")
            ts, _, thread_ts = rest.partition("@")
            if self.may_read(ch_id):  # a link into a private channel must not carry its content to this audience
                wanted.append((ch_id, thread_ts or ts))

        def read(thread: tuple[str, str]) -> list[Evidence]:
            try:
                return self.thread(*thread, [])
            except SourceError:
                return []  # a link to a channel the bot can't read is not worth failing the report for

        return [ev for thread in side_by_side(read, wanted) for ev in thread]
