"""The bad-input checks `postmortem run` makes before anything runs; each raises ValueError naming the flag."""

from __future__ import annotations

from graph.configuration import Configuration
from graph.incident_text import check_incident
from graph.redact import redactor_for
from graph.sources.base import SourceError
from graph.sources.slack_rules import UnknownChannelError
from graph.terms import incident_dates, make_window


def run_inputs(args) -> dict:
    """The graph's inputs from the command line, cleaned; what can be checked without any service is checked."""
    if args.workspace is not None and not args.workspace.strip():
        raise ValueError("--workspace is empty; give a workspace file, or summer25 for the bundled one")
    return {"incident": check_incident(args.incident, "the incident (first argument)"), "since": args.since,
            "until": args.until, "offline": args.offline, "new_page": args.new, "force": getattr(args, "force", False),
            "channels": channel_names(args.channels)}


def channel_names(flag: str | None) -> list[str] | None:
    if flag is None:
        return None
    names = [c.strip().lstrip("#") for c in flag.split(",") if c.strip().lstrip("#")]
    if not names:
        raise ValueError(f"--channels {flag!r} names no channel; give names like --channels incidents,marketing-ops")
    return names


def check_run(inputs: dict, cfg: Configuration) -> None:
    """The window and the channels, against the configured services (the sandbox's, with --workspace)."""
    redactor_for(cfg.redact_patterns)  # a malformed POSTMORTEM_REDACT_PATTERNS is bad input, named like the others
    make_window(cfg.current_time(), inputs["since"], inputs["until"], cfg.lookback_days,
                incident_dates(inputs["incident"]), ("--since", "--until"))
    wanted = inputs["channels"] or cfg.slack_channels
    if not wanted or not cfg.slack_bot_token:
        return
    # One conversations.list now rather than a failed Slack gather later: by then the other sources would have been
    # read and the page published without Slack, when the person only misspelt a name.
    from graph.sources.slack import SlackSource  # the Slack client loads only when there are channels to check

    try:
        SlackSource(cfg, wanted).check_channels()
    except UnknownChannelError as exc:
        raise ValueError(exc.describe("--channels" if inputs["channels"] else "POSTMORTEM_SLACK_CHANNELS")) from None
    except SourceError:
        return  # Slack is down or refuses the token: the run goes on and its report names Slack as missing
