"""Runs the Slack, Notion and Jira sandbox services on loopback, in a background thread or in the foreground."""

from __future__ import annotations

import asyncio
import importlib
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from aiohttp import web

from sandbox import profile as profiles
from sandbox.faults import SERVICES, STATE, Faults
from sandbox.throttle import Traffic
from sandbox.workspace.loader import BUNDLED, Workspace, load_workspace

DEFAULT_WORKSPACE = BUNDLED / "summer25.yaml"
_BUILDERS = {"slack": "sandbox.slack.api", "notion": "sandbox.notion.api", "jira": "sandbox.jira.api"}


@dataclass(frozen=True)
class Tokens:
    """Credentials the sandbox accepts; anything else is rejected the way the vendor would."""

    slack_bot: str = "xoxb-sandbox-0000000001-postmortem-bot"
    slack_user: str = "xoxp-sandbox-0000000001-search-user"
    slack_app: str = "xapp-1-sandbox-A0POSTMORT-socket"
    slack_signing_secret: str = "sandbox-signing-secret-8f3a"
    notion: str = "ntn_sandbox_postmortem_integration"
    jira_email: str = "postmortem-bot@acme.test"
    jira_token: str = "sandbox-jira-api-token"


@dataclass
class Context:
    """What every service sees: the workspace, its URLs and tokens, the clock and the faults."""

    workspace: Workspace
    tokens: Tokens
    faults: Faults
    urls: dict[str, str] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    bot_url: str | None = None  # where the sandbox, acting as Slack, delivers events (set by the bot tests/demo)
    jira_deployment: str = "cloud"  # or "datacenter": which Jira the sandbox presents as

    def now(self) -> datetime:
        """The workspace's `now`, advancing with real time so new posts sort after old ones."""
        return self.workspace.now + timedelta(seconds=time.monotonic() - self.started)


class Sandbox:
    """All three services in one process. `with Sandbox() as sb:` serves until the block ends."""

    def __init__(self, workspace: Workspace | str | Path | None = None, host: str = "127.0.0.1", port: int = 0,
                 tokens: Tokens | None = None, faults: str | None = None, ports: dict[str, int] | None = None,
                 profile: str | profiles.Profile | None = None, jira_deployment: str | None = None):
        # Unset profile/deployment come from POSTMORTEM_SANDBOX_PROFILE / POSTMORTEM_SANDBOX_JIRA, so every way of
        # starting a sandbox (run --workspace, demo, dev, tests, benches) can be made realistic from outside.
        self.profile = profiles.resolve(profile)
        self.traffic = Traffic(self.profile)
        if not isinstance(workspace, Workspace):
            workspace = load_workspace(workspace or DEFAULT_WORKSPACE)
        self.workspace = workspace
        self.host, self.port = host, port
        self.wanted_ports = dict(ports or {})  # e.g. the ports of an earlier run, so its links work again
        self.faults = Faults()
        if faults:
            self.faults.load(faults)
        self.ctx = Context(workspace, tokens or Tokens(), self.faults,
                           jira_deployment=profiles.jira_deployment(jira_deployment))
        self.apps: dict[str, web.Application] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runners: list[web.AppRunner] = []

    @property
    def urls(self) -> dict[str, str]:
        return self.ctx.urls

    @property
    def ports(self) -> dict[str, int]:
        return {service: int(url.rsplit(":", 1)[1]) for service, url in self.ctx.urls.items()}

    def stats(self) -> dict[str, dict]:
        """Per service: API requests served, 429s answered, and the profile's 429s by method/endpoint."""
        return self.traffic.stats()

    def state(self, service: str):
        """The live state object of a service (tests read what the bot wrote through it)."""
        return self.apps[service][STATE]

    @property
    def env(self) -> dict[str, str]:
        t, u = self.ctx.tokens, self.ctx.urls
        return {
            "SLACK_API_URL": u["slack"] + "/api/",
            "SLACK_BOT_TOKEN": t.slack_bot,
            "SLACK_USER_TOKEN": t.slack_user,
            "SLACK_APP_TOKEN": t.slack_app,
            "SLACK_SIGNING_SECRET": t.slack_signing_secret,
            "NOTION_BASE_URL": u["notion"],
            "NOTION_TOKEN": t.notion,
            "JIRA_URL": u["jira"],
            "JIRA_EMAIL": t.jira_email,
            "JIRA_API_TOKEN": t.jira_token,
            "POSTMORTEM_NOW": self.workspace.now.isoformat().replace("+00:00", "Z"),
        }

    def info(self) -> dict:
        t = self.ctx.tokens
        return {
            "workspace": self.workspace.name,
            "profile": self.profile.name,
            "jira_deployment": self.ctx.jira_deployment,
            "urls": dict(self.ctx.urls),
            "tokens": {"slack_bot": t.slack_bot, "slack_user": t.slack_user, "slack_app": t.slack_app,
                       "slack_signing_secret": t.slack_signing_secret, "notion": t.notion,
                       "jira_email": t.jira_email, "jira_api_token": t.jira_token},
            "env": self.env,
        }

    def _bind(self) -> dict[str, socket.socket]:
        socks = {}
        for i, service in enumerate(SERVICES):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((self.host, self.wanted_ports.get(service) or (self.port + i if self.port else 0)))
            except OSError:
                if not self.wanted_ports.get(service):
                    raise
                s.bind((self.host, 0))  # the earlier port is taken now: any port beats no sandbox
            s.listen(128)
            s.setblocking(False)
            socks[service] = s
            self.ctx.urls[service] = f"http://{self.host}:{s.getsockname()[1]}"
        return socks

    async def _serve(self) -> None:
        socks = self._bind()  # ports first: services need their own URLs for permalinks
        for service, sock in socks.items():
            module = importlib.import_module(_BUILDERS[service])
            app = module.build_app(self.ctx)
            app.middlewares.insert(0, self.traffic.middleware(service))  # latency and limits, inside the faults
            app.middlewares.insert(0, self.faults.middleware(service))
            app.middlewares.insert(0, self.traffic.counter(service))  # outermost: counts the faults' 429s too
            app.freeze()
            self.apps[service] = app
            runner = web.AppRunner(app, access_log=None, handle_signals=False)
            await runner.setup()
            await web.SockSite(runner, sock).start()
            self._runners.append(runner)

    def start(self) -> Sandbox:
        ready = threading.Event()
        errors: list[BaseException] = []

        def run():
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            try:
                self._loop.run_until_complete(self._serve())
            except BaseException as exc:  # surfaced to the caller of start()
                errors.append(exc)
                ready.set()
                return
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="sandbox", daemon=True)
        self._thread.start()
        ready.wait(30)
        if errors:
            raise errors[0]
        return self

    def stop(self) -> None:
        if not self._loop:
            return

        async def cleanup():
            for r in self._runners:
                await r.cleanup()

        asyncio.run_coroutine_threadsafe(cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop = None

    def call(self, coro_fn, *args):
        """Run a coroutine on the sandbox's loop from another thread (e.g. to push a Socket Mode envelope)."""
        return asyncio.run_coroutine_threadsafe(coro_fn(*args), self._loop).result(30)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
