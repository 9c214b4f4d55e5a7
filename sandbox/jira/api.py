"""Jira Cloud REST API (v2 and v3) served from a workspace, for the real `jira` client library."""

from __future__ import annotations

import base64
import binascii
import json

from aiohttp import web

from sandbox.faults import STATE
from sandbox.jira import html as jira_html
from sandbox.jira import links, shapes
from sandbox.jira.create import create_issue
from sandbox.jira.http import api_version, auth_middleware, expand_param, int_param, jerror, params
from sandbox.jira.jql import JQLError
from sandbox.jira.state import ISSUE_TYPES, JiraState
from sandbox.jira.write import create_comment

_NO_ISSUE = links.NO_ISSUE
# Cloud's answer on /rest/api/{2,3}/search since their removal (CHANGE-2046, 2025).
_SEARCH_GONE = ("The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full "
                "migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046")


class JiraAPI:
    def __init__(self, st: JiraState, deployment: str = "cloud"):
        self.st, self.cloud = st, deployment == "cloud"

    async def server_info(self, request: web.Request) -> web.Response:
        now = self.st.now()
        version = [1001, 0, 0] if self.cloud else [9, 12, 15]
        return web.json_response({
            "baseUrl": self.st.base_url, "displayUrl": self.st.base_url,
            "version": "1001.0.0-SNAPSHOT" if self.cloud else "9.12.15", "versionNumbers": version,
            "deploymentType": "Cloud" if self.cloud else "DataCenter", "buildNumber": 100289,
            "buildDate": "2025-07-30T00:00:00.000+0000", "serverTime": shapes.jtime(now),
            "scmInfo": "8d1f0c7e2e4a4d0a9f0c2b5a8e6d4c3b2a1f0e9d", "serverTitle": "Jira",
            "serverTimeZone": "Etc/UTC"})

    async def myself(self, request: web.Request) -> web.Response:
        v = api_version(request)
        me = shapes.user_json(self.st, self.st.me, v)
        me.update({"locale": "en_US", "groups": {"size": 1, "items": []},
                   "applicationRoles": {"size": 1, "items": []}, "expand": "groups,applicationRoles"})
        return web.json_response(me)

    async def projects(self, request: web.Request) -> web.Response:
        v, expand = api_version(request), expand_param(await params(request))
        return web.json_response([shapes.project_json(self.st, k, v, "issuetypes" in expand) for k in self.st.projects])

    async def project(self, request: web.Request) -> web.Response:
        key = self.st.project_key(request.match_info["key"])
        if key is None:
            return jerror(404, f"No project could be found with key '{request.match_info['key']}'.")
        return web.json_response(shapes.project_json(self.st, key, api_version(request), issue_types=True))

    async def issue_types(self, request: web.Request) -> web.Response:
        v = api_version(request)
        return web.json_response([shapes.issuetype_json(self.st, t, v) for t in ISSUE_TYPES])

    async def fields(self, request: web.Request) -> web.Response:
        out = []
        for f in shapes.ALL_FIELDS:
            clause = {"issuetype": ["issuetype", "type"], "resolutiondate": ["resolutiondate", "resolved"],
                      "comment": ["comment"], "created": ["created", "createdDate"],
                      "updated": ["updated", "updatedDate"]}.get(f, [f])
            out.append({"id": f, "key": f, "name": f.capitalize(), "custom": False, "orderable": True,
                        "navigable": f in shapes.NAVIGABLE, "searchable": True, "clauseNames": clause})
        return web.json_response(out)

    async def search_jql(self, request: web.Request) -> web.Response:
        """Cloud's enhanced search: nextPageToken paging, no totals, only ids unless fields are asked for."""
        p, v = await params(request), api_version(request)
        fields = shapes.select_fields(p.get("fields", []), None)
        cap = 100 if fields else 5000
        limit = max(0, min(int_param(p, "maxResults", 50), cap))
        token = p.get("nextPageToken", [None])[0]
        start = 0
        if token:
            try:
                start = int(base64.urlsafe_b64decode(str(token).encode()).decode().split(":")[1])
            except (ValueError, IndexError, binascii.Error, UnicodeDecodeError):
                return jerror(400, "The provided next page token is invalid or expired.")
        found = self._search(p)
        if isinstance(found, web.Response):
            return found
        page = found[start:start + limit]
        body = {"issues": [shapes.issue_json(self.st, r, v, fields, expand_param(p)) for r in page]}
        if start + limit < len(found):
            body["nextPageToken"] = base64.urlsafe_b64encode(f"page:{start + limit}".encode()).decode()
        body["isLast"] = start + limit >= len(found)
        return web.json_response(body)

    async def search_gone(self, request: web.Request) -> web.Response:
        return jerror(410, _SEARCH_GONE)

    async def search_legacy(self, request: web.Request) -> web.Response:
        """Server/Data Center search (startAt, maxResults, total); Cloud removed it from v2 and v3."""
        p, v = await params(request), api_version(request)
        fields = shapes.select_fields(p.get("fields", []), shapes.NAVIGABLE)
        start, limit = max(0, int_param(p, "startAt", 0)), max(0, min(int_param(p, "maxResults", 50), 100))
        found = self._search(p)
        if isinstance(found, web.Response):
            return found
        issues = [shapes.issue_json(self.st, r, v, fields, expand_param(p)) for r in found[start:start + limit]]
        return web.json_response({"expand": "schema,names", "startAt": start, "maxResults": limit,
                                  "total": len(found), "issues": issues})

    def _search(self, p: dict):
        try:
            return self.st.search(str(p.get("jql", [""])[0] or ""))
        except JQLError as exc:
            return jerror(400, str(exc))

    def _issue_or_404(self, request: web.Request):
        rec = self.st.find(request.match_info["key"])
        if rec is None:
            raise web.HTTPNotFound(text=json.dumps({"errorMessages": [_NO_ISSUE], "errors": {}}),
                                   content_type="application/json")
        return rec

    async def issue(self, request: web.Request) -> web.Response:
        rec, p = self._issue_or_404(request), await params(request)
        fields = shapes.select_fields(p.get("fields", []), shapes.ALL_FIELDS)
        return web.json_response(shapes.issue_json(self.st, rec, api_version(request), fields, expand_param(p)))

    async def comments(self, request: web.Request) -> web.Response:
        rec, p = self._issue_or_404(request), await params(request)
        order = str(p.get("orderBy", ["created"])[0])
        return web.json_response(shapes.comments_page(self.st, rec, api_version(request), int_param(p, "startAt", 0),
                                                      int_param(p, "maxResults", 5000), order.startswith("-")))

    async def add_comment(self, request: web.Request) -> web.Response:
        rec = self._issue_or_404(request)
        return await create_comment(self.st, rec, request)

    async def create(self, request: web.Request) -> web.Response:
        return await create_issue(self.st, request)

    async def link(self, request: web.Request) -> web.Response:
        return await links.link_issues(self.st, request)

    async def link_types(self, request: web.Request) -> web.Response:
        return await links.link_types(self.st, request)

    async def users(self, request: web.Request) -> web.Response:
        return await links.user_search(self.st, request)

    async def browse(self, request: web.Request) -> web.Response:
        rec = self.st.find(request.match_info["key"])
        if rec is None:
            return web.Response(status=404, text="Issue not found", content_type="text/html")
        return web.Response(text=jira_html.render(self.st, rec), content_type="text/html")

    async def session(self, request: web.Request) -> web.Response:
        u = self.st.users[self.st.me]
        return web.json_response({"self": f"{self.st.base_url}/rest/api/latest/user?accountId={u.account_id}",
                                  "name": u.email, "loginInfo": {"loginCount": 1, "previousLoginTime": None}})


def build_app(ctx) -> web.Application:
    st = JiraState.build(ctx)
    api = JiraAPI(st, ctx.jira_deployment)
    app = web.Application(middlewares=[auth_middleware(ctx.tokens, ctx.jira_deployment)])
    app[STATE] = st
    r = "/rest/api/{v:2|3|latest}/"
    routes = [("GET", "serverInfo", api.server_info), ("GET", "myself", api.myself), ("GET", "project", api.projects),
              ("GET", "project/{key}", api.project), ("GET", "issuetype", api.issue_types),
              ("GET", "field", api.fields), ("GET", "search/jql", api.search_jql),
              ("POST", "search/jql", api.search_jql), ("GET", "issue/{key}", api.issue),
              ("GET", "issue/{key}/comment", api.comments), ("POST", "issue/{key}/comment", api.add_comment),
              ("POST", "issue", api.create), ("POST", "issueLink", api.link), ("GET", "issueLinkType", api.link_types),
              ("GET", "user/search", api.users)]
    for method, path, handler in routes:
        app.router.add_route(method, r + path, handler)
    # Cloud answers 410 Gone on the retired search; Data Center (deployment "datacenter") still serves v2 search.
    legacy = (r + "search") if api.cloud else "/rest/api/{v:2|latest}/search"
    for method in ("GET", "POST"):
        app.router.add_route(method, legacy, api.search_gone if api.cloud else api.search_legacy)
    app.router.add_get("/rest/auth/1/session", api.session)
    app.router.add_get("/browse/{key}", api.browse)
    return app
