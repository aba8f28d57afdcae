"""The archive's Athena table: one table over every account's folder, the account projected as an
enum, and saved queries broken down by account."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from components.archive.queries import account_queries
from tests.support.program import run_stack
from tests.support.projection import resolve_projection

TABLE = "aws:glue/catalogTable:CatalogTable"
QUERY = "aws:athena/namedQuery:NamedQuery"
WHEN = datetime(2026, 3, 9, 7, 30, tzinfo=UTC)
ARCHIVE: dict[str, Any] = {
    "destination": "s3",
    "archiveAccounts": ["111111111111", "222222222222"],
    "archiveRegions": ["us-east-1", "us-west-2"],
}
BUCKET = "vpc-flow-logs-s3-archive-123456789012-us-east-1"


@pytest.mark.parametrize("hive", [True, False])
@pytest.mark.parametrize("per_hour", [True, False])
@pytest.mark.parametrize("prefix", ["", "org"])
def test_one_account_and_day_resolve_to_that_accounts_folder_only(
    hive: bool, per_hour: bool, prefix: str
) -> None:
    table = run_stack(
        {**ARCHIVE, "s3HivePartitions": hive, "s3PerHourPartition": per_hour, "s3Prefix": prefix},
        stack="archive",
    ).one(TABLE)
    lead = f"s3://{BUCKET}/{prefix + '/' if prefix else ''}AWSLogs/"
    hour = ("hour=07/" if hive else "07/") if per_hour else ""
    if hive:
        expected = (
            f"{lead}aws-account-id=222222222222/aws-service=vpcflowlogs/aws-region=us-west-2/"
            f"year=2026/month=03/day=09/{hour}"
        )
    else:
        expected = f"{lead}222222222222/vpcflowlogs/us-west-2/2026/03/09/{hour}"

    assert resolve_projection(table.inputs, WHEN, "us-west-2", "222222222222") == expected
    assert table.inputs["storageDescriptor"]["location"] == lead
    parameters = table.inputs["parameters"]
    assert parameters["projection.aws_account.type"] == "enum"
    assert parameters["projection.aws_account.values"] == "111111111111,123456789012,222222222222"
    assert parameters["projection.aws_region.values"] == "us-east-1,us-west-2"
    assert [k["name"] for k in table.inputs["partitionKeys"]][:2] == ["aws_account", "aws_region"]


def test_an_unlisted_account_is_not_projected() -> None:
    table = run_stack(ARCHIVE, stack="archive").one(TABLE)

    with pytest.raises(AssertionError, match="'333333333333' is not among"):
        resolve_projection(table.inputs, WHEN, "us-east-1", "333333333333")


def test_the_saved_queries_gain_per_account_breakdowns() -> None:
    run = run_stack(
        {
            **ARCHIVE,
            "logFormat": [
                "version",
                "account-id",
                "action",
                "dstaddr",
                "bytes",
                "flow-direction",
                "traffic-path",
            ],
        },
        stack="archive",
    )
    queries = {q.name: q.inputs for q in run.of_type(QUERY)}

    assert {
        "vpc-flow-logs-athena-rejections-by-account",
        "vpc-flow-logs-athena-egress-by-account",
    } <= set(queries)
    egress = queries["vpc-flow-logs-athena-egress-by-account"]["query"]
    assert egress.startswith("SELECT aws_account, sum(bytes) AS egress_bytes\nFROM flow_logs\n")
    assert "traffic_path IN (2, 8)" in egress
    assert "GROUP BY aws_account" in egress


def test_a_query_is_made_only_when_the_format_has_its_fields() -> None:
    assert [q.key for q in account_queries([])] == ["rejections-by-account"]
    assert [q.key for q in account_queries(["action"])] == ["rejections-by-account"]
    assert [q.key for q in account_queries(["srcaddr"])] == []


def test_a_stack_of_its_own_keeps_its_own_folder() -> None:
    table = run_stack({"destination": "s3"}).one(TABLE)

    assert "projection.aws_account.type" not in table.inputs["parameters"]
    assert table.inputs["storageDescriptor"]["location"].endswith(
        "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/"
    )
