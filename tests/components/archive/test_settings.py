"""The archive's and a member's settings: what they decode to, and every message for bad input."""

from __future__ import annotations

from typing import Any

import pytest

from components.archive.settings import (
    ArchiveMember,
    ArchiveSettings,
    component_problems,
    metrics_problems,
)
from components.config import SettingsError
from components.flow_logs.vpc_lookup import DefaultVpc, NoVpcs, VpcName
from components.settings import parse_settings

ARCHIVE: dict[str, Any] = {"archiveAccounts": ["111111111111", "222222222222"], "destination": "s3"}
MEMBER: dict[str, Any] = {"archiveStack": "acme/vpc-flow-logs/archive", "destination": "s3"}


def test_an_archive_logs_nothing_of_its_own_by_default() -> None:
    settings = parse_settings(ARCHIVE)

    assert settings.archive == ArchiveSettings(("111111111111", "222222222222"))
    assert settings.selection == NoVpcs()


def test_an_archive_with_a_target_key_logs_it() -> None:
    settings = parse_settings(
        {
            **ARCHIVE,
            "destination": "both",
            "vpcName": "core",
            "archiveRegions": ["us-east-1", "eu-west-1"],
            "archiveMemberRead": False,
        }
    )

    assert settings.archive == ArchiveSettings(
        ("111111111111", "222222222222"),
        member_read=False,
        regions=("us-east-1", "eu-west-1"),
        logs_own_targets=True,
    )
    assert settings.selection == VpcName("core")


def test_a_member_reads_its_archive_and_keeps_the_default_selection() -> None:
    settings = parse_settings({**MEMBER, "s3HivePartitions": True, "s3Prefix": ""})

    assert settings.archive == ArchiveMember("acme/vpc-flow-logs/archive")
    assert settings.selection == DefaultVpc()


def test_a_stack_with_no_archive_key_loads_nothing_of_it() -> None:
    assert parse_settings({"archiveMemberRead": True}).archive is None


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {**ARCHIVE, "archiveAccounts": ["12345", "111111111111", "111111111111"]},
            "archiveAccounts: '12345' is not an AWS account id; give 12 digits, such as "
            "'111111111111'.\n"
            "archiveAccounts: '111111111111' appears more than once; list each account once.",
        ),
        (
            {**ARCHIVE, "destination": "cloudwatch"},
            "archiveAccounts: an archive keeps the organisation's flow logs in the stack's S3 "
            "bucket, but destination is 'cloudwatch'; set destination to s3 or both.",
        ),
        (
            {**ARCHIVE, "destination": "both"},
            "destination: 'both' sends the archive's own flow logs to CloudWatch too, but the "
            "archive logs nothing of its own; set destination to s3, or set one of vpcIds, "
            "vpcName, allVpcs, subnetIds, eniIds, transitGatewayIds, transitGatewayAttachmentIds.",
        ),
        (
            {**ARCHIVE, "bucketArn": "arn:aws:s3:::theirs"},
            "archiveAccounts and bucketArn cannot be combined: the archive's bucket is the one "
            "the stack creates and hardens; leave bucketArn unset.",
        ),
        (
            {**ARCHIVE, "archiveRegions": ["mars-1"]},
            "archiveRegions: 'mars-1' is not an AWS region name; use names such as 'us-east-1' "
            "or 'eu-west-2'.",
        ),
        (
            {**ARCHIVE, "archiveAccounts": [f"{n:012d}" for n in range(285)]},
            "archiveAccounts: 286 accounts (the archive's own included) do not fit S3's 20 KB "
            "bucket policy; at most 285 fit with this layout. Split the organisation between "
            "several archives.",
        ),
        (
            {**ARCHIVE, "archiveOrganization": True},
            "archiveAccounts and archiveOrganization cannot be combined: list the accounts, or "
            "admit the organisation's active accounts, not both.",
        ),
        (
            {"archiveOrganization": True, "bucketArn": "arn:aws:s3:::theirs", "destination": "s3"},
            "archiveOrganization and bucketArn cannot be combined: the archive's bucket is the "
            "one the stack creates and hardens; leave bucketArn unset.",
        ),
        (
            {**ARCHIVE, **MEMBER},
            "archiveAccounts and archiveStack cannot be combined: a stack is the archive or one "
            "of its members, not both; keep archiveAccounts on the archive and archiveStack on "
            "each member.",
        ),
        (
            {"archiveRegions": ["us-east-1"]},
            "archiveRegions: ['us-east-1'] is set, but archiveAccounts is not; it applies only "
            "to an archive, so list the member accounts in archiveAccounts or leave it unset.",
        ),
        (
            {"archiveMemberRead": False},
            "archiveMemberRead: False is set, but archiveAccounts is not; it applies only to an "
            "archive, so list the member accounts in archiveAccounts or leave it unset.",
        ),
        (
            {**MEMBER, "archiveStack": "archive"},
            "archiveStack: 'archive' is not a stack reference; write "
            "<organization>/<project>/<stack>, such as 'acme/vpc-flow-logs/archive'.",
        ),
        (
            {**MEMBER, "destination": "cloudwatch"},
            "archiveStack: a member delivers to the archive's bucket in S3, but destination is "
            "'cloudwatch'; set destination to s3 or both.",
        ),
        (
            {**MEMBER, "bucketArn": "arn:aws:s3:::theirs"},
            "archiveStack and bucketArn cannot be combined: the archive owns the bucket and its "
            "settings; leave bucketArn unset on a member.",
        ),
        (
            {**MEMBER, "archiveMemberRead": False},
            "archiveStack and archiveMemberRead cannot be combined: the archive decides whether "
            "members read their folders; leave archiveMemberRead unset on a member.",
        ),
        (
            {**MEMBER, "s3Prefix": "mine"},
            "archiveStack and s3Prefix cannot be combined: the archive sets the layout for every "
            "member, but s3Prefix is 'mine'; leave it at its default ('').",
        ),
        (
            {**MEMBER, "s3HivePartitions": False},
            "archiveStack and s3HivePartitions cannot be combined: the archive sets the layout "
            "for every member, but s3HivePartitions is False; leave it at its default (True).",
        ),
        (
            {**MEMBER, "s3ExpirationDays": 400},
            "archiveStack and s3ExpirationDays cannot be combined: the archive sets the layout "
            "for every member, but s3ExpirationDays is 400; leave it at its default (365).",
        ),
        (
            {**MEMBER, "alarms": True, "alarmEmails": ["a@example.com"]},
            "alarms: true on a member that delivers only to the archive (destination s3 with "
            "archiveStack) has nothing to watch: the member has no log group, and the archive's "
            "alarms watch delivery into its bucket. Set destination to both to watch this "
            "account's CloudWatch copy, or leave alarms to the archive.",
        ),
    ],
)
def test_bad_archive_settings_are_refused_with_one_clear_message(
    config: dict[str, Any], message: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        parse_settings(config)

    assert str(raised.value) == message


def test_a_member_with_alarms_and_both_destinations_is_accepted() -> None:
    settings = parse_settings(
        {**MEMBER, "destination": "both", "alarms": True, "alarmEmails": ["a@example.com"]}
    )

    assert settings.archive == ArchiveMember("acme/vpc-flow-logs/archive")
    assert settings.monitoring is not None


def test_watching_more_accounts_than_s3s_metrics_configurations_is_refused() -> None:
    assert metrics_problems(1000) == []
    assert metrics_problems(1001) == [
        "alarms: watching 1001 accounts' delivery needs 1001 request-metrics configurations, "
        "but S3 allows at most 1000 per bucket; split the organisation between several archives."
    ]


def test_the_component_refuses_an_archive_in_an_existing_bucket() -> None:
    problems = component_problems(("111111111111",), {"bucket_arn": "arn:aws:s3:::theirs"})

    assert problems == [
        "archiveAccounts and bucketArn cannot be combined: the archive's bucket is the one the "
        "stack creates and hardens; leave bucketArn unset."
    ]
