"""Organisation settings: the organizationWide key, and what a telemetry rule adds to the
stack's own flow-log rules."""

from __future__ import annotations

import re

import pytest

from components.config import SettingsError
from components.flow_logs.settings import FlowLogOptions, TrafficType
from components.organization.settings import OrganizationSettings
from components.settings import parse_settings


def test_organization_wide_is_off_unless_set() -> None:
    assert parse_settings({}).organization_wide is False
    assert parse_settings({"organizationWide": "true"}).organization_wide is True


def test_defaults_name_log_groups_per_account_and_vpc() -> None:
    settings = OrganizationSettings()

    assert settings.destination_pattern == "/aws/vpc/flowlogs/<accountId>/<resourceId>"
    assert settings.rule_name == "vpc-flow-logs"
    assert settings.traffic_type is TrafficType.ALL
    assert (settings.max_aggregation_interval, settings.retention_in_days) == (60, 365)
    assert settings.rendered_log_format is None


def test_from_options_carries_the_stacks_own_options() -> None:
    options = FlowLogOptions(
        traffic_type=TrafficType.REJECT,
        max_aggregation_interval=600,
        log_group_name="/org/flows",
        retention_in_days=731,
        log_format=("version", "action"),
        tags={"a": "b"},
        encrypt_logs=True,
    )

    assert OrganizationSettings.from_options(options) == OrganizationSettings(
        traffic_type=TrafficType.REJECT,
        max_aggregation_interval=600,
        log_group_name="/org/flows",
        retention_in_days=731,
        log_format=("version", "action"),
        tags={"a": "b"},
    )
    assert OrganizationSettings.from_options(options).rendered_log_format == "${version} ${action}"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"organizationWide": "true", "logGroupName": "/org/vpc#flows.v2"},
            "logGroupName: '/org/vpc#flows.v2' has characters an organisation telemetry rule's "
            "destination pattern refuses ('#' '.'); with organizationWide, use only "
            "A-Z a-z 0-9 _ / -.",
        ),
        (
            {"organizationWide": "true", "logGroupName": "/" + "a" * 477},
            f"logGroupName: '/{'a' * 477}' is 478 characters; with organizationWide each "
            "account's log group adds up to 35 more, so the limit is 477.",
        ),
        (
            {"organizationWide": "maybe"},
            "organizationWide: 'maybe' is not a boolean; use true or false.",
        ),
    ],
)
def test_bad_input_is_refused_before_anything_is_registered(
    raw: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        parse_settings(raw)
    assert str(raised.value) == message


def test_the_narrower_name_rule_applies_only_with_organization_wide() -> None:
    assert parse_settings({"logGroupName": "/org/vpc#flows.v2"}).organization_wide is False


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"rule_name": "vpc_flow_logs"},
            "ruleName: 'vpc_flow_logs' is not a telemetry rule name; use 1 to 100 characters "
            "from A-Z a-z 0-9 -.",
        ),
        (
            {"rule_name": "x" * 101},
            f"ruleName: '{'x' * 101}' is not a telemetry rule name; use 1 to 100 characters "
            "from A-Z a-z 0-9 -.",
        ),
        (
            {"region": "mars-1"},
            "region: 'mars-1' is not an AWS region name; use names such as 'us-east-1' or "
            "'eu-west-2'.",
        ),
        (
            {"retention_in_days": 0},
            "retentionInDays: 0 means never expire, which this project refuses; use one of 1, 3, "
            "5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, "
            "2922, 3288, 3653.",
        ),
        (
            {"max_aggregation_interval": 300},
            "maxAggregationInterval: 300 is not allowed; use 60 or 600 (seconds).",
        ),
        (
            {"traffic_type": "NONE"},
            "trafficType: 'NONE' is not a flow-log traffic type; use one of ALL, ACCEPT, REJECT.",
        ),
    ],
)
def test_settings_built_directly_validate(changes: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=f"^{re.escape(message)}$"):
        OrganizationSettings(**changes)  # type: ignore[arg-type]
