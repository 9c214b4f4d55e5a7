"""`postmortem doctor`: the table on stdout; exit 0 when nothing fails, 1 when something does, 2 for bad input."""

from __future__ import annotations

import pytest
import yaml

from cli.main import main
from sandbox.server import Sandbox
from tests.support.workspaces import workspace_dict

# What a developer's environment could hold that changes the rows (the tests set what they need).
SETTINGS = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "POSTMORTEM_OFFLINE", "POSTMORTEM_SLACK_CHANNELS", "JIRA_PROJECTS",
            "POSTMORTEM_MCP_CONFIG", "POSTMORTEM_SANDBOX_FAULTS", "NOTION_PARENT_PAGE_ID", "NOTION_DATABASE_ID",
            "NOTION_DATA_SOURCE_ID", "POSTMORTEM_PARENT_TITLES", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")


@pytest.fixture
def doctor(tmp_path, monkeypatch, capsys):
    """Run `postmortem doctor …` in-process; returns (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["doctor", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def status_of(out: str, check: str) -> str:
    (line,) = [x for x in out.splitlines() if x.startswith(check + "  ")]
    return line[len(check):].split()[0]


def test_the_bundled_sandbox_passes_every_check(doctor):
    code, out, err = doctor("--workspace", "summer25")
    assert code == 0, out + err
    assert out.splitlines()[0].split() == ["CHECK", "STATUS", "DETAIL"]
    for check in ("Slack bot token", "Slack bot scopes", "Slack channels", "Slack connection", "Notion token",
                  "Notion publish target", "Notion write access", "Jira credentials", "Jira projects", "Model"):
        assert status_of(out, check) == "ok", check
    assert status_of(out, "MCP servers") == "skip"
    assert out.rstrip().endswith("All checks passed (11 ok, 3 skipped).")
    assert "Traceback" not in err


def test_injected_faults_fail_their_rows_and_the_exit_status(doctor, monkeypatch):
    monkeypatch.setenv("POSTMORTEM_SLACK_CHANNELS", "incidents,random")
    code, out, _ = doctor("--workspace", "summer25", "--fault", "slack:scopes=-channels:history",
                          "--fault", "jira:status=401")
    assert code == 1
    assert {c: status_of(out, c) for c in ("Slack bot scopes", "Configured channels", "Jira credentials",
                                          "Notion token")} == {
        "Slack bot scopes": "FAIL", "Configured channels": "FAIL", "Jira credentials": "FAIL", "Notion token": "ok"}
    assert "missing channels:history" in out and "fix: Type /invite @postmortem in #random" in out
    assert "3 of 14 checks failed: Slack bot scopes, Configured channels, Jira credentials." in out


def test_a_workspace_without_a_parent_page_fails_the_publish_target(doctor, tmp_path):
    ws = workspace_dict(slack={"users": [{"name": "ana"}], "channels": [
        {"name": "incidents", "members": ["ana", "postmortem"]}]},
        jira={"site": "tiny", "users": [], "projects": [{"key": "OPS", "name": "Operations"}], "issues": []})
    path = tmp_path / "no-parent.yaml"
    path.write_text(yaml.safe_dump(ws))
    code, out, _ = doctor("--workspace", str(path))
    assert code == 1
    assert status_of(out, "Notion publish target") == "FAIL" and status_of(out, "Notion write access") == "skip"
    assert "no page or database to publish under" in out
    assert "1 of 14 checks failed: Notion publish target." in out


def test_the_services_configured_in_the_environment_are_checked(doctor, monkeypatch):
    """Without --workspace the environment says where everything is; here it names a sandbox's services, but
    neither an app token nor a signing secret."""
    with Sandbox() as sb:
        for name, value in sb.env.items():
            if name not in ("SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
                monkeypatch.setenv(name, value)
        code, out, _ = doctor()
        assert code == 1
        assert status_of(out, "Slack connection") == "FAIL" and status_of(out, "Slack bot token") == "ok"
        monkeypatch.setenv("SLACK_SIGNING_SECRET", sb.env["SLACK_SIGNING_SECRET"])
        code, out, _ = doctor()
        assert code == 0, out
        assert "HTTP mode: SLACK_SIGNING_SECRET is set" in out


@pytest.mark.parametrize(("args", "expected"), [
    (["--fault", "jira:status=503"], "--fault injects faults into the sandbox, so it needs --workspace"),
    (["--workspace", "summer25", "--fault", "slack:scopes=channels:read"], "give a scope to remove or add"),
    (["--workspace", "no/such/file.yaml"], "no/such/file.yaml: (top level): file not found"),
    (["--workspace", " "], "--workspace is empty"),
])
def test_bad_input_exits_2_before_checking_anything(doctor, args, expected):
    code, out, err = doctor(*args)
    assert code == 2 and out == ""
    assert err.startswith("postmortem: ") and expected in err and "Traceback" not in err
