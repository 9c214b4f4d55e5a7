"""Issue links and people search in the Jira sandbox: POST issueLink, GET issueLinkType, GET user/search."""

from __future__ import annotations

from aiohttp import web

from sandbox.jira import shapes
from sandbox.jira.http import api_version, int_param, jerror, params
from sandbox.jira.state import LINK_TYPES, JiraState, JUser
from sandbox.jira.write import bad, read_json, ref
from sandbox.workspace.models import Link

NO_ISSUE = "Issue does not exist or you do not have permission to see it."


def link_type_json(st: JiraState, name: str, v: str) -> dict:
    tid, inward, outward = LINK_TYPES[name]
    return {"id": tid, "name": name, "inward": inward, "outward": outward,
            "self": f"{st.base_url}/rest/api/{v}/issueLinkType/{tid}"}


async def link_types(st: JiraState, request: web.Request) -> web.Response:
    v = api_version(request)
    return web.json_response({"issueLinkTypes": [link_type_json(st, n, v) for n in LINK_TYPES]})


async def link_issues(st: JiraState, request: web.Request) -> web.Response:
    """Jira reads {type, inwardIssue: A, outwardIssue: B} as 'A <outward verb> B' (A blocks B): A's issuelinks
    then show B as its outwardIssue, B's show A as its inwardIssue. Answers 201 with no body."""
    body = await read_json(request)
    if not isinstance(body, dict) or any(not isinstance(body.get(f), dict)
                                         for f in ("type", "inwardIssue", "outwardIssue")):
        return bad({}, "Request body must name the link's type, inwardIssue and outwardIssue.")
    wanted = ref(body["type"], "name", "id")
    name = next((n for n, (tid, _, _) in LINK_TYPES.items() if wanted and wanted.lower() in (n.lower(), tid)), None)
    if name is None:
        return jerror(404, f"No issue link type with name '{wanted}' found.")
    src, dst = (st.find(ref(body[f], "key", "id") or "") for f in ("inwardIssue", "outwardIssue"))
    if src is None or dst is None:
        return jerror(404, NO_ISSUE)
    verb = LINK_TYPES[name][2]
    # A repeated request adds no second link, yet answers 201 like the first (Jira documents it so).
    if not any(link.type.lower() == verb and link.key == dst.key for link in src.links):
        src.links.append(Link(type=verb, key=dst.key))
        st.inbound.setdefault(dst.key, []).append((src, len(src.links) - 1))
        src.updated = dst.updated = st.now()
        st.version += 1
    return web.Response(status=201)


def _matches(u: JUser, text: str, username: bool) -> bool:
    """Prefix of the display name, of one of its words, or of the email (and, on Data Center, of the username)."""
    t, shown = text.casefold(), u.display_name.casefold()
    candidates = [shown, *shown.split(), (u.email or "").casefold()] + ([u.name.casefold()] if username else [])
    return any(c.startswith(t) for c in candidates if c)


def _first(p: dict, name: str) -> str | None:
    values = p.get(name) or [None]
    return str(values[0]) if values[0] not in (None, "") else None


async def user_search(st: JiraState, request: web.Request) -> web.Response:
    """Cloud finds people by `query` (or exact `accountId`) and refuses `username`; Data Center by `username`."""
    p, v = await params(request), api_version(request)
    query, account, username = _first(p, "query"), _first(p, "accountId"), _first(p, "username")
    if st.cloud:
        if username and not (query or account):
            return jerror(400, "The query parameter 'username' is not supported in GDPR strict mode.")
        if not (query or account):
            return jerror(400, "One of 'accountId', 'query' or 'property' query parameters must be provided.")
        if query and account:
            return jerror(400, "The 'query' and 'accountId' query parameters cannot be used together.")
        found = [u for u in st.users.values() if (u.account_id == account if account else _matches(u, query, False))]
    else:
        if not username:
            return jerror(400, "The username query parameter was not provided")
        found = [u for u in st.users.values() if _matches(u, username, True)]
    found.sort(key=lambda u: u.display_name.casefold())
    start, limit = max(0, int_param(p, "startAt", 0)), max(0, min(int_param(p, "maxResults", 50), 1000))
    return web.json_response([shapes.user_json(st, u.name, v) for u in found[start:start + limit]])
