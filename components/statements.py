"""The one way this project writes a policy statement: a principal, actions, resources and
conditions, as plain data.

Every capability builds its bucket, key, trust and role documents from these helpers, so
documents that admit another account read alike, and a fix to one form lands everywhere.
Nothing here calls AWS: account, region and partition are passed in, from the provider.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from components.aws_context import PolicyDocument

Statement = dict[str, Any]
"""One statement of a policy document."""
Conditions = dict[str, dict[str, Any]]
"""A statement's ``Condition`` block: operator, then condition key, then value or values."""
Principal = dict[str, Any]
"""A statement's ``Principal``: ``{"Service": ...}`` or ``{"AWS": ...}``."""

POLICY_VERSION = "2012-10-17"
"""The current policy language version; the older one has no policy variables."""


def one_or_many(values: str | Sequence[str]) -> str | list[str]:
    """A single value as itself, several as a list: the form AWS shows and parliament reads."""
    if isinstance(values, str):
        return values
    listed = list(values)
    return listed[0] if len(listed) == 1 else listed


def statement(
    sid: str,
    actions: str | Sequence[str],
    resources: str | Sequence[str],
    *,
    principal: Principal | Literal["*"] | None = None,
    effect: Literal["Allow", "Deny"] = "Allow",
    conditions: Mapping[str, Mapping[str, Any]] | None = None,
) -> Statement:
    """A statement. ``principal`` is for resource policies (bucket, key, trust); an identity
    policy's statements have none. Empty ``conditions`` are left out."""
    built: Statement = {"Sid": sid, "Effect": effect}
    if principal is not None:
        built["Principal"] = principal
    built["Action"] = one_or_many(actions)
    built["Resource"] = one_or_many(resources)
    if conditions:
        built["Condition"] = {operator: dict(keys) for operator, keys in conditions.items()}
    return built


def policy_document(*statements: Statement) -> PolicyDocument:
    """A policy document of ``statements``, in order."""
    return {"Version": POLICY_VERSION, "Statement": list(statements)}


def service_principal(service: str) -> Principal:
    """An AWS service, e.g. ``delivery.logs.amazonaws.com``."""
    return {"Service": service}


def account_principals(partition: str, accounts: Sequence[str]) -> Principal:
    """Whole accounts, as their root ARNs: the account's IAM policies then decide who in it may.
    Sorted, so that the document does not change with the order of a config list."""
    return arn_principals([f"arn:{partition}:iam::{account}:root" for account in sorted(accounts)])


def arn_principals(arns: Sequence[str]) -> Principal:
    """Principals named by ARN (roles, users, account roots)."""
    return {"AWS": one_or_many(arns)}


def source_conditions(
    accounts: str | Sequence[str], source_arns: str | Sequence[str]
) -> Conditions:
    """Confused-deputy protection for a service principal: it acts for ``accounts`` only
    (``aws:SourceAccount``), and for resources matching ``source_arns`` (``aws:SourceArn``)."""
    if isinstance(accounts, str):
        accounts = [accounts]
    return {
        "StringEquals": {"aws:SourceAccount": one_or_many(sorted(accounts))},
        "ArnLike": {"aws:SourceArn": one_or_many(source_arns)},
    }


def merge_conditions(*blocks: Mapping[str, Mapping[str, Any]] | None) -> Conditions:
    """One ``Condition`` block holding every condition of ``blocks``, which must all hold.

    Two blocks that name the same key under the same operator would mean a different thing
    merged (IAM ORs the values of one key), so that is refused."""
    merged: Conditions = {}
    for block in blocks:
        for operator, keys in (block or {}).items():
            target = merged.setdefault(operator, {})
            for key, value in keys.items():
                if key in target:
                    raise ValueError(f"condition {operator} {key} is given twice")
                target[key] = value
    return merged
