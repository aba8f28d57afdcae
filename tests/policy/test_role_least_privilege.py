"""``vpc-flow-log-role-least-privilege`` through the Analyzer protocol."""

from __future__ import annotations

import json
from typing import Any

import pytest

from offline.analyzer import UNKNOWN, Diagnostic, PolicyPackProcess, Resource, engine_urn
from tests.support.policy_fixtures import (
    ACCOUNT,
    COMPONENT,
    COMPONENT_URN,
    LOG_GROUP_ARN,
    ROLE_POLICY_URN,
    ROLE_URN,
    added,
    changed,
    compliant_stack,
    permissions_policy,
    resources,
    rewired,
    trust_policy,
)

POLICY = "vpc-flow-log-role-least-privilege"
DESCRIPTION = (
    "The IAM role a flow log uses trusts only vpc-flow-logs.amazonaws.com under an "
    "aws:SourceAccount condition and grants no wildcard actions or resources."
)
WILDCARD = (
    "allows wildcard action logs:*; list logs:CreateLogStream, logs:PutLogEvents, "
    "logs:DescribeLogStreams (and logs:DescribeLogGroups) instead."
)
ATTACHMENT_URN = engine_urn(
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "flow-logs-attachment",
    parent_type=COMPONENT,
)
MANAGED_URN = engine_urn("aws:iam/policy:Policy", "flow-logs-policy", parent_type=COMPONENT)
MANAGED_ARN = f"arn:aws:iam::{ACCOUNT}:policy/flow-logs-policy"


def verdicts(diagnostics: list[Diagnostic]) -> list[tuple[str, str, str]]:
    return [(d.urn, d.enforcement_level, d.message) for d in diagnostics if d.policy_name == POLICY]


def blocked(urn: str, detail: str) -> list[tuple[str, str, str]]:
    return [(urn, "mandatory", f"{DESCRIPTION}\n{detail}")]


def test_compliant_role_passes(pack: PolicyPackProcess) -> None:
    assert verdicts(pack.analyze_stack(resources(compliant_stack()))) == []


def test_compliant_role_passes_with_source_arn_required(pack: PolicyPackProcess) -> None:
    pack.configure({POLICY: {"requireSourceArnCondition": True}})
    assert verdicts(pack.analyze_stack(resources(compliant_stack()))) == []


def test_unknown_policy_document_in_preview_is_an_advisory(pack: PolicyPackProcess) -> None:
    diagnostics = pack.analyze_stack(resources(compliant_stack(preview=True)))
    assert verdicts(diagnostics) == []
    assert [
        (d.urn, d.enforcement_level, d.detail)
        for d in diagnostics
        if d.policy_name == "vpc-flow-log-checks-resolvable"
    ] == [
        (
            ROLE_POLICY_URN,
            "advisory",
            "Role policy 'flow-logs-role-policy' of role 'flow-logs-role' is unknown during this "
            "preview; vpc-flow-log-role-least-privilege checks it when it is known.",
        )
    ]


@pytest.mark.parametrize(
    ("principal", "named"),
    [
        (
            {"Service": ["vpc-flow-logs.amazonaws.com", "ec2.amazonaws.com"]},
            "Service ec2.amazonaws.com",
        ),
        ({"AWS": "*"}, "AWS *"),
        ("*", "*"),
    ],
    ids=["extra-service", "any-aws", "star"],
)
def test_trust_beyond_the_flow_logs_service(
    pack: PolicyPackProcess, principal: Any, named: str
) -> None:
    stack = changed(compliant_stack(), "role", assumeRolePolicy=trust_policy(Principal=principal))
    assert verdicts(pack.analyze_stack(resources(stack))) == blocked(
        ROLE_URN,
        f"Role 'flow-logs-role' trust policy lets {named} assume it; only "
        "vpc-flow-logs.amazonaws.com may.",
    )


def test_trust_without_source_account(pack: PolicyPackProcess) -> None:
    stack = changed(compliant_stack(), "role", assumeRolePolicy=trust_policy(Condition=None))
    assert verdicts(pack.analyze_stack(resources(stack))) == blocked(
        ROLE_URN,
        "Role 'flow-logs-role' trust policy has no aws:SourceAccount condition, so another "
        "account's flow logs could use it; add Condition "
        '{"StringEquals": {"aws:SourceAccount": "<account id>"}}.',
    )


def test_trust_without_source_arn_when_required(pack: PolicyPackProcess) -> None:
    pack.configure({POLICY: {"requireSourceArnCondition": True}})
    trust = trust_policy(Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}})
    stack = changed(compliant_stack(), "role", assumeRolePolicy=trust)
    assert verdicts(pack.analyze_stack(resources(stack))) == blocked(
        ROLE_URN,
        "Role 'flow-logs-role' trust policy has no aws:SourceArn condition; add Condition "
        '{"ArnLike": {"aws:SourceArn": '
        '"arn:<partition>:ec2:<region>:<account>:vpc-flow-log/*"}}.',
    )


def test_role_policy_with_logs_star(pack: PolicyPackProcess) -> None:
    stack = changed(
        compliant_stack(), "role_policy", policy=permissions_policy(Action="logs:*", Resource="*")
    )
    assert verdicts(pack.analyze_stack(resources(stack))) == blocked(
        ROLE_POLICY_URN, f"Role policy 'flow-logs-role-policy' of role 'flow-logs-role' {WILDCARD}"
    )


@pytest.mark.parametrize(
    "resource",
    ["*", "arn:aws:logs:us-east-1:123456789012:log-group:*", "arn:aws:logs:*:*:*"],
)
def test_role_policy_with_wildcard_resource(pack: PolicyPackProcess, resource: str) -> None:
    stack = changed(compliant_stack(), "role_policy", policy=permissions_policy(Resource=resource))
    assert verdicts(pack.analyze_stack(resources(stack))) == blocked(
        ROLE_POLICY_URN,
        "Role policy 'flow-logs-role-policy' of role 'flow-logs-role' allows "
        f"logs:CreateLogStream, logs:PutLogEvents, logs:DescribeLogStreams on {resource}; only "
        'logs:DescribeLogGroups needs "*", so scope the rest to the log group\'s ARN and that ARN '
        "followed by :*.",
    )


def test_not_action_is_a_violation(pack: PolicyPackProcess) -> None:
    policy = permissions_policy(Action=None, NotAction="iam:*", Resource=LOG_GROUP_ARN)
    stack = changed(compliant_stack(), "role_policy", policy=policy)
    assert verdicts(pack.analyze_stack(resources(stack))) == blocked(
        ROLE_POLICY_URN,
        "Role policy 'flow-logs-role-policy' of role 'flow-logs-role' allows with NotAction, "
        "which grants everything not listed.",
    )


def test_invalid_json_is_a_violation(pack: PolicyPackProcess) -> None:
    stack = changed(compliant_stack(), "role_policy", policy="{not json")
    assert verdicts(pack.analyze_stack(resources(stack))) == blocked(
        ROLE_POLICY_URN,
        "Role policy 'flow-logs-role-policy' of role 'flow-logs-role' is not a valid JSON policy "
        "document.",
    )


def test_role_policy_linked_by_role_name_alone(pack: PolicyPackProcess) -> None:
    stack = changed(
        compliant_stack(), "role_policy", policy=permissions_policy(Action="logs:*", Resource="*")
    )
    stack = rewired(stack, "role_policy", property_dependencies={}, dependencies=[])
    stack = rewired(stack, "flow_log", property_dependencies={})
    assert [urn for urn, _, _ in verdicts(pack.analyze_stack(resources(stack)))] == [
        ROLE_POLICY_URN
    ]


def test_inline_policies_form(pack: PolicyPackProcess) -> None:
    inline = [{"name": "logs", "policy": permissions_policy(Action="logs:*", Resource="*")}]
    stack = changed(compliant_stack(), "role", inlinePolicies=inline)
    assert verdicts(pack.analyze_stack(resources(stack))) == blocked(
        ROLE_URN, f"Role 'flow-logs-role' inline policy 'logs' {WILDCARD}"
    )


def _attached(policy: Resource | None, policy_arn: str) -> dict[str, Resource]:
    stack = added(
        compliant_stack(),
        attachment=Resource(
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            "flow-logs-attachment",
            ATTACHMENT_URN,
            {"role": "flow-logs-role-1a2b3c4", "policyArn": policy_arn},
            parent=COMPONENT_URN,
            dependencies=[ROLE_URN] + ([policy.urn] if policy else []),
            property_dependencies={
                "role": [ROLE_URN],
                "policyArn": [policy.urn] if policy else [],
            },
        ),
    )
    return added(stack, managed=policy) if policy else stack


def test_attached_policy_form(pack: PolicyPackProcess) -> None:
    managed = Resource(
        "aws:iam/policy:Policy",
        "flow-logs-policy",
        MANAGED_URN,
        {
            "arn": UNKNOWN,
            "policy": json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": ["logs:*"], "Resource": "*"}],
                }
            ),
        },
        parent=COMPONENT_URN,
    )
    stack = _attached(managed, UNKNOWN)
    assert verdicts(pack.analyze_stack(resources(stack))) == blocked(
        MANAGED_URN, f"Policy 'flow-logs-policy' attached to role 'flow-logs-role' {WILDCARD}"
    )


def test_attached_policy_outside_the_stack(pack: PolicyPackProcess) -> None:
    arn = "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"
    stack = _attached(None, arn)
    assert verdicts(pack.analyze_stack(resources(stack))) == blocked(
        ATTACHMENT_URN,
        f"Policy attachment 'flow-logs-attachment' attaches {arn} to role 'flow-logs-role', a "
        "policy this stack does not define, so its grants can't be checked. Use an inline policy "
        "with logs:CreateLogStream, logs:PutLogEvents, logs:DescribeLogStreams on the log group "
        "instead.",
    )


def test_role_not_used_by_a_flow_log_is_ignored(pack: PolicyPackProcess) -> None:
    stack = changed(compliant_stack(), "flow_log", logDestinationType="s3", iamRoleArn="")
    stack = rewired(stack, "flow_log", property_dependencies={})
    stack = changed(stack, "role", assumeRolePolicy=trust_policy(Principal={"AWS": "*"}))
    assert verdicts(pack.analyze_stack(resources(stack))) == []
