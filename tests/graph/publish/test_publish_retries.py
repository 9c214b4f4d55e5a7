"""Publishing through rate limits and dropped connections: one page in the end, and never a wait past the budget."""

from __future__ import annotations

import pytest

from graph.publish.notion_io import PublishError, publishing
from tests.graph.publish.test_notion import OTHER, PARENT, client_for, notion_ws, pages_for_key, publish


@pytest.fixture
def sb(make_sandbox):
    return make_sandbox(notion_ws(PARENT, OTHER))


def test_four_rate_limits_in_a_row_still_publish_one_page(sb):
    fault = sb.faults.set("notion", status=429, count=4, retry_after=1)
    page = publish(sb)
    assert fault.seen == 4 and page["action"] == "created"
    assert pages_for_key(client_for(sb), "summer25") == [page["id"]]


def test_dropped_connections_while_publishing_are_retried_into_one_page(sb):
    fault = sb.faults.set("notion", drop=True, count=2)
    page = publish(sb)
    assert fault.seen == 2 and page["action"] == "created"
    assert pages_for_key(client_for(sb), "summer25") == [page["id"]]


def test_the_publish_budget_is_not_outwaited(sb):
    fault = sb.faults.set("notion", status=429, retry_after=30, count=3)
    with publishing(2), pytest.raises(PublishError) as err:
        publish(sb)
    assert fault.seen == 1 and err.value.code == "rate_limited"  # told to wait 30 s with 2 s left: it says so now
    sb.faults.clear()
    assert pages_for_key(client_for(sb), "summer25") == []
