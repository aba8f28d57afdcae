"""Who hears the alarms: a topic per region (``alarmTopicArn`` as a map), topics in another
account, and a warning for a placeholder address."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from components import SettingsError
from offline.stack_config import StackConfigError, resolve_config
from tests.support.monitoring import ALARM, TOPIC, build
from tests.support.program import PROJECT_DIR, run_stack, run_stack_file

EAST = "arn:aws:sns:us-east-1:210987654321:security-alerts"
WEST = "arn:aws:sns:us-west-2:210987654321:security-alerts"
"""A security team's topics, in another account than the stack's (123456789012)."""
EUROPE = "arn:aws:sns:eu-west-1:210987654321:security-alerts"
TWO_REGIONS = {"alarms": True, "allVpcs": True, "regions": ["us-east-1", "us-west-2"]}


def region(resource: Any) -> str:
    return str(resource.inputs.get("region", "us-east-1"))


def test_each_regions_alarms_notify_that_regions_topic_from_the_map() -> None:
    run = run_stack({**TWO_REGIONS, "alarmTopicArn": {"us-east-1": EAST, "us-west-2": WEST}})
    assert run.of_type(TOPIC) == []
    by_region = {"us-east-1": EAST, "us-west-2": WEST}
    alarms = run.of_type(ALARM)
    assert {region(a) for a in alarms} == {"us-east-1", "us-west-2"}
    for alarm in alarms:
        assert (
            alarm.inputs["alarmActions"] == alarm.inputs["okActions"] == [by_region[region(alarm)]]
        )
    assert run.stack_outputs["alarmTopicArn"] == EAST
    assert run.stack_outputs["regions"]["us-west-2"]["alarmTopicArn"] == WEST


def test_a_one_region_stack_takes_a_single_arn_or_a_map_of_its_region() -> None:
    for topic in (EAST, {"us-east-1": EAST}):
        run = run_stack({"alarms": True, "vpcName": "ASG-VPC", "alarmTopicArn": topic})
        assert {tuple(a.inputs["alarmActions"]) for a in run.of_type(ALARM)} == {(EAST,)}


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {**TWO_REGIONS, "alarmTopicArn": {"us-east-1": EAST}},
            "alarmTopicArn: no topic for us-west-2; every region in regions needs one, in that "
            "region.",
        ),
        (
            {
                **TWO_REGIONS,
                "alarmTopicArn": {"us-east-1": EAST, "us-west-2": WEST, "eu-west-1": EUROPE},
            },
            "alarmTopicArn: eu-west-1 is not in regions (us-east-1, us-west-2); give a topic for "
            "each covered region only.",
        ),
        (
            {**TWO_REGIONS, "alarmTopicArn": {"us-east-1": EAST, "us-west-2": EAST}},
            f"alarmTopicArn.us-west-2: {EAST!r} is a topic in us-east-1; an alarm can only "
            "notify a topic in its own region, so give a topic in us-west-2.",
        ),
        (
            {
                "alarms": True,
                "vpcName": "ASG-VPC",
                "alarmTopicArn": {"us-east-1": EAST, "us-west-2": WEST},
            },
            "alarmTopicArn: 2 topics for a stack of one region; give one, for the stack's own "
            "region.",
        ),
        (
            {**TWO_REGIONS, "alarmTopicArn": {"us-east-1": EAST, "us-west-2": "sns"}},
            "alarmTopicArn.us-west-2: 'sns' is not an SNS topic ARN; expected "
            "arn:<partition>:sns:<region>:<account>:<topic name>.",
        ),
        (
            {"alarms": True, "vpcName": "ASG-VPC", "alarmTopicArn": {"us-east-1": 7}},
            "alarmTopicArn: {'us-east-1': 7} is not a map of strings.",
        ),
    ],
)
def test_a_map_that_does_not_match_the_regions_is_refused_before_anything_is_created(
    config: dict[str, Any], message: str
) -> None:
    run = run_stack(config, raise_errors=False)
    assert isinstance(run.error, SettingsError)
    assert str(run.error) == message
    assert [r for r in run.resources if r.type != "pulumi:pulumi:Stack"] == []


def test_a_map_missing_the_stacks_own_region_is_refused_naming_it() -> None:
    run = run_stack(
        {"alarms": True, "vpcName": "ASG-VPC", "alarmTopicArn": {"us-west-2": WEST}},
        raise_errors=False,
    )
    assert isinstance(run.error, SettingsError)
    assert str(run.error) == (
        "alarmTopicArn: no topic for us-east-1, the stack's own region; give a map entry for "
        "us-east-1, or a single topic ARN in it."
    )


# Pulumi.yaml declares no type for the key, so the CLI lets both forms through.


def test_the_cli_rules_accept_both_forms_as_declared_and_would_refuse_a_map_if_typed(
    tmp_path: Path,
) -> None:
    for topic in (EAST, {"us-east-1": EAST, "us-west-2": WEST}):
        resolved = resolve_config(PROJECT_DIR, "test", {"alarmTopicArn": topic})
        assert resolved.get("vpc-flow-logs:alarmTopicArn") is not None
    project = yaml.safe_load((PROJECT_DIR / "Pulumi.yaml").read_text())
    assert "type" not in project["config"]["alarmTopicArn"]
    project["config"]["alarmTopicArn"]["type"] = "string"
    (tmp_path / "Pulumi.yaml").write_text(yaml.safe_dump(project))
    with pytest.raises(StackConfigError):
        resolve_config(tmp_path, "test", {"alarmTopicArn": {"us-east-1": EAST}})


# A placeholder receiver.


@pytest.mark.parametrize(
    ("email", "domain"),
    [("soc@example.com", "example.com"), ("ops@alerts.example.org", "example.org")],
)
def test_an_address_at_a_documentation_domain_is_warned_about_by_name(
    email: str, domain: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, **_: warnings.append(message))
    build(alarm_emails=[email, "soc@security.internal"], egress_anomaly_band=0)
    assert warnings == [
        f"alarmEmails: {email!r} is at {domain}, a placeholder domain that receives no mail: the "
        "alarms reach nobody until you replace it with your team's address (or set "
        "alarmTopicArn)."
    ]


def test_prods_placeholder_is_warned_about_in_each_region(monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, **_: warnings.append(message))
    run_stack_file("prod")
    placeholder = [w for w in warnings if "'network-security@example.com'" in w]
    assert len(placeholder) == 2
