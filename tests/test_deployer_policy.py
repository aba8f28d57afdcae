"""The deploying principal's policy in deploy/: valid, scoped, and what parliament says of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import parliament

from tests.support.program import PROJECT_DIR

POLICY = PROJECT_DIR / "deploy" / "deployer-policy.json"


def statements() -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in json.loads(POLICY.read_text())["Statement"]}


def test_passrole_is_only_for_the_delivery_role_and_only_to_the_flow_logs_service() -> None:
    passrole = statements()["PassTheDeliveryRoleToFlowLogsOnly"]

    assert passrole["Action"] == "iam:PassRole"
    assert passrole["Resource"] == "arn:*:iam::*:role/vpc-flow-logs-role-*"
    assert passrole["Condition"] == {
        "StringEquals": {"iam:PassedToService": "vpc-flow-logs.amazonaws.com"}
    }


def test_keys_are_managed_only_when_tagged_as_this_projects() -> None:
    create, manage = statements()["CreateKeysForEncryptLogs"], statements()["ManageTheLogGroupKey"]

    assert create["Condition"] == {"StringEquals": {"aws:RequestTag/managed-by": "vpc-flow-logs"}}
    assert manage["Condition"] == {"StringEquals": {"aws:ResourceTag/managed-by": "vpc-flow-logs"}}


def test_parliament_finds_only_what_deploying_a_role_key_bucket_and_workgroup_requires() -> None:
    override = Path(parliament.__file__).parent / "community_auditors" / "config_override.yaml"
    parliament.override_config(str(override))
    policy = parliament.analyze_policy_string(
        POLICY.read_text(), include_community_auditors=True, config=parliament.config
    )

    # Creating a role and a key is permissions management by nature; kms:CreateKey and the tags
    # it sets cannot be scoped to a key that does not exist yet (they are conditioned on the
    # request's tag instead), and key management is conditioned on the key's tag. Writing a
    # bucket's policy and lifecycle is what managing the flow-log bucket means: parliament notes
    # that whoever may write them could grant themselves the objects.
    assert sorted({f.issue for f in policy.findings}) == [
        "PERMISSIONS_MANAGEMENT_ACTIONS",
        "RESOURCE_EFFECTIVELY_STAR",
        "RESOURCE_MISMATCH",
        "RESOURCE_POLICY_PRIVILEGE_ESCALATION",
        "RESOURCE_STAR",
    ]
    (star,) = (f for f in policy.findings if f.issue == "RESOURCE_STAR")
    assert star.detail == ["kms:TagResource"]
    escalations = [f for f in policy.findings if f.issue == "RESOURCE_POLICY_PRIVILEGE_ESCALATION"]
    assert escalations
    assert all(
        str(f.detail).startswith(
            "Possible resource policy privilege escalation on arn:*:s3:::vpc-flow-logs-* "
        )
        for f in escalations
    )
    # Athena's tagging actions take a workgroup, a data catalog or a capacity reservation;
    # parliament wants all three, but the workgroup is the only one this project tags.
    (mismatch,) = (f for f in policy.findings if f.issue == "RESOURCE_MISMATCH")
    assert {m["action"] for m in mismatch.detail} == {
        "athena:ListTagsForResource",
        "athena:TagResource",
        "athena:UntagResource",
    }
    assert {m["required_format"] for m in mismatch.detail} == {
        "arn:*:athena:*:*:capacity-reservation/*",
        "arn:*:athena:*:*:datacatalog/*",
    }


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


def test_the_programs_resources_are_named_within_the_deployer_policy() -> None:
    from tests.support.program import run_stack_file

    run = run_stack_file("prod")
    buckets = [r.inputs["bucket"] for r in run.of_type("aws:s3/bucket:Bucket")]
    assert buckets and all(b.startswith("vpc-flow-logs-") for b in buckets)
    assert (
        run.one("aws:glue/catalogDatabase:CatalogDatabase")
        .inputs["name"]
        .startswith("vpc_flow_logs_")
    )
    assert run.one("aws:athena/workgroup:Workgroup").inputs["name"].startswith("vpc-flow-logs-")
