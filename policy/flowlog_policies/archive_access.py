"""``vpc-flow-log-archive-access``: a bucket that admits flow-log delivery admits it safely.

It covers every bucket whose policy admits ``delivery.logs.amazonaws.com``. The two failures
users of central log archives report most are a bucket that refuses delivery and a key that
refuses the log-delivery service (the flow log stays ``ACTIVE`` while nothing arrives); the
first is a policy that is too open or too narrow, the second a key. It refuses:

- a log-delivery write statement without both ``aws:SourceAccount`` and ``aws:SourceArn``
  conditions (the confused deputy: any account's deliveries could land there);
- a bucket encrypted by default with the AWS-managed ``aws/s3`` key while its policy admits more
  than one account's deliveries: that key cannot be used across accounts, so delivery fails;
- a customer-managed key in the stack, encrypting such a bucket, whose policy does not let the
  log-delivery service generate data keys.

A document or key unknown during a preview is checked once it is known.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    Severity,
    StackValidationPolicy,
)

from .graph import UNKNOWN, as_list, known_str, linked, read
from .scaffolding import NO_SETTINGS, Finding, Findings, checked_when_known, stack_validation

NAME: Final = "vpc-flow-log-archive-access"
DEFAULTS: Final = NO_SETTINGS
LOG_DELIVERY: Final = "delivery.logs.amazonaws.com"
BUCKET_POLICY: Final = "aws:s3/bucketPolicy:BucketPolicy"
ENCRYPTION: Final = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
)
BUCKET_TYPES: Final = frozenset({"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"})
KEY_TYPES: Final = frozenset({"aws:kms/key:Key"})


def _statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = document.get("Statement") or []
    return [found] if isinstance(found, Mapping) else list(found)


def _names_delivery(principal: Any) -> bool:
    if not isinstance(principal, Mapping):
        return False
    return LOG_DELIVERY in as_list(principal.get("Service"))


def _condition_keys(statement: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Every condition key of ``statement`` (lower case) with its values, whatever the
    operator."""
    keys: dict[str, list[Any]] = {}
    for block in (statement.get("Condition") or {}).values():
        for key, values in block.items():
            keys.setdefault(key.lower(), []).extend(as_list(values))
    return keys


def _delivery_statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [
        s
        for s in _statements(document)
        if s.get("Effect") == "Allow" and _names_delivery(s.get("Principal"))
    ]


def _writes(statement: Mapping[str, Any]) -> bool:
    return any(a.lower() in ("s3:putobject", "s3:*", "*") for a in as_list(statement.get("Action")))


def _document(text: Any) -> Mapping[str, Any] | None:
    if isinstance(text, Mapping):
        return text
    try:
        parsed = json.loads(text) if isinstance(text, str) else None
    except json.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, Mapping) else None


def _encryption_of(
    bucket_policy: PolicyResource, resources: Sequence[PolicyResource]
) -> list[PolicyResource]:
    """The encryption configurations of the bucket ``bucket_policy`` is attached to."""
    buckets = {b.urn for b in linked(bucket_policy, "bucket", BUCKET_TYPES)}
    name = known_str(read(bucket_policy.props, "bucket"))
    return [
        r
        for r in resources
        if r.resource_type == ENCRYPTION
        and (
            {b.urn for b in linked(r, "bucket", BUCKET_TYPES)} & buckets
            or (name is not None and known_str(read(r.props, "bucket")) == name)
        )
    ]


def _default_key(encryption: PolicyResource) -> tuple[Any, Any]:
    """The default encryption's algorithm and key id (``UNKNOWN`` while unknown)."""
    rules = read(encryption.props, "rules")
    if rules is UNKNOWN:
        return UNKNOWN, UNKNOWN
    for rule in as_list(rules):
        default = read(rule, "applyServerSideEncryptionByDefault") if rule is not UNKNOWN else None
        if isinstance(default, Mapping):
            return read(default, "sseAlgorithm"), read(default, "kmsMasterKeyId")
    return None, None


def _key_admits_delivery(key: PolicyResource) -> Any:
    """Whether ``key``'s policy lets the log-delivery service generate data keys."""
    document = _document(read(key.props, "policy"))
    if document is None:
        return UNKNOWN
    for statement in _delivery_statements(document):
        actions = [a.lower() for a in as_list(statement.get("Action"))]
        if any(a in ("kms:generatedatakey*", "kms:generatedatakey", "kms:*", "*") for a in actions):
            return True
    return False


def check(resources: Sequence[PolicyResource], config: Mapping[str, Any]) -> Findings:
    """Report unsafe or unusable log-delivery access on each bucket that admits it."""
    findings = Findings()
    for bucket_policy in (r for r in resources if r.resource_type == BUCKET_POLICY):
        text = read(bucket_policy.props, "policy")
        if text is UNKNOWN:
            findings.unresolved.append(
                checked_when_known(f"Bucket policy '{bucket_policy.name}'", NAME, bucket_policy.urn)
            )
            continue
        document = _document(text)
        delivery = _delivery_statements(document) if document is not None else []
        if not delivery:
            continue
        for statement in delivery:
            keys = _condition_keys(statement)
            missing = [k for k in ("aws:SourceAccount", "aws:SourceArn") if k.lower() not in keys]
            if _writes(statement) and missing:
                findings.violations.append(
                    Finding(
                        f"Bucket policy '{bucket_policy.name}' lets {LOG_DELIVERY} write "
                        f"(statement {statement.get('Sid', '(no Sid)')!r}) without "
                        f"{' or '.join(missing)}; any account's deliveries could land there. "
                        "Add StringEquals aws:SourceAccount (the accounts) and ArnLike "
                        "aws:SourceArn (arn:<partition>:logs:*:<account>:*).",
                        bucket_policy.urn,
                    )
                )
        accounts = {
            v
            for s in delivery
            for v in _condition_keys(s).get("aws:sourceaccount", [])
            if isinstance(v, str)
        }
        if len(accounts) > 1:
            findings.violations += _key_findings(bucket_policy, resources, findings)
    return findings


def _key_findings(
    bucket_policy: PolicyResource, resources: Sequence[PolicyResource], findings: Findings
) -> list[Finding]:
    """What is wrong with the default encryption of a bucket that admits several accounts."""
    violations = []
    for encryption in _encryption_of(bucket_policy, resources):
        algorithm, key_id = _default_key(encryption)
        if algorithm is UNKNOWN:
            findings.unresolved.append(
                checked_when_known(f"Encryption '{encryption.name}'", NAME, encryption.urn)
            )
            continue
        if algorithm not in ("aws:kms", "aws:kms:dsse"):
            continue
        if key_id is None or (isinstance(key_id, str) and key_id.endswith("alias/aws/s3")):
            violations.append(
                Finding(
                    f"Bucket '{read(encryption.props, 'bucket')}' admits several accounts' flow "
                    "logs but is encrypted with the AWS-managed aws/s3 key, which cannot be used "
                    "across accounts: delivery fails. Use a customer-managed key whose policy "
                    f"admits {LOG_DELIVERY}, or SSE-S3.",
                    encryption.urn,
                )
            )
            continue
        for key in linked(encryption, "rules", KEY_TYPES):
            admits = _key_admits_delivery(key)
            if admits is UNKNOWN:
                findings.unresolved.append(
                    checked_when_known(f"Key '{key.name}' policy", NAME, key.urn)
                )
            elif not admits:
                violations.append(
                    Finding(
                        f"Key '{key.name}' encrypts a bucket that admits flow-log delivery, but "
                        f"its policy does not let {LOG_DELIVERY} use it: the flow logs stay "
                        'ACTIVE while delivery fails ("Access error"). Allow it kms:Encrypt, '
                        "kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey* and kms:DescribeKey "
                        "under aws:SourceAccount and aws:SourceArn.",
                        key.urn,
                    )
                )
    return violations


policy: Final = StackValidationPolicy(
    name=NAME,
    description=(
        "A bucket that admits flow-log delivery conditions it on aws:SourceAccount and "
        "aws:SourceArn, and, when it admits several accounts, is encrypted with a key the "
        "log-delivery service may use (never the AWS-managed aws/s3 key)."
    ),
    validate=stack_validation(check, DEFAULTS),
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    tags=["logging", "cross-account", "encryption"],
    remediation_steps=(
        "In the bucket policy's log-delivery statements, add StringEquals aws:SourceAccount "
        "(the accounts delivering) and ArnLike aws:SourceArn (arn:<partition>:logs:*:<account>:*). "
        "Encrypt a bucket that receives other accounts' flow logs with SSE-S3 or a "
        "customer-managed key whose policy allows delivery.logs.amazonaws.com kms:Encrypt, "
        "kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey* and kms:DescribeKey under the same "
        "conditions. The archive's bucket (archiveAccounts) is built this way."
    ),
)
"""The policy object ``__main__.py`` puts in the pack."""
