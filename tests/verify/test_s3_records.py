"""Records in S3: the folders AWS writes now, listed against moto's server; staleness with an
injected clock, since moto stamps objects with the real time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from tests.support.verify_accounts import account_id, client
from verify.aws import Aws
from verify.expected import DEFAULT_LOG_FORMAT, Expected
from verify.s3_records import check_s3_records, region_folders

EXPECTED = Expected(
    home_region="us-east-1",
    traffic_type="ALL",
    aggregation_interval=60,
    log_format=DEFAULT_LOG_FORMAT,
    log_group_name="/aws/vpc/flowlogs",
    retention_in_days=14,
    to_cloudwatch=False,
    to_s3=True,
)
HALF_PAST_MIDNIGHT = datetime(2025, 3, 1, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "folders"),
    [
        ({}, ["AWSLogs/aws-account-id=1/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2025/"
              "month=03/day=01/",
              "AWSLogs/aws-account-id=1/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2025/"
              "month=02/day=28/"]),
        ({"s3_hive_partitions": False, "s3_per_hour_partition": True, "s3_prefix": "net"},
         ["net/AWSLogs/1/vpcflowlogs/eu-west-1/2025/03/01/00/",
          "net/AWSLogs/1/vpcflowlogs/eu-west-1/2025/02/28/23/"]),
    ],
)  # fmt: skip
def test_the_folders_are_todays_then_yesterdays_or_this_hours_then_the_last(
    changes: dict[str, object], folders: list[str]
) -> None:
    expected = replace(EXPECTED, **changes)  # type: ignore[arg-type]
    assert region_folders(expected, "1", "eu-west-1", HALF_PAST_MIDNIGHT) == folders


def bucket() -> str:
    """The test account's bucket: S3's names are global, in moto too."""
    return f"vpc-flow-logs-s3-test-{account_id()}"


def put_object_now(region: str = "us-east-1") -> None:
    s3 = client("s3")
    s3.create_bucket(Bucket=bucket())
    today = datetime.now(UTC)
    (folder, _) = region_folders(EXPECTED, account_id(), region, today)
    s3.put_object(
        Bucket=bucket(), Key=f"{folder}{account_id()}_vpcflowlogs_x.log.parquet", Body=b""
    )


def test_a_fresh_object_passes_and_three_hours_later_it_is_stale(
    endpoint: str, session: boto3.Session
) -> None:
    put_object_now()
    aws = Aws(session)

    def check(later: timedelta) -> tuple[bool, str]:
        (row,) = check_s3_records(
            aws,
            "us-east-1",
            bucket(),
            EXPECTED,
            account_id(),
            15,
            lambda: datetime.now(UTC) + later,
        )
        return row.ok, row.detail

    assert check(timedelta()) == (True, "newest object 0 min old (at most 15)")
    ok, detail = check(timedelta(hours=3))
    assert not ok
    assert detail.startswith("the newest object is 180 min old (at most 15 min wanted)")


def test_a_region_without_objects_says_where_it_looked(
    endpoint: str, session: boto3.Session
) -> None:
    put_object_now()
    (row,) = check_s3_records(
        Aws(session), "us-west-2", bucket(), EXPECTED, account_id(), 15, lambda: datetime.now(UTC)
    )

    assert not row.ok
    assert row.detail.startswith("there is no object in it or in AWSLogs/aws-account-id=")
    assert "aws-region=us-west-2" in row.resource


def test_a_missing_bucket_fails(endpoint: str, session: boto3.Session) -> None:
    (row,) = check_s3_records(
        Aws(session),
        "us-east-1",
        "gone-bucket",
        EXPECTED,
        account_id(),
        15,
        lambda: datetime.now(UTC),
    )

    assert (row.ok, row.resource) == (False, "gone-bucket")
    assert row.detail.startswith("bucket gone-bucket does not exist")
