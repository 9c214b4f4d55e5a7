"""Slack channel rows: the channels the bot is in, and POSTMORTEM_SLACK_CHANNELS held against them."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from doctor.rows import Row, fail, ok, skip
from graph.configuration import Configuration
from graph.sources.slack_rules import UnknownChannelError, check_channel_names

CHANNELS, CONFIGURED = "Slack channels", "Configured channels"
SHOWN = 8  # channel names a row lists before "and N more"
INVITE = "/invite @postmortem"


def channel_skips(why: str) -> list[Row]:
    return [skip(CHANNELS, why), skip(CONFIGURED, why)]


def _listing(client: WebClient) -> list[dict]:
    out, cursor = [], None
    while True:
        kw = {"cursor": cursor} if cursor else {}
        data = client.conversations_list(types="public_channel,private_channel", exclude_archived=True, limit=200,
                                         **kw).data
        out += data.get("channels") or []
        cursor = (data.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return out


def _names(names: list[str]) -> str:
    shown = ", ".join(f"#{n}" for n in names[:SHOWN])
    return shown + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


def channel_rows(client: WebClient, cfg: Configuration) -> list[Row]:
    try:
        listing = _listing(client)
    except SlackApiError as exc:
        data = exc.response.data if isinstance(exc.response.data, dict) else {}
        code, needed = str(data.get("error") or exc.response.status_code), data.get("needed")
        fix = (f"Add {needed} under oauth_config.scopes.bot in manifest.yml and in your app, then reinstall the app"
               if needed else "Run postmortem doctor again; if it keeps failing, check the token and Slack's status")
        return [fail(CHANNELS, f"could not list channels ({code}{': ' + needed if needed else ''})", fix),
                skip(CONFIGURED, "needs the channel list")]
    except OSError as exc:
        return [fail(CHANNELS, f"could not list channels ({type(exc).__name__})",
                     "Check SLACK_API_URL and the network, then run postmortem doctor again"),
                skip(CONFIGURED, "needs the channel list")]
    joined = sorted(c["name"] for c in listing if c.get("is_member"))
    if joined:
        first = ok(CHANNELS, f"in {len(joined)}: {_names(joined)}")
    else:
        first = fail(CHANNELS, "the bot is in no channel, so it has nothing to read",
                     f"Type {INVITE} in each channel where incidents are discussed (a public channel is also "
                     f"joined when someone uses /postmortem in it)")
    return [first, configured_row(cfg.slack_channels, listing)]


def configured_row(wanted: list[str], listing: list[dict]) -> Row:
    """Each name in POSTMORTEM_SLACK_CHANNELS must exist and have the bot in it, or that channel is never read."""
    if not wanted:
        return skip(CONFIGURED, "POSTMORTEM_SLACK_CHANNELS not set: every channel the bot is in is read")
    try:
        check_channel_names(wanted, listing)
        unknown: dict[str, str | None] = {}
    except UnknownChannelError as exc:
        unknown = exc.unknown
    by_key = {c["name"]: c for c in listing} | {c["id"]: c for c in listing}
    outside = [by_key[w]["name"] for w in wanted if w not in unknown and not by_key[w].get("is_member")]
    problems = [f"#{n}: not joined" for n in outside]
    problems += [f"#{w}: no such channel" + (f" (did you mean #{near}?)" if near else "")
                 for w, near in unknown.items()]
    if not problems:
        return ok(CONFIGURED, f"all {len(wanted)} joined: {_names([by_key[w]['name'] for w in wanted])}")
    fixes = []
    if outside:
        fixes.append(f"Type {INVITE} in " + ", ".join(f"#{n}" for n in outside))
    if unknown:
        names = ", ".join(f"#{w}" for w in unknown)
        fixes.append(f"Fix {names} in POSTMORTEM_SLACK_CHANNELS (a private channel stays invisible to the bot until "
                     f"someone types {INVITE} in it)")
    return fail(CONFIGURED, "; ".join(problems), ". ".join(fixes))
