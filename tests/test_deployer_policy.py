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
    assert passrole["Resource"] == "arn:*:iam::*:role/vpc-flow-logs-*role-*"
    assert passrole["Condition"] == {
        "StringEquals": {"iam:PassedToService": "vpc-flow-logs.amazonaws.com"}
    }


def test_keys_are_managed_only_when_tagged_as_this_projects() -> None:
    create, manage = statements()["CreateKeysForEncryptLogs"], statements()["ManageTheLogGroupKey"]

    assert create["Condition"] == {"StringEquals": {"aws:RequestTag/managed-by": "vpc-flow-logs"}}
    assert manage["Condition"] == {"StringEquals": {"aws:ResourceTag/managed-by": "vpc-flow-logs"}}


def test_parliament_finds_only_what_deploying_a_role_and_key_requires() -> None:
    override = Path(parliament.__file__).parent / "community_auditors" / "config_override.yaml"
    parliament.override_config(str(override))
    policy = parliament.analyze_policy_string(
        POLICY.read_text(), include_community_auditors=True, config=parliament.config
    )

    # Creating a role and a key is permissions management by nature; kms:CreateKey and the tags
    # it sets cannot be scoped to a key that does not exist yet (they are conditioned on the
    # request's tag instead), and key management is conditioned on the key's tag.
    assert sorted(f.issue for f in policy.findings) == [
        "PERMISSIONS_MANAGEMENT_ACTIONS",
        "RESOURCE_EFFECTIVELY_STAR",
        "RESOURCE_STAR",
    ]
    (star,) = (f for f in policy.findings if f.issue == "RESOURCE_STAR")
    assert star.detail == ["kms:TagResource"]
