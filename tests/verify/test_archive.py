"""The archive's check against moto's server: every admitted account's newest object, and a
warning that names an account with nothing fresh."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import boto3

from tests.support.program import run_stack_file
from tests.support.verify_accounts import client
from tests.verify.stubs import Account
from verify.archive import CHECK, archive_probes
from verify.aws import Aws
from verify.expected import DEFAULT_LOG_FORMAT, Expected
from verify.outputs import parse_outputs
from verify.plan import plan
from verify.results import Severity, any_fails
from verify.s3_records import region_folders
from verify.wait import run_probe

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


def test_a_failing_listing_is_one_unknown_row_per_probe_and_every_other_row_is_there(
    endpoint: str, session: boto3.Session, pauses: list[float]
) -> None:
    outputs = parse_outputs(archive_outputs(), "archive outputs", "us-east-1")

    def rows(aws: Aws) -> list[tuple[str, str, str, bool, Severity, str]]:
        probes = plan(aws, outputs, EXPECTED, "123456789012", 15, lambda: datetime.now(UTC))
        return [
            (r.check, r.region, r.resource, r.ok, r.severity, r.detail)
            for probe in probes
            for r in run_probe(probe)
        ]

    hook = Account(fail="ListObjectsV2")
    healthy, failing = rows(Aws(session)), rows(Aws(session, on_client=hook.hook()))

    assert [r[:3] for r in failing if r[0] != CHECK] == [r[:3] for r in healthy if r[0] != CHECK]
    archive = [r for r in failing if r[0] == CHECK]
    # One row for each probe of the archive: one probe per admitted account, its regions together.
    assert [resource.rsplit(" ", 1)[-1] for _, _, resource, *_ in archive] == [
        "111111111111",
        "123456789012",
        "222222222222",
    ]
    assert {(ok, severity) for _, _, _, ok, severity, _ in archive} == {(False, Severity.UNKNOWN)}
    assert all(
        detail.startswith("could not tell: AWS answered ListObjectsV2 with HTTP 500")
        for *_, detail in archive
    )
