"""Entry point: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP on $PORT (/slack/events, /healthz)."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError

from bot.app_factory import serve_http, start_socket_mode
from bot.config import APPS, ConfigError, load_settings
from graph.envfile import load_env_file


def main() -> int:
    load_env_file()
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        settings = load_settings()
        if settings.socket_mode:
            port = os.environ.get("PORT")
            bot = start_socket_mode(settings, health_port=settings.port if port else None)
            print("postmortem: connected over Socket Mode", file=sys.stderr)
        else:
            bot = serve_http(settings)
            print(f"postmortem: listening on {bot.url}/slack/events (health: {bot.url}/healthz)", file=sys.stderr)
    except ConfigError as exc:
        print(f"postmortem: {exc}", file=sys.stderr)
        return 2
    except (BoltError, SlackApiError) as exc:  # auth.test refused the token, or Socket Mode could not open a connection
        print(f"postmortem: Slack refused to start the bot: {exc}\nCheck SLACK_BOT_TOKEN (and SLACK_APP_TOKEN for "
              f"Socket Mode) at {APPS}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"postmortem: could not start: {exc}", file=sys.stderr)
        return 1
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())  # platforms stop a dyno with SIGTERM
    try:
        stopping.wait()
    except KeyboardInterrupt:
        pass
    print("postmortem: stopping; running post-mortems finish, queued ones are told to ask again", file=sys.stderr)
    bot.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
