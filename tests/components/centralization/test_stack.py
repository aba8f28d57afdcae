"""The security stack and centralizeLogs under mocks: the group before the rule, the key, the
rule's fields, monitoring on the central group only, and the refusals that come from AWS."""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.config import SettingsError
from offline.mocks import ProgramRun
from tests.support.program import fake_account, run_stack, run_stack_file

RULE = "aws:observabilityadmin/centralizationRuleForOrganization:CentralizationRuleForOrganization"
KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
CENTRAL = "/security/vpc-flow-logs"


@pytest.fixture(scope="module")
def security() -> ProgramRun:
    return run_stack_file("security")


def _central_keys(run: ProgramRun) -> list[dict[str, Any]]:
    return [k.inputs for k in run.of_type(KEY) if "central" in str(k.inputs.get("description"))]


def test_the_central_group_is_created_before_the_rule_with_the_stack_s_retention_and_key(
    security: ProgramRun,
) -> None:
    (group,) = security.of_type(LOG_GROUP)
    (key,) = _central_keys(security)
    rule = security.one(RULE)

    assert group.inputs["name"] == CENTRAL
    assert group.inputs["retentionInDays"] == 365
    assert group.protect
    assert group.inputs["kmsKeyId"] == security.stack_outputs["centralKmsKeyArn"]
    assert group.urn in rule.dependencies
    assert key["enableKeyRotation"] is True
    assert key["tags"]["LogsManaged"] == "true"
    assert key["tags"]["managed-by"] == "vpc-flow-logs"


def test_the_rule_copies_the_organisation_s_flow_log_groups_into_the_central_one(
    security: ProgramRun,
) -> None:
    rule = security.one(RULE).inputs["rule"]

    assert rule["source"] == {
        "scope": "OrganizationId = 'o-a1b2c3d4e5'",
        "regions": ["us-east-1", "us-west-2", "eu-west-1"],
        "sourceLogsConfiguration": {
            "logGroupSelectionCriteria": "LogGroupName LIKE '/aws/vpc/flowlogs%' AND "
            "LogGroupName NOT LIKE '%/transit-gateways'",
            "encryptedLogGroupStrategy": "ALLOW",
        },
    }
    assert rule["destination"] == {
        "account": "123456789012",
        "region": "us-east-1",
        "destinationLogsConfiguration": {
            "logGroupNameConfiguration": {"logGroupNamePattern": CENTRAL},
            "logsEncryptionConfiguration": {
                "encryptionStrategy": "CUSTOMER_MANAGED",
                "kmsKeyArn": security.stack_outputs["centralKmsKeyArn"],
            },
        },
    }


def test_the_key_policy_names_the_central_group(security: ProgramRun) -> None:
    (key,) = _central_keys(security)
    service = json.loads(str(key["policy"]))["Statement"][1]

    assert service["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert service["Condition"]["ArnEquals"] == {
        "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:"
        + CENTRAL
    }


def test_monitoring_watches_the_central_group_and_nothing_else(security: ProgramRun) -> None:
    filters = security.of_type("aws:cloudwatch/logMetricFilter:LogMetricFilter")
    queries = security.of_type("aws:cloudwatch/queryDefinition:QueryDefinition")
    (delivery,) = [
        a
        for a in security.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
        if a.inputs.get("metricName") == "IncomingLogEvents"
    ]

    assert len(security.of_type("vpc-flow-logs:index:FlowLogMonitoring")) == 1
    assert filters and {f.inputs["logGroupName"] for f in filters} == {CENTRAL}
    assert {tuple(q.inputs["logGroupNames"]) for q in queries} == {(CENTRAL,)}
    assert delivery.inputs["dimensions"] == {"LogGroupName": CENTRAL}
    titles = sorted(q.inputs["name"].split("/", 1)[1] for q in queries)
    assert "Top accounts by rejected flows" in titles
    assert "Top accounts by bytes to the internet" in titles
    assert "Top accounts by admin-port probes" in titles
    assert sum("`@aws.account`, `@aws.region`" in q.inputs["queryString"] for q in queries) == 3


def test_the_stack_logs_no_vpc_of_its_own(security: ProgramRun) -> None:
    assert security.of_type("aws:ec2/flowLog:FlowLog") == []
    assert not [i for i in security.invokes if i.token == "aws:ec2/getVpcs:getVpcs"]


def test_the_outputs_name_the_group_rule_and_key(security: ProgramRun) -> None:
    outputs = security.stack_outputs

    assert outputs["centralLogGroupName"] == CENTRAL
    assert outputs["centralLogGroupArn"] == (
        "arn:aws:logs:us-east-1:123456789012:log-group:/security/vpc-flow-logs"
    )
    assert outputs["centralizationRuleArn"].endswith(
        ":organization-centralization-rule/vpc-flow-logs-central"
    )


def test_listed_accounts_a_backup_region_and_the_default_source_regions() -> None:
    run = run_stack(
        {
            "centralizeLogs": True,
            "centralizeAccounts": ["111122223333", "444455556666"],
            "centralizeBackupRegion": "us-west-2",
        }
    )
    rule = run.one(RULE).inputs["rule"]
    (home_key,) = [k for k in run.of_type(KEY) if "region" not in k.inputs]
    (backup_key,) = [k for k in run.of_type(KEY) if k.inputs.get("region") == "us-west-2"]

    assert rule["source"]["scope"] == "AccountId IN ('111122223333', '444455556666')"
    assert rule["source"]["regions"] == ["us-east-1"]
    backup = rule["destination"]["destinationLogsConfiguration"]["backupConfiguration"]
    assert backup == {"region": "us-west-2", "kmsKeyArn": backup_key.outputs["arn"]}
    assert backup_key.outputs["arn"] != home_key.outputs["arn"]
    assert backup_key.inputs["tags"]["LogsManaged"] == "true"
    assert '"logs.us-west-2.amazonaws.com"' in backup_key.inputs["policy"]


@pytest.mark.parametrize(
    ("config", "aws_changes", "message"),
    [
        (
            {"centralizeLogs": True},
            {"organization_id": None},
            "centralizeLogs: AWS Organizations answers that this account is in no organisation; "
            "a centralization rule copies an organisation's logs, so the stack must run in the "
            "organisation's management account or its CloudWatch delegated administrator.",
        ),
        (
            {"centralizeLogs": True, "centralizeBackupRegion": "us-east-1"},
            {},
            "centralizeBackupRegion: 'us-east-1' is the stack's own region (aws:region), where "
            "the central group already is; name another region, or leave it empty.",
        ),
    ],
    ids=["no organisation", "backup at home"],
)
def test_refusals_from_the_account_come_before_anything_is_registered(
    config: dict[str, object], aws_changes: dict[str, object], message: str
) -> None:
    run = run_stack(
        {**config, "vpcName": "ASG-VPC"}, aws=fake_account(**aws_changes), raise_errors=False
    )

    assert isinstance(run.error, SettingsError)
    assert str(run.error) == message
    assert run.resources == []
