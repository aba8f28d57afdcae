"""The deploying principal's policy in deploy/: valid, scoped, and what parliament says of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import parliament
import pytest

from tests.support.iam_lint import parliament_findings
from tests.support.program import PROJECT_DIR, run_stack_file

POLICY = PROJECT_DIR / "deploy" / "deployer-policy.json"
FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"


def statements() -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in json.loads(POLICY.read_text())["Statement"]}


def test_passrole_is_only_for_the_delivery_role_and_only_to_the_flow_logs_service() -> None:
    passrole = statements()["PassTheDeliveryRoleToFlowLogsOnly"]

    assert passrole["Action"] == "iam:PassRole"
    assert passrole["Resource"] == "arn:*:iam::*:role/vpc-flow-logs-*role-*"
    assert passrole["Condition"] == {
        "StringEquals": {"iam:PassedToService": "vpc-flow-logs.amazonaws.com"}
    }


def test_keys_are_managed_only_when_tagged_as_this_projects() -> None:
    create, manage = statements()["CreateKeysForEncryptLogs"], statements()["ManageTheLogGroupKey"]

    assert create["Condition"] == {"StringEquals": {"aws:RequestTag/managed-by": "vpc-flow-logs"}}
    assert manage["Condition"] == {"StringEquals": {"aws:ResourceTag/managed-by": "vpc-flow-logs"}}


TELEMETRY_RULE_ACTIONS = [
    "observabilityadmin:CreateTelemetryRuleForOrganization",
    "observabilityadmin:UpdateTelemetryRuleForOrganization",
    "observabilityadmin:DeleteTelemetryRuleForOrganization",
    "observabilityadmin:GetTelemetryRuleForOrganization",
    "observabilityadmin:ListTagsForResource",
    "observabilityadmin:TagResource",
    "observabilityadmin:UntagResource",
]
"""Actions of AWS's Service Authorization Reference that parliament 1.6's database predates."""


OBSERVABILITY_RULES = (
    "ManageTheOrganizationTelemetryRule",
    "ManageTheOrganizationCentralizationRule",
)
"""The statements whose actions parliament's database predates."""


def without_telemetry_rule() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(POLICY.read_text())
    document["Statement"] = [
        s for s in document["Statement"] if s["Sid"] not in OBSERVABILITY_RULES
    ]
    return document


def test_parliament_finds_only_what_deploying_roles_keys_buckets_and_rules_requires() -> None:
    # An action parliament does not know makes it skip its permissions-management audit of the
    # whole document (measured with parliament 1.6.4), so the telemetry-rule statement, whose
    # actions are newer than parliament's database, is linted on its own below.
    findings = parliament_findings(without_telemetry_rule())

    # Creating a role and a key is permissions management by nature; kms:CreateKey and the tags
    # it sets cannot be scoped to a key that does not exist yet (they are conditioned on the
    # request's tag instead), and key management is conditioned on the key's tag. Config rules
    # are named by an id AWS generates, so they too are scoped by their tag (below). Writing a
    # bucket's policy and lifecycle is what managing the flow-log bucket means: parliament notes
    # that whoever may write them could grant themselves the objects. Firehose streams are the
    # user's, named in firehoseArns: tagging them for log delivery is allowed on any stream.
    assert sorted(f.issue for f in findings) == [
        "PERMISSIONS_MANAGEMENT_ACTIONS",
        "RESOURCE_EFFECTIVELY_STAR",
        "RESOURCE_EFFECTIVELY_STAR",
        "RESOURCE_EFFECTIVELY_STAR",
        "RESOURCE_EFFECTIVELY_STAR",
        "RESOURCE_MISMATCH",
        "RESOURCE_POLICY_PRIVILEGE_ESCALATION",
        "RESOURCE_POLICY_PRIVILEGE_ESCALATION",
        "RESOURCE_POLICY_PRIVILEGE_ESCALATION",
        "RESOURCE_POLICY_PRIVILEGE_ESCALATION",
        "RESOURCE_STAR",
    ]
    (star,) = (f for f in findings if f.issue == "RESOURCE_STAR")
    assert star.detail == ["kms:TagResource"]
    escalations = [f for f in findings if f.issue == "RESOURCE_POLICY_PRIVILEGE_ESCALATION"]
    assert escalations
    assert all(
        str(f.detail).startswith(
            "Possible resource policy privilege escalation on arn:*:s3:::vpc-flow-logs-* "
        )
        for f in escalations
    )
    # Athena's tagging actions take a workgroup, a data catalog or a capacity reservation;
    # parliament wants all three, but the workgroup is the only one this project tags.
    (mismatch,) = (f for f in findings if f.issue == "RESOURCE_MISMATCH")
    assert {m["action"] for m in mismatch.detail} == {
        "athena:ListTagsForResource",
        "athena:TagResource",
        "athena:UntagResource",
    }
    assert {m["required_format"] for m in mismatch.detail} == {
        "arn:*:athena:*:*:capacity-reservation/*",
        "arn:*:athena:*:*:datacatalog/*",
    }
    (management,) = (f for f in findings if f.issue == "PERMISSIONS_MANAGEMENT_ACTIONS")
    assert "iam:passrole" in management.location["actions"]


def test_buckets_tables_and_workgroups_are_managed_only_by_this_projects_names() -> None:
    assert statements()["ManageFlowLogBuckets"]["Resource"] == "arn:*:s3:::vpc-flow-logs-*"
    assert statements()["ManageTheFlowLogTable"]["Resource"] == [
        "arn:*:glue:*:*:catalog",
        "arn:*:glue:*:*:database/vpc_flow_logs_*",
        "arn:*:glue:*:*:table/vpc_flow_logs_*/*",
        "arn:*:glue:*:*:userDefinedFunction/vpc_flow_logs_*/*",
    ]
    assert statements()["ManageTheFlowLogWorkgroup"]["Resource"] == (
        "arn:*:athena:*:*:workgroup/vpc-flow-logs-*"
    )
    # CreateFlowLogs to S3 sets up a log delivery, which IAM authorises only on "*".
    assert statements()["DeliverFlowLogsToS3"] == {
        "Sid": "DeliverFlowLogsToS3",
        "Effect": "Allow",
        "Action": ["logs:CreateLogDelivery", "logs:DeleteLogDelivery"],
        "Resource": "*",
    }


def test_the_flow_log_buckets_access_logging_can_be_set_on_this_projects_buckets_only() -> None:
    buckets = statements()["ManageFlowLogBuckets"]

    assert {"s3:PutBucketLogging", "s3:GetBucketLogging"} <= set(buckets["Action"])
    logging = run_stack_file("prod").one("aws:s3/bucketLogging:BucketLogging").inputs
    assert logging["bucket"].startswith("vpc-flow-logs-")
    assert logging["targetBucket"].startswith("vpc-flow-logs-")


def test_the_programs_resources_are_named_within_the_deployer_policy() -> None:
    run = run_stack_file("prod")
    buckets = [r.inputs["bucket"] for r in run.of_type("aws:s3/bucket:Bucket")]
    assert buckets and all(b.startswith("vpc-flow-logs-") for b in buckets)
    assert (
        run.one("aws:glue/catalogDatabase:CatalogDatabase")
        .inputs["name"]
        .startswith("vpc_flow_logs_")
    )
    assert run.one("aws:athena/workgroup:Workgroup").inputs["name"].startswith("vpc-flow-logs-")


def test_the_telemetry_rule_statement_is_unknown_to_parliament_and_nothing_else() -> None:
    statement = statements()["ManageTheOrganizationTelemetryRule"]
    findings = parliament_findings({"Version": "2012-10-17", "Statement": [statement]})

    assert statement["Action"] == TELEMETRY_RULE_ACTIONS
    assert [(f.issue, f.detail) for f in findings] == [
        ("UNKNOWN_ACTION", f"Unknown action {action}") for action in TELEMETRY_RULE_ACTIONS
    ]


def test_every_statement_parliament_calls_effectively_star_is_scoped_by_this_projects_tag() -> None:
    scoped = {
        sid: s
        for sid, s in statements().items()
        if str(s["Resource"]).startswith("arn:*:kms:*:*:key")
        or str(s["Resource"]).startswith("arn:*:config:*:*:config-rule/")
    }

    assert sorted(scoped) == [
        "CreateTaggedConfigRules",
        "ManageTheLogGroupKey",
        "ManageTheTaggedConfigRules",
    ]
    for sid, statement in scoped.items():
        condition = statement["Condition"]["StringEquals"]
        assert condition in (
            {"aws:RequestTag/managed-by": "vpc-flow-logs"},
            {"aws:ResourceTag/managed-by": "vpc-flow-logs"},
        ), sid


def test_the_repair_role_is_managed_by_name_and_passed_only_to_systems_manager() -> None:
    manage, passrole = (
        statements()["ManageTheRepairRole"],
        statements()["PassTheRepairRoleToSystemsManagerOnly"],
    )

    assert (
        manage["Resource"]
        == passrole["Resource"]
        == "arn:*:iam::*:role/vpc-flow-logs-repair*-role-*"
    )
    assert passrole["Action"] == "iam:PassRole"
    assert passrole["Condition"] == {"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}}


def test_remediation_and_the_telemetry_rule_are_scoped_by_name() -> None:
    assert statements()["ManageTheDriftRemediation"]["Resource"] == (
        "arn:*:config:*:*:remediation-configuration/vpc-flow-logs-repair-*"
    )
    assert statements()["ManageTheOrganizationTelemetryRule"]["Resource"] == (
        "arn:*:observabilityadmin:*:*:organization-telemetry-rule/vpc-flow-logs*"
    )


def test_the_repair_document_is_managed_only_by_its_name() -> None:
    # What pulumi-aws's ssm.Document calls: create, read (description, content, sharing), update
    # with a new default version, delete, and its tags.
    assert statements()["ManageTheRepairDocument"] == {
        "Sid": "ManageTheRepairDocument",
        "Effect": "Allow",
        "Action": [
            "ssm:CreateDocument",
            "ssm:UpdateDocument",
            "ssm:UpdateDocumentDefaultVersion",
            "ssm:DeleteDocument",
            "ssm:DescribeDocument",
            "ssm:DescribeDocumentPermission",
            "ssm:GetDocument",
            "ssm:AddTagsToResource",
            "ssm:RemoveTagsFromResource",
            "ssm:ListTagsForResource",
        ],
        "Resource": "arn:*:ssm:*:*:document/vpc-flow-logs-repair-*",
    }
    for action in statements()["ManageTheRepairDocument"]["Action"]:
        assert {"document", "document*"} & set(_resource_types(action)), action
    # Nothing of this project runs or shares a document, or touches AWS's own runbooks.
    every_action = json.dumps([s["Action"] for s in statements().values()])
    assert "ssm:StartAutomationExecution" not in every_action
    assert "ssm:ModifyDocumentPermission" not in every_action
    assert "AWSSupport" not in POLICY.read_text()


def test_the_prod_stacks_repair_documents_fall_within_the_scope() -> None:
    run = run_stack_file("prod")
    names = [d.outputs["name"] for d in run.of_type("aws:ssm/document:Document")]

    assert names == ["vpc-flow-logs-repair-prod", "vpc-flow-logs-repair-us-west-2-prod"]


def _resource_types(action: str) -> list[str]:
    """The resource types IAM lets ``action`` be scoped to, from parliament's IAM definitions."""
    service, name = action.split(":")
    definitions = json.loads((Path(parliament.__file__).parent / "iam_definition.json").read_text())
    (privilege,) = (
        p
        for s in definitions
        if s["prefix"] == service
        for p in s["privileges"]
        if p["privilege"] == name
    )
    return [r["resource_type"] for r in privilege["resource_types"] if r["resource_type"]]


def test_monitoring_resources_are_scoped_to_this_projects_names() -> None:
    assert (
        statements()["ManageTheAlarms"]["Resource"] == "arn:*:cloudwatch:*:*:alarm:vpc-flow-logs-*"
    )
    assert (
        statements()["ManageTheDashboard"]["Resource"]
        == "arn:*:cloudwatch::*:dashboard/vpc-flow-logs-*"
    )
    assert statements()["ManageTheAlarmTopic"]["Resource"] == "arn:*:sns:*:*:vpc-flow-logs-*"
    assert (
        statements()["ManageMetricFiltersOnFlowLogGroups"]["Resource"]
        == "arn:*:logs:*:*:log-group:/aws/vpc/*"
    )


@pytest.mark.parametrize(
    "sid",
    ["ManageSavedQueries", "ManageEmailSubscriptions", "ReadTheOrganizationAndItsAccounts"],
)
def test_statements_on_every_resource_hold_only_actions_iam_cannot_scope(sid: str) -> None:
    statement = statements()[sid]
    assert statement["Resource"] == "*"
    for action in statement["Action"]:
        assert _resource_types(action) == [], action


def test_the_prod_stacks_monitoring_names_fall_within_the_scopes() -> None:
    run = run_stack_file("prod")
    names = [a.outputs["name"] for a in run.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")]
    names += [t.outputs["name"] for t in run.of_type("aws:sns/topic:Topic")]
    names += [d.inputs["dashboardName"] for d in run.of_type("aws:cloudwatch/dashboard:Dashboard")]
    # Two regions: four alarms, a topic and a dashboard in each; at home, where the bucket
    # is, the alarm on S3 delivery too.
    assert len(names) == 2 * 6 + 1
    assert all(name.startswith("vpc-flow-logs-") for name in names), names
    groups = {f.inputs["logGroupName"] for f in run.of_type(FILTER)}
    assert groups and all(group.startswith("/aws/vpc/") for group in groups)


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def test_no_statement_repeats_what_another_already_allows() -> None:
    # A statement whose actions and resources all lie within another's, under the same
    # condition, adds nothing but a second place to keep in step.
    found = []
    for sid, statement in statements().items():
        for other_sid, other in statements().items():
            if sid == other_sid or statement.get("Condition") != other.get("Condition"):
                continue
            actions = set(_as_list(statement["Action"]))
            resources = set(_as_list(statement["Resource"]))
            if actions <= set(_as_list(other["Action"])) and resources <= set(
                _as_list(other["Resource"])
            ):
                found.append(f"{sid} is within {other_sid}")
    assert found == []


def test_firehose_delivery_gets_what_aws_documents_and_its_roles_by_name() -> None:
    # Creating a flow log to Firehose (docs/firehose.md): logs:CreateLogDelivery and
    # DeleteLogDelivery (the S3 statement's), tagging the stream, and the log-delivery
    # service-linked role, for that service only.
    assert statements()["TagFirehoseStreamsForLogDelivery"]["Action"] == (
        "firehose:TagDeliveryStream"
    )
    linked = statements()["CreateTheLogDeliveryServiceLinkedRole"]
    assert linked["Action"] == "iam:CreateServiceLinkedRole"
    assert linked["Condition"] == {
        "StringEquals": {"iam:AWSServiceName": "delivery.logs.amazonaws.com"}
    }
    passrole = statements()["PassTheFirehoseSourceRoleToLogDeliveryOnly"]
    assert passrole["Resource"] == "arn:*:iam::*:role/vpc-flow-logs-firehose/*"
    assert passrole["Condition"] == {
        "StringEquals": {"iam:PassedToService": "delivery.logs.amazonaws.com"}
    }
    assert statements()["ManageTheFirehoseDestinationRole"]["Resource"] == (
        "arn:*:iam::*:role/AWSLogDeliveryFirehoseCrossAccountRole-vpc-flow-logs"
    )
