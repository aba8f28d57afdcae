"""The mocks answer only what they were written for, and record what the engine would see."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pytest

from offline.mocks import AwsMocks, FakeAws, UnexpectedCall, run_pulumi


def test_an_unexpected_invoke_fails_the_run() -> None:
    def program() -> None:
        aws.ec2.get_subnets()

    with pytest.raises(UnexpectedCall, match="no mock for invoke aws:ec2/getSubnets:getSubnets"):
        run_pulumi(program, {}, FakeAws(), project="p", stack="s")


def test_an_unexpected_resource_type_is_refused() -> None:
    mocks = AwsMocks(FakeAws())
    table = pulumi.runtime.MockResourceArgs("aws:dynamodb/table:Table", "logs", {}, "", custom=True)

    with pytest.raises(UnexpectedCall, match=r"no mock for resource type aws:dynamodb/table:Table"):
        mocks.new_resource(table)


def test_a_bucket_is_named_and_its_arn_has_no_region_or_account() -> None:
    mocks = AwsMocks(FakeAws(partition="aws-cn", region="cn-north-1"))
    bucket = pulumi.runtime.MockResourceArgs(
        "aws:s3/bucket:Bucket", "logs", {"bucket": "flow-logs"}, "", custom=True
    )

    _, outputs = mocks.new_resource(bucket)

    assert outputs["bucket"] == "flow-logs"
    assert outputs["arn"] == "arn:aws-cn:s3:::flow-logs"


def test_an_unknown_vpc_filter_is_not_silently_ignored() -> None:
    mocks = AwsMocks(FakeAws())
    call = pulumi.runtime.MockCallArgs(
        "aws:ec2/getVpcs:getVpcs", {"filters": [{"name": "cidr", "values": ["10.0.0.0/16"]}]}, ""
    )

    with pytest.raises(UnexpectedCall, match="no mock for getVpcs filter 'cidr'"):
        mocks.call(call)


def test_ids_and_outputs_are_unknown_in_a_preview_and_stable_in_an_update() -> None:
    def program() -> None:
        aws.ec2.Vpc("net", cidr_block="10.0.0.0/16")

    preview = run_pulumi(program, {}, FakeAws(), project="p", stack="s", preview=True)
    update = run_pulumi(program, {}, FakeAws(), project="p", stack="s")
    again = run_pulumi(program, {}, FakeAws(), project="p", stack="s")

    assert preview.resources[0].id == ""
    assert "arn" not in preview.resources[0].outputs
    assert update.resources[0].id.startswith("vpc-")
    assert update.resources[0].id == again.resources[0].id
    assert update.resources[0].outputs["arn"] == (
        f"arn:aws:ec2:us-east-1:123456789012:vpc/{update.resources[0].id}"
    )


def test_each_run_starts_from_an_empty_stack() -> None:
    def first() -> None:
        pulumi.export("a", 1)

    def second() -> None:
        pulumi.export("b", 2)

    run_pulumi(first, {}, FakeAws(), project="p", stack="s")
    run = run_pulumi(second, {}, FakeAws(), project="p", stack="s")

    assert run.stack_outputs == {"b": 2}


def test_config_and_telemetry_resources_live_in_the_region_they_are_given() -> None:
    def program() -> None:
        rule = aws.cfg.Rule(
            "rule",
            source={"owner": "AWS", "source_identifier": "VPC_FLOW_LOGS_ENABLED"},
            region="eu-west-1",
        )
        aws.cfg.RemediationConfiguration(
            "fix", config_rule_name=rule.name, target_type="SSM_DOCUMENT", target_id="doc"
        )
        aws.observabilityadmin.TelemetryRuleForOrganization(
            "org", rule_name="r", rule={"telemetry_type": "Logs"}, region="ap-south-1"
        )

    run = run_pulumi(program, {}, FakeAws(), project="p", stack="s")
    rule = run.one("aws:cfg/rule:Rule")

    assert rule.outputs["arn"].startswith("arn:aws:config:eu-west-1:123456789012:config-rule/")
    assert (
        run.one("aws:cfg/remediationConfiguration:RemediationConfiguration")
        .outputs["arn"]
        .startswith(
            f"arn:aws:config:us-east-1:123456789012:remediation-configuration/{rule.outputs['name']}/"
        )
    )
    assert run.one(
        "aws:observabilityadmin/telemetryRuleForOrganization:TelemetryRuleForOrganization"
    ).outputs["ruleArn"] == (
        "arn:aws:observabilityadmin:ap-south-1:123456789012:organization-telemetry-rule/r"
    )
