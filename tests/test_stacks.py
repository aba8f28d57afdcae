"""The program as each stack runs it: Pulumi.yaml's defaults merged with Pulumi.<stack>.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from components.capabilities import CONFIG_KEYS
from components.flow_logs.settings import FlowLogOptions
from components.settings import parse_settings
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
    run_stack_file,
)

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
