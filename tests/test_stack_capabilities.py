"""The committed stacks' capabilities as the program runs them: drift repair, the organisation,
S3 delivery, the keys it refuses, and how flow logs are replaced."""

import json
from collections import Counter
from datetime import UTC, datetime

import pytest

from components.config import SettingsError
from components.settings import FLOW_LOGS_PER_TARGET_LIMIT
from offline.mocks import ProgramRun, RecordedResource
from tests.support.program import (
    APP_VPC,
    ASG_VPC,
    DEFAULT_VPC,
    PROJECT_DIR,
    WEST_VPC,
    document,
    run_stack,
    run_stack_file,
)
from tests.support.projection import resolve_projection

STACKS = sorted(p.name.split(".")[1] for p in PROJECT_DIR.glob("Pulumi.*.yaml"))
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
KEY = "aws:kms/key:Key"
ROLE = "aws:iam/role:Role"
BUCKET = "aws:s3/bucket:Bucket"
TABLE = "aws:glue/catalogTable:CatalogTable"


REPAIR_ROLE = "vpc-flow-logs-repair-role"
RULE = "aws:cfg/rule:Rule"
REMEDIATION = "aws:cfg/remediationConfiguration:RemediationConfiguration"
REPAIR_DOCUMENT = "aws:ssm/document:Document"
TELEMETRY_RULE = "aws:observabilityadmin/telemetryRuleForOrganization:TelemetryRuleForOrganization"


@pytest.mark.parametrize("preview", [False, True])
def test_prod_repairs_drift_in_each_region_into_that_regions_log_group_and_role(
    preview: bool,
) -> None:
    run = run_stack_file("prod", preview=preview)

    def in_region(type_: str, region: str) -> list[RecordedResource]:
        return [r for r in run.of_type(type_) if r.inputs.get("region", "us-east-1") == region]

    for region, prefix in (
        ("us-east-1", "vpc-flow-logs"),
        ("us-west-2", "vpc-flow-logs-us-west-2"),
    ):
        (rule,) = in_region(RULE, region)
        (remediation,) = in_region(REMEDIATION, region)
        (repair_document,) = in_region(REPAIR_DOCUMENT, region)
        (log_group,) = in_region(LOG_GROUP, region)
        roles = {r.name: r for r in run.of_type(ROLE)}
        delivery_role = roles[f"{prefix}-role"]
        (flow_log_bucket,) = [b for b in run.of_type(BUCKET) if b.name == "vpc-flow-logs-s3-bucket"]
        repair_role = roles[
            REPAIR_ROLE if region == "us-east-1" else f"{REPAIR_ROLE[:-5]}-{region}-role"
        ]

        assert json.loads(rule.inputs["inputParameters"]) == {"trafficType": "ALL"}
        # The document is named for the region's component and the stack.
        away = "" if region == "us-east-1" else f"-{region}"
        assert (
            remediation.inputs["targetId"]
            == repair_document.inputs["name"]
            == f"vpc-flow-logs-repair{away}-prod"
        )
        assert remediation.inputs["automatic"] is True
        assert remediation.property_dependencies["parameters"] == [repair_role.urn]
        # The destinations and the role passed are this region's VpcFlowLogs component's own
        # and the stack's bucket: linked by dependency even in a preview, where their ARNs are
        # still unknown.
        assert sorted(repair_document.property_dependencies["content"]) == sorted(
            [log_group.urn, delivery_role.urn, flow_log_bucket.urn]
        )
        parameters = {p["name"]: p for p in remediation.inputs["parameters"]}
        if not preview:
            create = json.loads(repair_document.inputs["content"])["mainSteps"][0]["inputs"]
            assert create["LogDestination"] == log_group.outputs["arn"]
            assert log_group.outputs["arn"].split(":")[3] == region
            assert create["DeliverLogsPermissionArn"] == delivery_role.outputs["arn"]
            assert parameters["AutomationAssumeRole"]["staticValue"] == repair_role.outputs["arn"]
            assert (
                run.stack_outputs["regions"][region]["driftRepairRuleName"]
                == (rule.outputs["name"])
            )
    if not preview:
        (home_rule,) = in_region(RULE, "us-east-1")
        assert run.stack_outputs["driftRepairRuleName"] == home_rule.outputs["name"]
    assert run.of_type(TELEMETRY_RULE) == []


def test_dev_neither_repairs_drift_nor_rolls_out_to_the_organisation() -> None:
    run = run_stack_file("dev")

    assert run.of_type(RULE) == run.of_type(REMEDIATION) == run.of_type(TELEMETRY_RULE) == []


def test_organization_wide_carries_the_stacks_options_to_the_organisation_rule() -> None:
    run = run_stack({"organizationWide": True, "trafficType": "REJECT", "retentionInDays": 731})
    rule = run.one(TELEMETRY_RULE)
    destination = rule.inputs["rule"]["destinationConfiguration"]

    assert destination["destinationPattern"] == "/aws/vpc/flowlogs/<accountId>/<resourceId>"
    assert destination["retentionInDays"] == 731
    assert destination["vpcFlowLogParameters"] == {
        "trafficType": "REJECT",
        "maxAggregationInterval": 60,
    }
    assert run.stack_outputs["organizationRuleArn"] == rule.outputs["ruleArn"]


def test_organization_wide_refuses_a_log_group_name_before_registering_anything() -> None:
    run = run_stack({"organizationWide": True, "logGroupName": "/flows.v2"}, raise_errors=False)

    assert str(run.error) == (
        "logGroupName: '/flows.v2' has characters an organisation telemetry rule's destination "
        "pattern refuses ('.'); with organizationWide, use only A-Z a-z 0-9 _ / -."
    )
    assert run.resources == []


def test_prod_has_one_cloudwatch_and_one_s3_flow_log_per_vpc() -> None:
    run = run_stack_file("prod")

    by_destination = sorted(
        (f.inputs["vpcId"], f.inputs["logDestinationType"]) for f in run.of_type(FLOW_LOG)
    )
    assert by_destination == sorted(
        (vpc.id, kind)
        for vpc in (ASG_VPC, DEFAULT_VPC, APP_VPC, WEST_VPC)
        for kind in ("cloud-watch-logs", "s3")
    )
    # One bucket for both regions: us-west-2's S3 flow log is created there and delivers to it.
    (west_s3,) = (
        f
        for f in run.of_type(FLOW_LOG)
        if f.inputs["vpcId"] == WEST_VPC.id and f.inputs["logDestinationType"] == "s3"
    )
    assert west_s3.inputs["region"] == "us-west-2"
    policy = document(named(run, "vpc-flow-logs-s3-policy").inputs["policy"])
    assert policy["Statement"][0]["Condition"]["ArnLike"]["aws:SourceArn"] == [
        "arn:aws:logs:us-east-1:123456789012:*",
        "arn:aws:logs:us-west-2:123456789012:*",
    ]
    bucket = named(run, "vpc-flow-logs-s3-bucket")
    assert bucket.protect
    assert {
        f.inputs["logDestination"]
        for f in run.of_type(FLOW_LOG)
        if f.inputs["logDestinationType"] == "s3"
    } == {f"arn:aws:s3:::{bucket.inputs['bucket']}"}
    assert run.stack_outputs["bucketName"] == bucket.inputs["bucket"]
    assert run.stack_outputs["athenaTable"] == "flow_logs"
    assert run.stack_outputs["athenaDatabase"] == "vpc_flow_logs_prod"
    assert run.stack_outputs["athenaWorkgroup"] == "vpc-flow-logs-prod"


def named(run: ProgramRun, name: str) -> RecordedResource:
    (resource,) = (r for r in run.resources if r.name == name)
    return resource


def test_prods_flow_log_bucket_logs_its_access_to_a_protected_bucket_of_its_own() -> None:
    run = run_stack_file("prod")
    source = named(run, "vpc-flow-logs-s3-bucket").inputs["bucket"]
    target = named(run, "vpc-flow-logs-s3-access-logs-bucket")

    assert target.inputs["bucket"] == "vpc-flow-logs-s3-access-logs-prod-123456789012-us-east-1"
    assert target.protect
    assert run.one("aws:s3/bucketLogging:BucketLogging").inputs == {
        "bucket": source,
        "targetBucket": target.inputs["bucket"],
        "targetPrefix": f"{source}/",
    }


def test_prod_table_projection_resolves_to_the_keys_aws_writes() -> None:
    run = run_stack_file("prod")
    table = run.one(TABLE)
    bucket = named(run, "vpc-flow-logs-s3-bucket").inputs["bucket"]
    when = datetime(2026, 3, 9, 7, 41, tzinfo=UTC)

    # Prod keeps the defaults: Hive-compatible partitions, daily; one table for both regions.
    for region in ("us-east-1", "us-west-2"):
        assert resolve_projection(table.inputs, when, region) == (
            f"s3://{bucket}/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/"
            f"aws-region={region}/year=2026/month=03/day=09/"
        )
    assert table.inputs["parameters"]["projection.aws_region.values"] == "us-east-1,us-west-2"


def test_destination_s3_creates_no_log_group_and_no_role() -> None:
    run = run_stack({"vpcName": "ASG-VPC", "destination": "s3"})

    assert run.of_type(LOG_GROUP) == []
    assert run.of_type(ROLE) == []
    assert run.of_type("vpc-flow-logs:index:VpcFlowLogs") == []
    (flow_log,) = run.of_type(FLOW_LOG)
    assert flow_log.inputs["logDestinationType"] == "s3"
    assert "iamRoleArn" not in flow_log.inputs
    assert set(run.stack_outputs) == {
        "vpcIds",
        "s3FlowLogIds",
        "s3TargetFlowLogIds",
        "bucketName",
        "athenaDatabase",
        "athenaTable",
        "athenaWorkgroup",
        "regions",
    }
    # Without CloudWatch, each region's entry lists the VPCs it logs, and nothing of CloudWatch.
    assert run.stack_outputs["regions"] == {"us-east-1": {"vpcIds": [ASG_VPC.id]}}


@pytest.mark.parametrize(
    ("prefix", "folder"), [("", "transit-gateways"), ("fl", "fl/transit-gateways")]
)
def test_transit_gateways_in_s3_are_exported_with_their_folder(prefix: str, folder: str) -> None:
    run = run_stack(
        {
            "vpcName": "ASG-VPC",
            "destination": "s3",
            "s3Prefix": prefix,
            "transitGatewayIds": ["tgw-0a1b2c3d"],
        }
    )

    assert run.stack_outputs["s3TransitGatewayPrefix"] == folder
    (gateway,) = (f for f in run.of_type(FLOW_LOG) if "transitGatewayId" in f.inputs)
    assert gateway.inputs["logDestination"].endswith(
        f":::{run.stack_outputs['bucketName']}/{folder}"
    )


def test_destination_s3_without_athena_exports_no_athena_names() -> None:
    run = run_stack({"vpcName": "ASG-VPC", "destination": "s3", "athena": False})

    assert run.of_type(TABLE) == []
    assert set(run.stack_outputs) == {
        "vpcIds",
        "s3FlowLogIds",
        "s3TargetFlowLogIds",
        "bucketName",
        "regions",
    }


def test_s3_flow_logs_record_what_the_cloudwatch_ones_record() -> None:
    run = run_stack(
        {
            "vpcName": "ASG-VPC",
            "destination": "both",
            "trafficType": "REJECT",
            "maxAggregationInterval": 600,
            "logFormat": ["version", "srcaddr", "dstaddr", "action"],
            "flowLogName": "evidence",
        }
    )

    cloudwatch, s3 = sorted(run.of_type(FLOW_LOG), key=lambda f: f.inputs["logDestinationType"])
    for key in ("vpcId", "trafficType", "maxAggregationInterval", "logFormat", "tags"):
        assert s3.inputs[key] == cloudwatch.inputs[key], key
    assert s3.inputs["logFormat"] == "${version} ${srcaddr} ${dstaddr} ${action}"
    assert s3.inputs["tags"]["Name"] == "evidence"


def test_a_misspelt_key_is_refused_with_the_closest_key_before_anything_is_registered() -> None:
    run = run_stack({"retentionIndays": 14, "alarm": True}, raise_errors=False)

    assert isinstance(run.error, SettingsError)
    assert str(run.error).split("\n") == [
        "alarm: is not a setting of this program; did you mean alarms?",
        "retentionIndays: is not a setting of this program; did you mean retentionInDays?",
    ]
    assert run.resources == []


def test_keys_of_other_namespaces_are_not_the_programs() -> None:
    run = run_stack({"aws:profile": "security", "other-project:alarm": True})

    assert run.error is None
    assert run.of_type(FLOW_LOG)


def test_prod_replaces_its_flow_logs_delete_first_and_dev_create_first() -> None:
    # Prod gives every VPC two flow logs (CloudWatch and S3), so a create-first replacement
    # would briefly need a third; delete-first never does.
    prod = run_stack_file("prod")
    dev = run_stack_file("dev")

    by_destination = Counter(f.inputs["logDestinationType"] for f in prod.of_type(FLOW_LOG))
    assert by_destination == {"cloud-watch-logs": 4, "s3": 4}
    assert all(f.delete_before_replace for f in prod.of_type(FLOW_LOG))
    assert [f.delete_before_replace for f in dev.of_type(FLOW_LOG)] == [False]
    assert not any(r.delete_before_replace for r in prod.resources if r.type != FLOW_LOG)


def test_prod_gives_no_target_more_than_two_flow_logs() -> None:
    run = run_stack_file("prod")

    per_target = Counter(
        (f.inputs.get("region", "us-east-1"), f.inputs["vpcId"]) for f in run.of_type(FLOW_LOG)
    )
    assert set(per_target.values()) == {FLOW_LOGS_PER_TARGET_LIMIT}


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"vpcIds": [ASG_VPC.id, ASG_VPC.id]},
            f"vpcIds: {ASG_VPC.id!r} appears more than once; list each VPC once.",
        ),
        (
            {"subnetIds": ["subnet-0a1b2c3d", "subnet-0a1b2c3d"]},
            "subnetIds: 'subnet-0a1b2c3d' appears more than once; list each subnet once.",
        ),
        (
            {"eniIds": ["eni-0a1b2c3d", "eni-0a1b2c3d"]},
            "eniIds: 'eni-0a1b2c3d' appears more than once; list each network interface once.",
        ),
        (
            {"vpcIds": [ASG_VPC.id], "vpcName": "ASG-VPC"},
            "vpcIds, vpcName and allVpcs are mutually exclusive, but vpcIds and vpcName are both "
            "set; set at most one (none means the region's default VPC).",
        ),
        (
            {"allVpcs": True, "regions": ["us-east-1", "us-east-1"]},
            "regions: 'us-east-1' appears more than once; list each region once.",
        ),
        (
            {"vpcIds": [ASG_VPC.id], "regions": ["us-east-1", "us-west-2"]},
            "regions and vpcIds cannot be combined: ids are regional, so a list of them cannot "
            "apply in several regions; select VPCs with vpcName or allVpcs (or the default VPC), "
            "or cover one region.",
        ),
    ],
)
def test_no_configuration_gives_a_target_a_third_flow_log(
    config: dict[str, object], message: str
) -> None:
    # Every way one stack could name a target twice; with both destinations, each would give
    # it a third and a fourth flow log.
    run = run_stack({**config, "destination": "both"}, raise_errors=False)

    assert isinstance(run.error, SettingsError)
    assert str(run.error) == message
    assert run.resources == []
