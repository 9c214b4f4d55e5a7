"""Entry point: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP on $PORT (/slack/events, /healthz)."""

from __future__ import annotations

import gc
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

ACK_SWITCH_INTERVAL_S = 0.001  # CPython's default is 0.005
STOP_GRACE_S = 8.0  # platforms kill 10 s after SIGTERM (Heroku, Kubernetes' default is 30 s)


def main() -> int:
    # Before anything serves: a stop that arrives during start-up must still end in an orderly stop.
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())  # platforms stop a dyno with SIGTERM, then kill it
    signal.signal(signal.SIGINT, lambda *_: stopping.set())  # Ctrl-C
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
    # Acks must leave within Slack's 3 s (we aim for 100 ms at p99) while worker threads run graphs in this process:
    # a shorter GIL switch interval lets a request thread in sooner, and a frozen start-up heap keeps GC passes short.
    sys.setswitchinterval(ACK_SWITCH_INTERVAL_S)
    gc.freeze()
    while not stopping.wait(0.5):  # a timed wait, so the signal handler always gets to run
        pass
    print("postmortem: stopping; running post-mortems pause at their next checkpoint and continue on the next "
          "start, queued ones wait for it", file=sys.stderr)
    bot.stop(grace_s=STOP_GRACE_S)
    return 0


if __name__ == "__main__":
    sys.exit(main())
