"""Centralization's settings: every refusal, with its exact message, before anything exists."""

from __future__ import annotations

import pytest

from components.centralization.settings import (
    DEFAULT_CENTRAL_LOG_GROUP_NAME,
    CentralizationSettings,
    home_region_problems,
    source_scope,
)
from components.config import SettingsError
from components.settings import parse_settings


def test_defaults_copy_the_flow_log_groups_into_the_security_group() -> None:
    settings = parse_settings({"centralizeLogs": True}).centralization

    assert settings == CentralizationSettings(source_log_group_prefix="/aws/vpc/flowlogs")
    assert settings.log_group_name == DEFAULT_CENTRAL_LOG_GROUP_NAME == "/security/vpc-flow-logs"


def test_off_means_no_settings() -> None:
    assert parse_settings({}).centralization is None


def test_an_organisation_serving_stack_logs_no_vpc_of_its_own_unless_a_target_is_set() -> None:
    from components.flow_logs.vpc_lookup import DefaultVpc, NoVpcs, VpcName

    assert isinstance(parse_settings({}).selection, DefaultVpc)
    assert isinstance(parse_settings({"centralizeLogs": True}).selection, NoVpcs)
    assert isinstance(parse_settings({"organizationWide": True}).selection, NoVpcs)
    named = parse_settings({"centralizeLogs": True, "vpcName": "app"}).selection
    assert named == VpcName("app")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"centralizeLogs": True, "centralLogGroupName": "/aws/vpc/flowlogs-central"},
            "centralLogGroupName: '/aws/vpc/flowlogs-central' starts with logGroupName "
            "'/aws/vpc/flowlogs', so the centralization rule, which copies every group whose "
            "name starts with logGroupName, would copy the central group into itself; choose a "
            "central name outside '/aws/vpc/flowlogs', such as '/security/vpc-flow-logs'.",
        ),
        (
            {"centralizeLogs": True, "centralLogGroupName": "/security/flow logs"},
            "centralLogGroupName: '/security/flow logs' has characters CloudWatch Logs refuses "
            "(' '); a log group name is 1 to 512 characters from A-Z a-z 0-9 . - _ / #.",
        ),
        (
            {"centralizeLogs": True, "centralizeAccounts": ["111122223333", "12345"]},
            "centralizeAccounts: '12345' is not an AWS account id; use 12 digits, such as "
            "'111122223333'.",
        ),
        (
            {"centralizeLogs": True, "centralizeAccounts": ["111122223333", "111122223333"]},
            "centralizeAccounts: an account appears more than once; list each once.",
        ),
        (
            {"centralizeLogs": True, "centralizeRegions": ["us-east-1", "mars-north-1"]},
            "centralizeRegions: 'mars-north-1' is not an AWS region name; use names such as "
            "'us-east-1' or 'eu-west-2'.",
        ),
        (
            {"centralizeLogs": True, "centralizeRegions": ["us-east-1", "us-east-1"]},
            "centralizeRegions: 'us-east-1' appears more than once; list each region once.",
        ),
        (
            {"centralizeLogs": True, "centralizeBackupRegion": "europe"},
            "centralizeBackupRegion: 'europe' is not an AWS region name; use names such as "
            "'us-east-1' or 'eu-west-2'.",
        ),
        (
            {"centralizeAccounts": ["111122223333"]},
            "centralizeAccounts: is set, but centralizeLogs is off; turn centralizeLogs on, or "
            "remove centralizeAccounts.",
        ),
        (
            {"organizationWide": True, "repairDrift": True},
            "repairDrift: with organizationWide or centralizeLogs and no target key, the stack "
            "logs no VPC of its own, so repairs have no log group or bucket to deliver to; set "
            "vpcIds, vpcName or allVpcs (or another target key), or turn repairDrift off.",
        ),
        (
            {"organizationWide": True, "destination": "s3"},
            "destination: 's3' sends the stack's own flow logs to S3, but with organizationWide "
            "or centralizeLogs and no target key the stack logs no VPC of its own; set vpcIds, "
            "vpcName or allVpcs (or another target key), or leave destination at cloudwatch. For "
            "every account's flow logs in S3, see archiveAccounts.",
        ),
        (
            {"centralizeLogs": True, "destination": "both"},
            "destination: 'both' sends the stack's own flow logs to S3, but with organizationWide "
            "or centralizeLogs and no target key the stack logs no VPC of its own; set vpcIds, "
            "vpcName or allVpcs (or another target key), or leave destination at cloudwatch. For "
            "every account's flow logs in S3, see archiveAccounts.",
        ),
        (
            {"centralLogGroupName": "/security/vpc"},
            "centralLogGroupName: is set, but centralizeLogs is off; turn centralizeLogs on, or "
            "remove centralLogGroupName.",
        ),
    ],
)
def test_bad_input_is_refused_naming_key_value_and_rule(
    raw: dict[str, object], message: str
) -> None:
    with pytest.raises(SettingsError) as error:
        parse_settings(raw)

    assert str(error.value) == message


def test_a_backup_in_the_home_region_is_refused() -> None:
    settings = CentralizationSettings("/aws/vpc/flowlogs", backup_region="us-east-1")

    assert home_region_problems(settings, "us-east-1") == [
        "centralizeBackupRegion: 'us-east-1' is the stack's own region (aws:region), where the "
        "central group already is; name another region, or leave it empty."
    ]
    assert home_region_problems(settings, "eu-west-1") == []


@pytest.mark.parametrize(
    ("accounts", "scope"),
    [
        ((), "OrganizationId = 'o-a1b2c3d4e5'"),
        (("111122223333",), "AccountId IN ('111122223333')"),
        (("111122223333", "444455556666"), "AccountId IN ('111122223333', '444455556666')"),
    ],
)
def test_the_scope_is_the_organisation_or_the_listed_accounts(
    accounts: tuple[str, ...], scope: str
) -> None:
    assert source_scope("o-a1b2c3d4e5", accounts) == scope
