"""The archive's check against moto's server: every admitted account's newest object, and a
warning that names an account with nothing fresh."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import boto3

from tests.support.program import run_stack_file
from tests.support.verify_accounts import client
from verify.archive import CHECK, archive_probes
from verify.aws import Aws
from verify.expected import DEFAULT_LOG_FORMAT, Expected
from verify.outputs import parse_outputs
from verify.plan import plan
from verify.results import Severity, any_fails
from verify.s3_records import region_folders

EXPECTED = Expected(
    home_region="us-east-1",
    traffic_type="ALL",
    aggregation_interval=60,
    log_format=DEFAULT_LOG_FORMAT,
    log_group_name="/aws/vpc/flowlogs",
    retention_in_days=365,
    to_cloudwatch=False,
    to_s3=True,
)
BUCKET = "vpc-flow-logs-s3-archive-test"
DELIVERING = "111111111111"
SILENT = "222222222222"


def archive_outputs() -> str:
    outputs = dict(run_stack_file("archive").stack_outputs)
    outputs["bucketName"] = BUCKET
    return json.dumps(outputs)


def deliver(account: str, region: str) -> None:
    s3 = client("s3")
    s3.create_bucket(Bucket=BUCKET)
    (folder, _) = region_folders(EXPECTED, account, region, datetime.now(UTC))
    s3.put_object(Bucket=BUCKET, Key=f"{folder}{account}_vpcflowlogs_x.log.parquet", Body=b"")


def test_every_account_is_reported_and_a_silent_one_warns_by_name(
    endpoint: str, session: boto3.Session
) -> None:
    deliver(DELIVERING, "us-east-1")
    deliver(DELIVERING, "us-west-2")
    outputs = parse_outputs(archive_outputs(), "archive outputs", "us-east-1")
    probes = plan(Aws(session), outputs, EXPECTED, "123456789012", 15, lambda: datetime.now(UTC))

    rows = [row for probe in probes for row in probe.run()]
    archive = [r for r in rows if r.check == CHECK]
    by_account = {(r.detail.split(":")[0], r.region): (r.ok, r.severity) for r in archive}
    assert by_account[(f"account {DELIVERING}", "us-east-1")] == (True, Severity.WARNING)
    assert by_account[(f"account {DELIVERING}", "us-west-2")] == (True, Severity.WARNING)
    assert by_account[(f"account {SILENT}", "us-east-1")] == (False, Severity.WARNING)
    silent = next(r for r in archive if r.detail.startswith(f"account {SILENT}"))
    assert "there is no object in it or in" in silent.detail
    assert f"aws-account-id={SILENT}" in silent.resource
    # The archive logs nothing of its own: its own folder is not checked, and nothing fails.
    assert not [r for r in rows if r.check == "s3-records"]
    assert not any_fails(rows)
    assert len(archive) == 3 * 2


def test_a_stack_that_is_not_an_archive_has_no_archive_probe(session: boto3.Session) -> None:
    outputs = parse_outputs(
        json.dumps(run_stack_file("dev").stack_outputs), "dev outputs", "us-east-1"
    )

    assert archive_probes(Aws(session), outputs, EXPECTED, 15, lambda: datetime.now(UTC)) == []
