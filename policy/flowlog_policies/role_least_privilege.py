"""``vpc-flow-log-role-least-privilege``: the role a flow log uses is trusted narrowly and grants
only what CloudWatch Logs delivery needs.

The trust policy must let only ``vpc-flow-logs.amazonaws.com`` assume the role, under an
``aws:SourceAccount`` condition (and, if ``requireSourceArnCondition`` is set, ``aws:SourceArn``)
so that another account's flow logs cannot use it (the confused deputy). Its permissions, in any of
the three places they can live (the role's ``inlinePolicies``, ``aws.iam.RolePolicy`` resources and
``aws.iam.RolePolicyAttachment`` of an ``aws.iam.Policy``), must grant no wildcard action and
no ``"*"`` resource except for ``logs:DescribeLogGroups``, which works only on ``"*"``.

Links follow property dependencies first (``iamRoleArn``, ``role``, ``policyArn``), then literal
ARNs and names. A document that is unknown during a preview is reported by
``vpc-flow-log-checks-resolvable`` and checked when it is known.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    Severity,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from .destinations import FIREHOSE, strip_log_stream_suffix
from .graph import (
    MANAGED_POLICY_TYPE,
    ROLE_POLICY_ATTACHMENT_TYPE,
    ROLE_POLICY_TYPE,
    ROLE_TYPE,
    UNKNOWN,
    as_list,
    flow_logs,
    known_str,
    linked,
    read,
)
from .scaffolding import Finding, Findings, checked_when_known, format_list, stack_validation

NAME: Final = "vpc-flow-log-role-least-privilege"
SERVICE_PRINCIPAL: Final = "vpc-flow-logs.amazonaws.com"
ANY_RESOURCE_ACTIONS: Final = frozenset({"logs:describeloggroups"})
"""Actions (lower case) that AWS only authorises on ``"*"``."""
SUGGESTED_ACTIONS: Final = "logs:CreateLogStream, logs:PutLogEvents, logs:DescribeLogStreams"

DEFAULTS: Final[Mapping[str, Any]] = {"requireSourceArnCondition": False}
CONFIG_SCHEMA: Final = PolicyConfigSchema(
    properties={
        "requireSourceArnCondition": {
            "type": "boolean",
            "default": DEFAULTS["requireSourceArnCondition"],
            "description": "Also require an aws:SourceArn condition "
            "(arn:<partition>:ec2:<region>:<account>:vpc-flow-log/*) in the trust policy. "
            "Defaults to false.",
        }
    }
)

_ROLES: Final = frozenset({ROLE_TYPE})
_POLICIES: Final = frozenset({MANAGED_POLICY_TYPE})


class _Unresolved(Exception):
    """A document or link is unknown during the preview; carries the note to report."""


def parse_document(value: Any) -> dict[str, Any]:
    """Return an IAM document from its JSON string (or object) form.

    Raises ``_Unresolved`` for an unknown value and ``ValueError`` for one that is not a JSON
    object.
    """
    if value is UNKNOWN:
        raise _Unresolved
    if isinstance(value, Mapping):
        return dict(value)
    if not isinstance(value, str):
        raise ValueError("not a JSON string")
    document = json.loads(value)
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    return document


def allow_statements(document: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Yield each ``Effect: Allow`` statement of a document."""
    statements = document.get("Statement")
    for statement in statements if isinstance(statements, list) else [statements]:
        if isinstance(statement, Mapping) and statement.get("Effect") == "Allow":
            yield statement


def _strings(value: Any) -> list[str]:
    return [str(v) for v in as_list(value)]


def trust_problems(document: Mapping[str, Any], require_source_arn: bool) -> list[str]:
    """Return what is wrong with a flow-log role's trust policy, as sentence fragments."""
    problems: list[str] = []
    others: list[str] = []
    condition_keys: set[str] = set()
    statements = list(allow_statements(document))
    for statement in statements:
        if "NotPrincipal" in statement:
            others.append("everyone but a NotPrincipal")
        principal = statement.get("Principal")
        if not isinstance(principal, Mapping):
            others.append(str(principal))
        else:
            for kind, values in principal.items():
                others.extend(
                    f"{kind} {v}"
                    for v in _strings(values)
                    if not (kind == "Service" and v == SERVICE_PRINCIPAL)
                )
        conditions = statement.get("Condition")
        if isinstance(conditions, Mapping):
            for keys in conditions.values():
                if isinstance(keys, Mapping):
                    condition_keys.update(str(k).lower() for k in keys)
    if others:
        problems.append(f"lets {format_list(others)} assume it; only {SERVICE_PRINCIPAL} may")
    if statements and "aws:sourceaccount" not in condition_keys:
        problems.append(
            "has no aws:SourceAccount condition, so another account's flow logs could use it; "
            'add Condition {"StringEquals": {"aws:SourceAccount": "<account id>"}}'
        )
    if statements and require_source_arn and "aws:sourcearn" not in condition_keys:
        problems.append(
            'has no aws:SourceArn condition; add Condition {"ArnLike": {"aws:SourceArn": '
            '"arn:<partition>:ec2:<region>:<account>:vpc-flow-log/*"}}'
        )
    return problems


def _broad(resource: str) -> bool:
    # "<log group ARN>:*" is the log group's streams, which is what AWS requires; a "*" anywhere
    # else widens the grant to other log groups or services, and so does "...:log-group:*", whose
    # ":*" stands for every log group's name rather than one group's streams.
    base = strip_log_stream_suffix(resource)
    return "*" in base or base.endswith(":log-group")


def permission_problems(document: Mapping[str, Any]) -> list[str]:
    """Return what a permissions document grants beyond least privilege, as sentence fragments."""
    problems: list[str] = []
    for statement in allow_statements(document):
        for negated in ("NotAction", "NotResource"):
            if negated in statement:
                problems.append(f"allows with {negated}, which grants everything not listed")
        actions = _strings(statement.get("Action"))
        wildcards = [a for a in actions if "*" in a]
        if wildcards:
            problems.append(
                f"allows wildcard action {format_list(wildcards)}; list {SUGGESTED_ACTIONS} "
                "(and logs:DescribeLogGroups) instead"
            )
        broad = [r for r in _strings(statement.get("Resource")) if _broad(r)]
        scoped = [a for a in actions if "*" not in a and a.lower() not in ANY_RESOURCE_ACTIONS]
        if broad and scoped:
            problems.append(
                f"allows {format_list(scoped)} on {format_list(broad)}; only "
                'logs:DescribeLogGroups needs "*", so scope the rest to the log group\'s ARN '
                "and that ARN followed by :*"
            )
    return problems


class _Stack:
    """The stack's IAM resources, indexed once by the names and ARNs that link them."""

    def __init__(self, resources: Sequence[PolicyResource]) -> None:
        self.roles_by_arn: dict[str, PolicyResource] = {}
        self.roles_by_name: dict[str, PolicyResource] = {}
        self.policies_by_arn: dict[str, PolicyResource] = {}
        self.role_policies: dict[str, list[PolicyResource]] = {}
        self.attachments: dict[str, list[PolicyResource]] = {}
        pending: list[PolicyResource] = []
        for r in resources:
            if r.resource_type == ROLE_TYPE:
                arn = known_str(read(r.props, "arn"))
                if arn:
                    self.roles_by_arn[arn] = r
                for key in ("name", "id"):
                    name = known_str(read(r.props, key))
                    if name:
                        self.roles_by_name[name] = r
            elif r.resource_type == MANAGED_POLICY_TYPE:
                arn = known_str(read(r.props, "arn"))
                if arn:
                    self.policies_by_arn[arn] = r
            elif r.resource_type in (ROLE_POLICY_TYPE, ROLE_POLICY_ATTACHMENT_TYPE):
                pending.append(r)
        # Second pass, because a policy can be listed before the role it names.
        for r in pending:
            role = self._role_named(r)
            if role is not None:
                bucket = (
                    self.role_policies if r.resource_type == ROLE_POLICY_TYPE else self.attachments
                )
                bucket.setdefault(role.urn, []).append(r)

    def _role_named(self, resource: PolicyResource) -> PolicyResource | None:
        roles = linked(resource, "role", _ROLES)
        if len(roles) == 1:
            return roles[0]
        name = known_str(read(resource.props, "role"))
        if name:
            # The role argument also accepts an ARN; IAM names are the part after the last "/".
            return self.roles_by_name.get(name.rsplit("/", 1)[-1])
        return None

    def role_of(self, resource: PolicyResource, key: str, value: Any) -> PolicyResource | object:
        """Return the stack role a flow log uses, :data:`UNKNOWN`, or None (not in this stack)."""
        roles = linked(resource, key, _ROLES)
        if len(roles) == 1:
            return roles[0]
        arn = known_str(value)
        if arn:
            return self.roles_by_arn.get(arn)
        return UNKNOWN if value is UNKNOWN or roles else None


def _check_role(
    role: PolicyResource, stack: _Stack, require_source_arn: bool, findings: Findings
) -> None:
    def document(where: str, urn: str, value: Any, problems: Any) -> None:
        try:
            found = problems(parse_document(value))
        except (_Unresolved, UnknownValueError):
            findings.unresolved.append(checked_when_known(where, NAME, urn))
            return
        except ValueError:
            found = ["is not a valid JSON policy document"]
        findings.violations.extend(Finding(f"{where} {p}.", urn) for p in found)

    def trust(doc: Mapping[str, Any]) -> list[str]:
        return trust_problems(doc, require_source_arn)

    where = f"Role '{role.name}'"
    document(f"{where} trust policy", role.urn, read(role.props, "assumeRolePolicy"), trust)

    for entry in as_list(read(role.props, "inlinePolicies")):
        if entry is UNKNOWN:
            document(f"{where} inline policy", role.urn, UNKNOWN, permission_problems)
            continue
        text = read(entry, "policy")
        # The provider reports "no inline policies" as one entry with empty strings.
        if text is None or text == "":
            continue
        name = read(entry, "name")
        label = f"'{name}'" if known_str(name) else "(unnamed)"
        document(f"{where} inline policy {label}", role.urn, text, permission_problems)

    for rp in stack.role_policies.get(role.urn, []):
        document(
            f"Role policy '{rp.name}' of role '{role.name}'",
            rp.urn,
            read(rp.props, "policy"),
            permission_problems,
        )

    for attachment in stack.attachments.get(role.urn, []):
        policies = linked(attachment, "policyArn", _POLICIES)
        arn = read(attachment.props, "policyArn")
        managed = policies[0] if len(policies) == 1 else stack.policies_by_arn.get(str(arn))
        if managed is not None:
            document(
                f"Policy '{managed.name}' attached to role '{role.name}'",
                managed.urn,
                read(managed.props, "policy"),
                permission_problems,
            )
        elif arn is UNKNOWN:
            findings.unresolved.append(
                checked_when_known(
                    f"Policy attachment '{attachment.name}' of role '{role.name}' names a policy "
                    "that",
                    NAME,
                    attachment.urn,
                )
            )
        else:
            findings.violations.append(
                Finding(
                    f"Policy attachment '{attachment.name}' attaches {arn} to role '{role.name}', "
                    "a policy this stack does not define, so its grants can't be checked. Use an "
                    f"inline policy with {SUGGESTED_ACTIONS} on the log group instead.",
                    attachment.urn,
                )
            )


def check(resources: Sequence[PolicyResource], config: Mapping[str, Any]) -> Findings:
    """Report over-broad trust or permissions on every role a flow log of the stack uses."""
    require_source_arn = bool(config["requireSourceArnCondition"])
    stack = _Stack(resources)
    findings = Findings()
    checked: set[str] = set()
    for flow_log in flow_logs(resources):
        if flow_log.role_arn is None or flow_log.role_arn == "":
            continue
        if flow_log.destination_type == FIREHOSE:
            # Its role is the log-delivery service's cross-account source role, whose trust and
            # permissions AWS prescribes; this policy judges CloudWatch Logs delivery roles.
            continue
        role = stack.role_of(flow_log.resource, flow_log.role_key, flow_log.role_arn)
        if role is UNKNOWN:
            findings.unresolved.append(
                Finding(
                    f"Flow log '{flow_log.resource.name}' uses a role that is unknown during "
                    f"this preview and depends on no role of this stack; {NAME} checks only "
                    "roles it can identify.",
                    flow_log.resource.urn,
                )
            )
        elif isinstance(role, PolicyResource) and role.urn not in checked:
            checked.add(role.urn)
            _check_role(role, stack, require_source_arn, findings)
    return findings


policy: Final = StackValidationPolicy(
    name=NAME,
    description=(
        "The IAM role a flow log uses trusts only vpc-flow-logs.amazonaws.com under an "
        "aws:SourceAccount condition and grants no wildcard actions or resources."
    ),
    validate=stack_validation(check, DEFAULTS),
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=CONFIG_SCHEMA,
    severity=Severity.HIGH,
    tags=["security", "iam"],
    remediation_steps=(
        "Trust policy: one statement allowing Service vpc-flow-logs.amazonaws.com sts:AssumeRole "
        "with Condition StringEquals aws:SourceAccount=<account> and ArnLike aws:SourceArn="
        "arn:<partition>:ec2:<region>:<account>:vpc-flow-log/*. Permissions: logs:CreateLogStream, "
        "logs:PutLogEvents and logs:DescribeLogStreams on <log group ARN> and <log group ARN>:*, "
        'plus logs:DescribeLogGroups on "*". The VpcFlowLogs component builds exactly this role.'
    ),
)
"""The policy object ``__main__.py`` puts in the pack."""
