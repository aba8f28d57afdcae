"""The DriftRepair component: the Config rule, its automatic remediation, the automation role,
how they are wired to each other and to the stack's destination. (What it refuses:
test_component_validation.py; where its document delivers: test_component_destinations.py.)"""

from __future__ import annotations

import json
import re
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from components import FileFormat, FlowLogOptions, StorageSettings, TrafficType
from components.drift_repair.component import (
    COMPONENT_TYPE,
    DriftRepair,
    DriftRepairArgs,
    drift_repair_args,
)
from offline.mocks import UNKNOWN, FakeAws, ProgramRun, run_pulumi
from tests.support.drift_repair import (
    ACCOUNT,
    BUCKET_ARN,
    DELIVERY_ROLE_ARN,
    LOG_GROUP_ARN,
    build,
    cloudwatch,
)
from tests.support.program import document, fake_account

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
RULE = "aws:cfg/rule:Rule"
DOCUMENT = "aws:ssm/document:Document"
REMEDIATION = "aws:cfg/remediationConfiguration:RemediationConfiguration"


def parameters(run: ProgramRun) -> dict[str, dict[str, Any]]:
    """The remediation's document parameters by name, each as the provider receives it."""
    listed = run.one(REMEDIATION).inputs["parameters"]
    by_name = {p["name"]: {k: v for k, v in p.items() if k != "name"} for p in listed}
    assert len(by_name) == len(listed), "a parameter is given twice"
    return by_name


def test_creates_a_role_its_policy_a_document_a_rule_and_a_remediation_all_parented() -> None:
    run = build()
    parent = run.one(COMPONENT_TYPE)

    assert sorted((r.type, r.name) for r in run.resources) == sorted(
        [
            (COMPONENT_TYPE, "repair"),
            (ROLE, "repair-role"),
            (ROLE_POLICY, "repair-policy"),
            (DOCUMENT, "repair-document"),
            (RULE, "repair-rule"),
            (REMEDIATION, "repair-remediation"),
        ]
    )
    assert {r.parent for r in run.resources if r.type != COMPONENT_TYPE} == {parent.urn}


def test_the_rule_is_the_managed_vpc_flow_logs_rule_for_the_stacks_traffic_type() -> None:
    run = build(cloudwatch(traffic_type=TrafficType.REJECT, tags={"env": "prod"}))
    rule = run.one(RULE).inputs

    assert rule["source"] == {"owner": "AWS", "sourceIdentifier": "VPC_FLOW_LOGS_ENABLED"}
    assert json.loads(rule["inputParameters"]) == {"trafficType": "REJECT"}
    assert rule["maximumExecutionFrequency"] == "TwentyFour_Hours"
    assert rule["tags"] == {"env": "prod", "managed-by": "vpc-flow-logs"}
    assert "region" not in rule


def test_the_remediation_runs_the_stacks_document_automatically_with_bounded_retries() -> None:
    run = build()
    remediation = run.one(REMEDIATION).inputs

    assert remediation["configRuleName"] == run.one(RULE).outputs["name"]
    assert remediation["targetType"] == "SSM_DOCUMENT"
    assert remediation["targetId"] == run.one(DOCUMENT).outputs["name"] == "repair-test"
    assert remediation["resourceType"] == "AWS::EC2::VPC"
    assert remediation["automatic"] is True
    assert remediation["maximumAutomaticAttempts"] == 5
    assert remediation["retryAttemptSeconds"] == 60


def test_the_document_gets_the_vpc_from_config_and_runs_as_the_automation_role() -> None:
    run = build()

    assert parameters(run) == {
        "VpcId": {"resourceValue": "RESOURCE_ID"},
        "AutomationAssumeRole": {"staticValue": run.one(ROLE).outputs["arn"]},
    }
    assert set(parameters(run)) == set(
        json.loads(run.one(DOCUMENT).inputs["content"])["parameters"]
    )


def test_the_remediation_waits_for_the_automation_roles_permissions() -> None:
    run = build()

    assert run.one(ROLE_POLICY).urn in run.one(REMEDIATION).dependencies


def test_the_automation_role_is_trusted_only_by_systems_manager_for_this_account() -> None:
    # Who may and who may not: tests/components/drift_repair/test_documents.py.
    run = build()

    assert document(run.one(ROLE).inputs["assumeRolePolicy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowSystemsManagerAutomation",
                "Effect": "Allow",
                "Principal": {"Service": "ssm.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": ACCOUNT},
                    "ArnLike": {
                        "aws:SourceArn": f"arn:aws:ssm:us-east-1:{ACCOUNT}:automation-execution/*"
                    },
                },
            }
        ],
    }


def test_the_automation_may_pass_exactly_the_delivery_role_to_flow_logs_only() -> None:
    run = build()
    policy = run.one(ROLE_POLICY).inputs

    assert policy["role"] == run.one(ROLE).outputs["name"]
    statements = {s["Sid"]: s for s in document(policy["policy"])["Statement"]}
    assert set(statements) == {
        "CreateFlowLogsOnThisRegionsVpcs",
        "TagFlowLogsOnlyAsTheyAreCreated",
        "DescribeFlowLogsInThisRegion",
        "PassTheDeliveryRoleToFlowLogsOnly",
    }
    assert statements["PassTheDeliveryRoleToFlowLogsOnly"] == {
        "Sid": "PassTheDeliveryRoleToFlowLogsOnly",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": DELIVERY_ROLE_ARN,
        "Condition": {"StringEquals": {"iam:PassedToService": "vpc-flow-logs.amazonaws.com"}},
    }
    assert statements["CreateFlowLogsOnThisRegionsVpcs"]["Resource"] == [
        f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpc/*",
        f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpc-flow-log/*",
    ]


def test_the_delivery_role_passed_may_be_another_resources_output() -> None:
    def program() -> None:
        delivery = aws.iam.Role("delivery", assume_role_policy="{}")
        DriftRepair(
            "repair",
            DriftRepairArgs(log_group_arn=LOG_GROUP_ARN, delivery_role_arn=delivery.arn),
        )

    run = run_pulumi(program, {}, fake_account(), project="p", stack="test")
    delivery = next(r for r in run.of_type(ROLE) if r.name == "delivery")
    passed = document(run.one(ROLE_POLICY).inputs["policy"])["Statement"][-1]
    create = json.loads(run.one(DOCUMENT).inputs["content"])["mainSteps"][0]["inputs"]

    assert passed["Resource"] == delivery.outputs["arn"]
    assert create["DeliverLogsPermissionArn"] == delivery.outputs["arn"]
    assert run.one(DOCUMENT).property_dependencies["content"] == [delivery.urn]


def test_a_region_puts_the_rule_remediation_and_permissions_in_that_region() -> None:
    group = f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/aws/vpc/flowlogs"
    run = build(cloudwatch(region="eu-west-1", log_group_arn=group))

    assert run.one(RULE).inputs["region"] == "eu-west-1"
    assert run.one(REMEDIATION).inputs["region"] == "eu-west-1"
    assert run.one(DOCUMENT).inputs["region"] == "eu-west-1"
    assert (
        run.one(DOCUMENT).outputs["arn"] == f"arn:aws:ssm:eu-west-1:{ACCOUNT}:document/repair-test"
    )
    assert run.one(RULE).outputs["arn"].startswith(f"arn:aws:config:eu-west-1:{ACCOUNT}:")
    statements = document(run.one(ROLE_POLICY).inputs["policy"])["Statement"]
    assert statements[0]["Resource"] == [
        f"arn:aws:ec2:eu-west-1:{ACCOUNT}:vpc/*",
        f"arn:aws:ec2:eu-west-1:{ACCOUNT}:vpc-flow-log/*",
    ]
    assert statements[2]["Condition"] == {"StringEquals": {"ec2:Region": "eu-west-1"}}
    # IAM is global: the role takes no region.
    assert "region" not in run.one(ROLE).inputs
    assert "aws:index/getRegion:getRegion" not in [i.token for i in run.invokes]


def test_account_partition_and_region_come_from_the_provider() -> None:
    china = FakeAws(account_id="210987654321", region="cn-north-1", partition="aws-cn")
    group = "arn:aws-cn:logs:cn-north-1:210987654321:log-group:/flows"
    role = "arn:aws-cn:iam::210987654321:role/delivery"
    run = build(DriftRepairArgs(log_group_arn=group, delivery_role_arn=role), aws_account=china)

    trust = document(run.one(ROLE).inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "210987654321"},
        "ArnLike": {
            "aws:SourceArn": "arn:aws-cn:ssm:cn-north-1:210987654321:automation-execution/*"
        },
    }
    statements = document(run.one(ROLE_POLICY).inputs["policy"])["Statement"]
    assert statements[0]["Resource"][0] == "arn:aws-cn:ec2:cn-north-1:210987654321:vpc/*"
    assert ACCOUNT not in json.dumps([r.inputs for r in run.resources])


def test_an_s3_destination_passes_no_role_and_may_only_set_up_the_log_delivery() -> None:
    run = build(DriftRepairArgs(log_bucket_arn=f"{BUCKET_ARN}/flows"))

    statements = {s["Sid"]: s for s in document(run.one(ROLE_POLICY).inputs["policy"])["Statement"]}
    assert set(statements) == {
        "CreateFlowLogsOnThisRegionsVpcs",
        "TagFlowLogsOnlyAsTheyAreCreated",
        "DescribeFlowLogsInThisRegion",
        "DeliverFlowLogsToS3",
    }
    assert statements["DeliverFlowLogsToS3"]["Action"] == [
        "logs:CreateLogDelivery",
        "logs:DeleteLogDelivery",
    ]


def test_preview_leaves_the_role_arn_unknown_but_the_rule_and_trust_readable() -> None:
    run = build(preview=True)

    assert parameters(run)["AutomationAssumeRole"] == {"staticValue": UNKNOWN}
    assert json.loads(run.one(RULE).inputs["inputParameters"]) == {"trafficType": "ALL"}
    assert document(run.one(ROLE).inputs["assumeRolePolicy"])["Statement"][0]["Principal"] == {
        "Service": "ssm.amazonaws.com"
    }


def test_component_outputs_are_registered() -> None:
    run = build()

    assert run.component_outputs[run.one(COMPONENT_TYPE).urn] == {
        "configRuleName": run.one(RULE).outputs["name"],
        "configRuleArn": run.one(RULE).outputs["arn"],
        "automationRoleArn": run.one(ROLE).outputs["arn"],
        "documentName": run.one(DOCUMENT).outputs["name"],
    }


def test_drift_repair_args_carry_the_stacks_options() -> None:
    options = FlowLogOptions(
        traffic_type=TrafficType.REJECT,
        max_aggregation_interval=600,
        log_format=("version", "action"),
        flow_log_name="flows",
        tags={"a": "b"},
    )
    storage = StorageSettings(file_format=FileFormat.PLAIN_TEXT, per_hour_partition=True)
    carried = {
        "traffic_type": TrafficType.REJECT,
        "max_aggregation_interval": 600,
        "log_format": ("version", "action"),
        "flow_log_name": "flows",
        "tags": {"a": "b"},
    }

    cloudwatch_args = drift_repair_args(
        options, None, storage, log_group_arn=LOG_GROUP_ARN, delivery_role_arn=DELIVERY_ROLE_ARN
    )
    assert cloudwatch_args == {
        "log_group_arn": LOG_GROUP_ARN,
        "delivery_role_arn": DELIVERY_ROLE_ARN,
        **carried,
    }
    # The S3 layout travels only with the bucket.
    assert drift_repair_args(options, "eu-west-1", storage, log_bucket_arn=BUCKET_ARN) == {
        "log_bucket_arn": BUCKET_ARN,
        "region": "eu-west-1",
        "file_format": FileFormat.PLAIN_TEXT,
        "hive_partitions": True,
        "per_hour_partition": True,
        **carried,
    }


def test_whole_numbers_sent_as_floats_are_accepted() -> None:
    """The provider protocol carries every number as a float."""
    run = build(cloudwatch(maximum_automatic_attempts=3.0, retry_attempt_seconds=600.0))

    assert run.one(REMEDIATION).inputs["maximumAutomaticAttempts"] == 3
    assert run.one(REMEDIATION).inputs["retryAttemptSeconds"] == 600


def test_the_type_token_is_public_and_stable() -> None:
    assert COMPONENT_TYPE == "vpc-flow-logs:index:DriftRepair"
    assert issubclass(DriftRepair, pulumi.ComponentResource)


def test_the_package_schema_types_and_describes_every_input_and_output() -> None:
    from tests.support.package import analyzed_schema

    resource = analyzed_schema()["resources"][COMPONENT_TYPE]
    inputs = resource["inputProperties"]

    assert resource["isComponent"] is True
    assert resource.get("requiredInputs", []) == []
    assert {
        k: (v.get("type", v.get("$ref")), v.get("plain", False)) for k, v in inputs.items()
    } == {
        # Ids and ARNs may come from other resources; what shapes documents is plain.
        "region": ("string", True),
        "logGroupArn": ("string", False),
        "deliveryRoleArn": ("string", False),
        "logBucketArn": ("string", False),
        "fileFormat": ("#/types/vpc-flow-logs:index:FileFormat", True),
        "hivePartitions": ("boolean", True),
        "perHourPartition": ("boolean", True),
        "trafficType": ("#/types/vpc-flow-logs:index:TrafficType", True),
        "maxAggregationInterval": ("integer", True),
        "logFormat": ("array", True),
        "flowLogName": ("string", True),
        "maximumAutomaticAttempts": ("integer", True),
        "retryAttemptSeconds": ("integer", True),
        "tags": ("object", True),
    }
    for name, prop in inputs.items():
        assert re.search(r"Defaults to [^.]+", prop["description"]), name
    outputs = resource["properties"]
    assert {k: v["type"] for k, v in outputs.items()} == {
        "configRuleName": "string",
        "configRuleArn": "string",
        "automationRoleArn": "string",
        "documentName": "string",
    }
    assert all(prop["description"].strip() for prop in outputs.values())


def test_construct_over_the_protocol_registers_what_the_python_program_registers() -> None:
    """A program in another language reaches the component through the package's plugin."""
    import grpc

    from offline.plugin import ComponentPluginProcess, FakeEngine
    from tests.support.program import PROJECT_DIR

    group = f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/aws/vpc/flowlogs"
    inputs = {
        "region": "eu-west-1",
        "logGroupArn": group,
        "deliveryRoleArn": DELIVERY_ROLE_ARN,
        "trafficType": "REJECT",
        # Numbers travel as floats, as the engine sends them.
        "maximumAutomaticAttempts": 3.0,
    }
    with (
        FakeEngine(fake_account(), project="consumer", stack="dev") as engine,
        ComponentPluginProcess(PROJECT_DIR / "components", engine_address=engine.address) as plugin,
    ):
        response = plugin.construct(engine, COMPONENT_TYPE, "repair", inputs)
        constructed = list(engine.recorded)
        with pytest.raises(grpc.RpcError) as raised:
            plugin.construct(engine, COMPONENT_TYPE, "bad", {**inputs, "region": "Ireland"})
        after_bad = list(engine.recorded)

    in_process = run_pulumi(
        lambda: DriftRepair(
            "repair",
            cloudwatch(
                region="eu-west-1",
                log_group_arn=group,
                traffic_type=TrafficType.REJECT,
                maximum_automatic_attempts=3,
            ),
        ),
        {},
        fake_account(),
        project="consumer",
        stack="dev",
    )

    def children(resources: list[Any]) -> list[tuple[str, str, str]]:
        return sorted(
            (r.type, r.name, json.dumps(r.inputs, sort_keys=True))
            for r in resources
            if r.type != COMPONENT_TYPE
        )

    assert response.urn == f"urn:pulumi:dev::consumer::{COMPONENT_TYPE}::repair"
    assert children(constructed) == children(in_process.resources)
    assert sorted(dict(response.state)) == [
        "automationRoleArn",
        "configRuleArn",
        "configRuleName",
        "documentName",
    ]
    assert (
        "region: 'Ireland' is not an AWS region name; use names such as 'us-east-1' or "
        "'eu-west-2'." in (raised.value.details())
    )
    assert after_bad == constructed
