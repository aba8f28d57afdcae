"""The program as each stack runs it: Pulumi.yaml's defaults merged with Pulumi.<stack>.yaml."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
import yaml

from components.capabilities import CONFIG_KEYS
from components.config import SettingsError
from components.flow_logs.settings import FlowLogOptions
from components.settings import FLOW_LOGS_PER_TARGET_LIMIT, parse_settings
from offline.mocks import UNKNOWN, ProgramRun, RecordedResource, run_program
from offline.stack_config import load_stack_config
from tests.support.program import (
    APP_VPC,
    ASG_VPC,
    DEFAULT_VPC,
    PROJECT,
    PROJECT_DIR,
    WEST_VPC,
    document,
    fake_account,
    run_stack,
    run_stack_file,
)
from tests.support.projection import resolve_projection

SCHEMA = PROJECT_DIR.parent / "shared" / "reference" / "pulumi-project.schema.json"
STACKS = sorted(p.name.split(".")[1] for p in PROJECT_DIR.glob("Pulumi.*.yaml"))

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
KEY = "aws:kms/key:Key"
ROLE = "aws:iam/role:Role"
BUCKET = "aws:s3/bucket:Bucket"
TABLE = "aws:glue/catalogTable:CatalogTable"


def project_file() -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load((PROJECT_DIR / "Pulumi.yaml").read_text())
    return loaded


def log_group_key(run: ProgramRun) -> RecordedResource:
    """The home region's log group's key; prod also has keys for its bucket and alarm topics."""
    (key,) = (k for k in run.of_type(KEY) if k.name == "vpc-flow-logs-key")
    return key


def test_there_are_dev_and_prod_stacks() -> None:
    assert {"dev", "prod"} <= set(STACKS)


@pytest.mark.skipif(not SCHEMA.exists(), reason=f"Pulumi's schema is not at {SCHEMA}")
def test_pulumi_yaml_validates_against_pulumis_schema() -> None:
    jsonschema.validate(project_file(), json.loads(SCHEMA.read_text()))


def test_pulumi_yaml_uses_pip_and_a_venv() -> None:
    assert project_file()["name"] == "vpc-flow-logs"
    assert project_file()["runtime"] == {
        "name": "python",
        "options": {"toolchain": "pip", "virtualenv": "venv"},
    }


def test_every_key_the_program_reads_is_declared_with_a_description_and_default() -> None:
    declared = project_file()["config"]
    assert isinstance(declared, dict)

    assert set(declared) == set(CONFIG_KEYS)
    for key, declaration in declared.items():
        assert declaration["description"], key
        assert "default" in declaration, f"{key} would be required by the CLI"
        if declaration.get("type") == "array":
            assert declaration["items"] == {"type": "string"}, key


UNTYPED = {"alarmTopicArn"}
"""Keys that take a string or a map: a declared type would make the CLI refuse the other."""


def test_every_key_is_typed_but_those_that_take_a_string_or_a_map() -> None:
    declared = project_file()["config"]
    assert isinstance(declared, dict)
    assert {key for key, declaration in declared.items() if "type" not in declaration} == UNTYPED


def test_declared_defaults_are_the_programs_own_defaults() -> None:
    declared = project_file()["config"]
    assert isinstance(declared, dict)
    defaults = {key: d["default"] for key, d in declared.items()}

    assert parse_settings(defaults).options == FlowLogOptions()
    assert parse_settings(defaults).repair_drift is False
    assert parse_settings(defaults).organization_wide is False


@pytest.mark.parametrize("stack", STACKS)
def test_stack_files_set_only_declared_keys_and_a_region(stack: str) -> None:
    config = yaml.safe_load((PROJECT_DIR / f"Pulumi.{stack}.yaml").read_text())["config"]

    assert config["aws:region"]
    assert {k.split(":", 1)[1] for k in config if k.startswith(f"{PROJECT}:")} <= set(CONFIG_KEYS)


# The security stack and the archive log no VPC of their own, and a member needs the archive's
# outputs: tests/components/centralization/test_stack.py and tests/components/archive/.
@pytest.mark.parametrize("stack", [s for s in STACKS if s not in ("archive", "member", "security")])
@pytest.mark.parametrize("preview", [False, True])
def test_every_stack_runs(stack: str, preview: bool) -> None:
    run = run_stack_file(stack, preview=preview)

    assert run.of_type(FLOW_LOG)
    monitoring = {"alarmTopicArn", "alarmNames", "dashboardName"} if stack == "prod" else set()
    s3 = {
        "s3FlowLogIds",
        "s3TargetFlowLogIds",
        "bucketName",
        "athenaDatabase",
        "athenaTable",
        "athenaWorkgroup",
    }
    firehose = {"firehoseFlowLogIds", "firehoseTargetFlowLogIds", "firehoseStreamArns"}
    # Prod repairs drift; an output exists only when its capability is on, and the key's ARN
    # only when prod encrypts its logs (Pulumi exports no null), or while a preview cannot yet
    # tell (the log group's key is then unknown).
    assert set(run.stack_outputs) == {
        "vpcIds",
        "flowLogIds",
        "targetFlowLogIds",
        "logGroupName",
        "logGroupArn",
        "roleArn",
        *(["kmsKeyArn"] if stack == "prod" or preview else []),
        "regions",
        *monitoring,
        *(["driftRepairRuleName"] if stack == "prod" else []),
        *(s3 if stack == "prod" else []),
        *(firehose if stack == "siem" else []),
    }


def test_dev_is_the_workshop() -> None:
    run = run_stack_file("dev")

    (flow_log,) = run.of_type(FLOW_LOG)
    assert flow_log.inputs["vpcId"] == ASG_VPC.id
    assert flow_log.inputs["trafficType"] == "ALL"
    assert flow_log.inputs["maxAggregationInterval"] == 60
    assert flow_log.inputs["tags"]["Name"] == "ASG-VPC-FlowLogs"
    assert "logFormat" not in flow_log.inputs
    log_group = run.one(LOG_GROUP)
    assert log_group.inputs["name"] == "/aws/vpc/flowlogs"
    assert log_group.inputs["retentionInDays"] == 14
    assert run.of_type(KEY) == []


def test_dev_exports_what_it_made() -> None:
    run = run_stack_file("dev")

    assert run.stack_outputs == {
        "vpcIds": [ASG_VPC.id],
        "flowLogIds": [run.one(FLOW_LOG).id],
        "targetFlowLogIds": {ASG_VPC.id: run.one(FLOW_LOG).id},
        "logGroupName": "/aws/vpc/flowlogs",
        "logGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs",
        "roleArn": run.one(ROLE).outputs["arn"],
        # No kmsKeyArn: the log group is not encrypted, and Pulumi exports no null.
        "regions": {
            "us-east-1": {
                "vpcIds": [ASG_VPC.id],
                "flowLogIds": [run.one(FLOW_LOG).id],
                "logGroupName": "/aws/vpc/flowlogs",
                "logGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs",
                "roleArn": run.one(ROLE).outputs["arn"],
            }
        },
    }
    assert run.one(FLOW_LOG).id.startswith("fl-")


def test_dev_preview_exports_unknowns_where_aws_has_not_answered_yet() -> None:
    run = run_stack_file("dev", preview=True)

    assert run.stack_outputs["vpcIds"] == [ASG_VPC.id]
    assert run.stack_outputs["flowLogIds"] == UNKNOWN
    assert run.stack_outputs["logGroupArn"] == UNKNOWN


def test_prod_logs_every_vpc_for_a_year_encrypted_and_protected() -> None:
    run = run_stack_file("prod")

    to_cloudwatch = [
        f for f in run.of_type(FLOW_LOG) if f.inputs["logDestinationType"] == "cloud-watch-logs"
    ]
    assert sorted(f.inputs["vpcId"] for f in to_cloudwatch) == sorted(
        [ASG_VPC.id, DEFAULT_VPC.id, APP_VPC.id, WEST_VPC.id]
    )
    assert all(f.inputs["trafficType"] == "ALL" for f in run.of_type(FLOW_LOG))
    # Each region has its own log group and key; the home region's keep their names.
    assert sorted(g.inputs.get("region", "us-east-1") for g in run.of_type(LOG_GROUP)) == [
        "us-east-1",
        "us-west-2",
    ]
    log_group = next(g for g in run.of_type(LOG_GROUP) if g.name == "vpc-flow-logs-log-group")
    key = log_group_key(run)
    assert log_group.inputs["retentionInDays"] >= 365
    assert log_group.inputs["kmsKeyId"] == key.outputs["arn"]
    assert key.inputs["enableKeyRotation"] is True
    assert log_group.protect and key.protect
    assert run.stack_outputs["kmsKeyArn"] == key.outputs["arn"]


def test_prod_key_is_for_the_prod_log_group() -> None:
    run = run_stack_file("prod")

    groups = {g.name: g for g in run.of_type(LOG_GROUP)}
    # Every log group's key, in each region; the alarm topics' and the bucket's keys are others.
    keys = {k.name: k for k in run.of_type(KEY)}
    assert sorted(keys) == [
        "vpc-flow-logs-key",
        "vpc-flow-logs-monitoring-topic-key",
        "vpc-flow-logs-monitoring-us-west-2-topic-key",
        "vpc-flow-logs-s3-key",
        "vpc-flow-logs-us-west-2-key",
    ]
    for name in ("vpc-flow-logs-key", "vpc-flow-logs-us-west-2-key"):
        statement = document(keys[name].inputs["policy"])["Statement"][1]
        group = groups[name.removesuffix("-key") + "-log-group"]
        assert (
            statement["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"]
            == group.outputs["arn"]
        )


def test_dev_and_prod_can_share_an_account_and_region() -> None:
    names = {
        stack: load_stack_config(PROJECT_DIR, stack).get(f"{PROJECT}:logGroupName")
        for stack in ("dev", "prod")
    }

    assert names["dev"] != names["prod"]


def test_the_stacks_invoke_only_the_lookups_they_need() -> None:
    run = run_stack_file("dev")

    assert sorted(i.token for i in run.invokes) == [
        "aws:ec2/getVpcs:getVpcs",
        "aws:index/getCallerIdentity:getCallerIdentity",
        "aws:index/getPartition:getPartition",
        # Once for the regions to cover, once by the component for its ARNs.
        "aws:index/getRegion:getRegion",
        "aws:index/getRegion:getRegion",
    ]
    (lookup,) = (i for i in run.invokes if i.token == "aws:ec2/getVpcs:getVpcs")
    assert lookup.args["filters"] == [{"name": "tag:Name", "values": ["ASG-VPC"]}]


def test_a_new_stack_needs_only_its_own_file(tmp_path: Path) -> None:
    # What the README's "add a stack" tells users to do: copy Pulumi.yaml's project, write a
    # Pulumi.<stack>.yaml with the keys that differ, and nothing else.
    (tmp_path / "Pulumi.yaml").write_text((PROJECT_DIR / "Pulumi.yaml").read_text())
    (tmp_path / "Pulumi.staging.yaml").write_text(
        "config:\n  aws:region: eu-west-1\n  vpc-flow-logs:vpcIds:\n    - vpc-0fedcba9876543210\n"
    )

    config = load_stack_config(tmp_path, "staging")
    run = run_program(
        PROJECT_DIR,
        config.values,
        fake_account(region="eu-west-1"),
        project=PROJECT,
        stack="staging",
    )

    assert [f.inputs["vpcId"] for f in run.of_type(FLOW_LOG)] == [APP_VPC.id]
    assert run.one(LOG_GROUP).outputs["arn"].startswith("arn:aws:logs:eu-west-1:")


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
