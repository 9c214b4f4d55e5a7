"""Slack search.messages (user tokens with search:read): the incident's messages without reading whole histories."""

from __future__ import annotations

import re

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from graph.signals import CHANGE
from graph.terms import stem

PER_PAGE = 100  # Slack's maximum
MAX_PAGES = 10  # per term, newest first: 1,000 matches is far more than one incident's own talk
_THREAD_IN_LINK = re.compile(r"thread_ts=(\d+\.\d+)")
_CODE = re.compile(r"([a-z]+)(\d+)")


def queries(terms: list[str]) -> list[str]:
    """What to ask search for each term: the matcher treats "Summer 25", "INC-231" and "inc231" alike and words by
    their stem ("timeouts" finds "timeout"), so search must ask for each form."""
    out = []
    for term in terms:
        out.append(term)
        code = _CODE.fullmatch(term)
        if code:
            out += [f'"{code.group(1)} {code.group(2)}"', f"{code.group(1)}-{code.group(2)}"]
        elif stem(term) != term and len(stem(term)) >= 4:
            out.append(stem(term))
    return list(dict.fromkeys(out))


def search_roots(searcher: WebClient, terms: list[str], oldest: float, latest: float,
                 channels: set[str]) -> list[tuple[str, str]] | None:
    """(channel id, thread ts) of every message matching a term in the window in `channels`, each thread once.

    None when search cannot stand in for reading histories (a bot token, no search:read, Slack failing): the caller
    then reads the histories. Results come newest first, so paging stops at the window's start.
    """
    roots: dict[tuple[str, str], None] = {}
    for query in queries(terms):
        for page in range(1, MAX_PAGES + 1):
            try:
                data = searcher.search_messages(query=query, count=PER_PAGE, page=page, sort="timestamp",
                                                sort_dir="desc").data
            except (SlackApiError, OSError):
                return None
            matches = (data.get("messages") or {}).get("matches", [])
            for match in matches:
                ch_id = (match.get("channel") or {}).get("id")
                if ch_id in channels and oldest <= float(match["ts"]) <= latest:
                    # real matches carry a reply's thread only inside the permalink's query string
                    in_link = _THREAD_IN_LINK.search(match.get("permalink", ""))
                    roots[(ch_id, match.get("thread_ts") or (in_link.group(1) if in_link else match["ts"]))] = None
            paging = (data.get("messages") or {}).get("paging") or {}
            if not matches or page >= int(paging.get("pages") or 1) or float(matches[-1]["ts"]) < oldest:
                break
    return list(roots)


def announced(searcher: WebClient, names: list[str], oldest: float, latest: float, channels: set[str], source):
    """Evidence (marked as context) for each top-level message in `channels` between the two times that names one of
    `names` and announces a change; nothing when search is refused."""
    seen: set[str] = set()
    for name in names:
        try:
            data = searcher.search_messages(query=name, count=PER_PAGE, sort="timestamp", sort_dir="desc").data
        except (SlackApiError, OSError):
            return
        for match in (data.get("messages") or {}).get("matches", []):
            ch_id = (match.get("channel") or {}).get("id")
            ref = f"{ch_id}/{match['ts']}"
            if ch_id not in channels or not oldest <= float(match["ts"]) < latest or ref in seen:
                continue
            if name not in match.get("text", "") or not CHANGE.search(match.get("text", "")):
                continue
            seen.add(ref)
            ev = source._evidence(ch_id, match, None, [])
            ev.context = True
            yield ev
