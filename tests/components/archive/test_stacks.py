"""The archive and a member as whole stacks under mocks: what they register, export and refuse."""

from __future__ import annotations

from typing import Any

import pytest

from components.config import SettingsError
from offline.mocks import UnexpectedCall
from tests.support.program import document, fake_account, run_stack, run_stack_file

ARCHIVE_STACK = "acme/vpc-flow-logs/archive"
ARCHIVE: dict[str, Any] = {
    "destination": "s3",
    "archiveAccounts": ["111111111111", "222222222222"],
    "archiveRegions": ["us-east-1", "us-west-2"],
    "encryptLogs": True,
}
MEMBER: dict[str, Any] = {"archiveStack": ARCHIVE_STACK, "destination": "s3"}
BUCKET_METRIC = "aws:s3/bucketMetric:BucketMetric"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
ARCHIVE_BUCKET = "vpc-flow-logs-s3-archive-123456789012-us-east-1"


def archive_outputs(**config: Any) -> dict[str, Any]:
    return run_stack({**ARCHIVE, **config}, stack="archive").stack_outputs


def test_the_archive_logs_nothing_of_its_own_and_admits_every_listed_account() -> None:
    run = run_stack(ARCHIVE, stack="archive")

    assert run.of_type("aws:ec2/flowLog:FlowLog") == []
    assert not [i for i in run.invokes if i.token == "aws:ec2/getVpcs:getVpcs"]
    (policy,) = [
        document(r.inputs["policy"])
        for r in run.of_type("aws:s3/bucketPolicy:BucketPolicy")
        if r.name == "vpc-flow-logs-s3-policy"
    ]
    write = next(s for s in policy["Statement"] if s["Sid"] == "AWSLogDeliveryWrite")
    assert write["Condition"]["StringEquals"]["aws:SourceAccount"] == [
        "111111111111",
        "123456789012",
        "222222222222",
    ]
    key = document(run.one("aws:kms/key:Key").inputs["policy"])
    assert [s["Sid"] for s in key["Statement"]] == [
        "EnableAccountAdministration",
        "AllowArchiveDeliveryToS3",
        "AllowMembersToDecryptThroughS3",
    ]


def test_the_archive_exports_what_a_member_reads() -> None:
    outputs = archive_outputs()

    assert {k: v for k, v in outputs.items() if k.startswith("archive")} == {
        "archiveBucketArn": f"arn:aws:s3:::{ARCHIVE_BUCKET}",
        "archivePrefix": "",
        "archiveFileFormat": "parquet",
        "archiveHivePartitions": True,
        "archivePerHourPartition": False,
        "archiveKmsKeyArn": outputs["archiveKmsKeyArn"],
        "archiveAccounts": ["111111111111", "123456789012", "222222222222"],
        "archiveRegions": ["us-east-1", "us-west-2"],
    }
    assert outputs["archiveKmsKeyArn"].startswith("arn:aws:kms:us-east-1:123456789012:key/")
    assert "archiveKmsKeyArn" not in archive_outputs(encryptLogs=False)


def member_run(account: str = "111111111111", **config: Any) -> Any:
    aws = fake_account(account_id=account, stacks={ARCHIVE_STACK: archive_outputs()})
    return run_stack({**MEMBER, **config}, aws=aws, stack="member")


def test_a_member_delivers_to_the_archive_in_its_layout_and_creates_no_bucket() -> None:
    run = member_run(s3HivePartitions=True)

    assert run.of_type("aws:s3/bucket:Bucket") == []
    assert run.of_type("aws:glue/catalogTable:CatalogTable") == []
    assert run.of_type("aws:kms/key:Key") == []
    (flow_log,) = run.of_type("aws:ec2/flowLog:FlowLog")
    assert flow_log.inputs["logDestination"] == f"arn:aws:s3:::{ARCHIVE_BUCKET}"
    assert flow_log.inputs["destinationOptions"] == {
        "fileFormat": "parquet",
        "hiveCompatiblePartitions": True,
        "perHourPartition": False,
    }
    assert run.stack_outputs["bucketName"] == ARCHIVE_BUCKET
    assert run.stack_outputs["archiveStack"] == ARCHIVE_STACK


def test_a_member_outside_the_archives_accounts_is_refused_before_registration() -> None:
    run = run_stack(
        MEMBER,
        aws=fake_account(account_id="333333333333", stacks={ARCHIVE_STACK: archive_outputs()}),
        stack="member",
        raise_errors=False,
    )

    assert isinstance(run.error, SettingsError)
    assert str(run.error) == (
        "archiveStack: this account, 333333333333, is not among the archive's accounts "
        "(111111111111, 123456789012, 222222222222); add 333333333333 to archiveAccounts on the "
        "archive stack 'acme/vpc-flow-logs/archive' and `pulumi up` the archive first, then "
        "this stack."
    )
    assert run.resources == []


def test_a_member_region_outside_the_archives_regions_is_refused() -> None:
    aws = fake_account(account_id="111111111111", stacks={ARCHIVE_STACK: archive_outputs()})
    run = run_stack(
        {**MEMBER, "regions": ["us-east-1", "eu-west-1"], "allVpcs": True},
        aws=aws,
        stack="member",
        raise_errors=False,
    )

    assert str(run.error) == (
        "archiveStack: the archive's archiveRegions (us-east-1, us-west-2) leave out eu-west-1; "
        "add them to archiveRegions on the archive stack 'acme/vpc-flow-logs/archive' and "
        "`pulumi up` it first, then this stack."
    )
    assert run.resources == []


def test_a_stack_that_is_not_an_archive_is_refused() -> None:
    not_archive = run_stack({"destination": "s3"}, stack="other").stack_outputs
    run = run_stack(
        MEMBER,
        aws=fake_account(stacks={ARCHIVE_STACK: not_archive}),
        stack="member",
        raise_errors=False,
    )

    assert str(run.error) == (
        "archiveStack: the stack 'acme/vpc-flow-logs/archive' exports no archiveBucketArn, "
        "archivePrefix, archiveFileFormat, archiveHivePartitions, archivePerHourPartition, "
        "archiveAccounts; name an archive stack (one with archiveAccounts), and `pulumi up` it "
        "first."
    )


def test_the_mocks_refuse_a_stack_they_do_not_know() -> None:
    run = run_stack(MEMBER, stack="member", raise_errors=False)

    assert isinstance(run.error, UnexpectedCall)


@pytest.mark.parametrize("preview", [False, True])
def test_the_committed_member_delivers_to_the_committed_archive(preview: bool) -> None:
    archive = run_stack_file("archive").stack_outputs
    run = run_stack_file("member", preview=preview)

    destinations = {f.inputs["logDestination"] for f in run.of_type("aws:ec2/flowLog:FlowLog")}
    assert destinations == {archive["archiveBucketArn"]}
    assert len(run.of_type("aws:ec2/flowLog:FlowLog")) == 4


@pytest.mark.parametrize("preview", [False, True])
def test_the_committed_archive_exports_what_members_read(preview: bool) -> None:
    run = run_stack_file("archive", preview=preview)

    assert set(run.stack_outputs) == {
        "vpcIds",
        "s3FlowLogIds",
        "s3TargetFlowLogIds",
        "bucketName",
        "archiveBucketArn",
        "archivePrefix",
        "archiveFileFormat",
        "archiveHivePartitions",
        "archivePerHourPartition",
        "archiveKmsKeyArn",
        "archiveAccounts",
        "archiveRegions",
        "athenaDatabase",
        "athenaTable",
        "athenaWorkgroup",
        "regions",
    }
    assert all(b.protect for b in run.of_type("aws:s3/bucket:Bucket"))
    assert run.one("aws:kms/key:Key").protect


def test_an_archive_with_alarms_watches_each_account_by_name() -> None:
    run = run_stack(
        {**ARCHIVE, "alarms": True, "alarmEmails": ["soc@example.com"]}, stack="archive"
    )

    metrics = {m.name: m.inputs["filter"]["prefix"] for m in run.of_type(BUCKET_METRIC)}
    assert metrics == {
        "vpc-flow-logs-monitoring-111111111111-s3-request-metrics": (
            "AWSLogs/aws-account-id=111111111111/"
        ),
        "vpc-flow-logs-monitoring-222222222222-s3-request-metrics": (
            "AWSLogs/aws-account-id=222222222222/"
        ),
    }
    alarms = {a.name: a.inputs for a in run.of_type(ALARM)}
    stopped = alarms["vpc-flow-logs-monitoring-s3-delivery-stopped-222222222222"]
    assert stopped["alarmDescription"].startswith(
        "Account 222222222222 stopped delivering: no flow-log object written to its folder for "
        "30 minutes"
    )
    assert stopped["dimensions"]["FilterId"] == "vpc-flow-logs-monitoring-222222222222"
    assert stopped["treatMissingData"] == "breaching"
    assert "vpc-flow-logs-monitoring-s3-delivery-stopped" not in alarms


def test_an_archive_logging_its_own_targets_watches_its_own_folder_too() -> None:
    run = run_stack(
        {
            **ARCHIVE,
            "vpcName": "ASG-VPC",
            "s3HivePartitions": False,
            "alarms": True,
            "alarmEmails": ["soc@example.com"],
        },
        stack="archive",
    )

    prefixes = sorted(m.inputs["filter"]["prefix"] for m in run.of_type(BUCKET_METRIC))
    assert prefixes == ["AWSLogs/111111111111/", "AWSLogs/123456789012/", "AWSLogs/222222222222/"]


def test_an_organisation_archive_admits_the_active_accounts() -> None:
    aws = fake_account(
        organization_accounts={
            "123456789012": "ACTIVE",
            "444444444444": "ACTIVE",
            "555555555555": "SUSPENDED",
        }
    )
    run = run_stack({"destination": "s3", "archiveOrganization": True}, aws=aws, stack="archive")

    assert run.stack_outputs["archiveAccounts"] == ["123456789012", "444444444444"]
    assert run.of_type("aws:ec2/flowLog:FlowLog") == []


def test_an_organisation_too_large_for_the_bucket_policy_is_refused_before_registration() -> None:
    accounts = {f"{n:012d}": "ACTIVE" for n in range(1, 300)}
    run = run_stack(
        {"destination": "s3", "archiveOrganization": True},
        aws=fake_account(organization_accounts=accounts),
        stack="archive",
        raise_errors=False,
    )

    assert str(run.error) == (
        "archiveOrganization: 300 accounts (the archive's own included) do not fit S3's 20 KB "
        "bucket policy; at most 285 fit with this layout. Split the organisation between "
        "several archives."
    )
    assert run.resources == []
