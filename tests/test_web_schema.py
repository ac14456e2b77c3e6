"""schemathesis runs the app's own OpenAPI spec against it on a loopback server: whatever it sends, no 5xx.

Each operation's cases come from schemathesis' Hypothesis strategy and go through `call_and_validate` with
the not-a-server-error check (schemathesis' pytest plugin does not load under this pytest)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from storylens.web.config import ServeConfig
from web_fixtures import TOKEN, copy_store, served

EXAMPLES = 30  # per operation


@pytest.fixture(scope="module")
def api_schema(web_store, tmp_path_factory):
    db = copy_store(web_store, tmp_path_factory.mktemp("schema") / "schema.db")
    with served(ServeConfig(db, token=TOKEN, writes_per_minute=10_000)) as base:
        yield schemathesis.openapi.from_url(f"{base}/openapi.json")


def test_no_request_makes_the_server_fail(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8, [op.label for op in operations]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case) -> None:
            # writes carry the token half of the time, so bodies reach the parsers, not only the token check
            with_token = case.method == "POST" and len(repr(case.body)) % 2
            headers = {"Authorization": f"Bearer {TOKEN}"} if with_token else {}
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        check()
