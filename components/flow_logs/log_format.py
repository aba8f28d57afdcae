"""Flow-log record fields, and rendering a chosen list of them into AWS's custom-format string."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

FIELD_VERSIONS: Mapping[str, int] = {
    **dict.fromkeys(
        (
            "version account-id interface-id srcaddr dstaddr srcport dstport protocol "
            "packets bytes start end action log-status"
        ).split(),
        2,
    ),
    **dict.fromkeys(
        "vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr".split(), 3
    ),
    **dict.fromkeys("region az-id sublocation-type sublocation-id".split(), 4),
    **dict.fromkeys(
        "pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path".split(), 5
    ),
    **dict.fromkeys(
        (
            "ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn "
            "ecs-container-instance-id ecs-container-id ecs-second-container-id "
            "ecs-service-name ecs-task-definition-arn ecs-task-arn ecs-task-id"
        ).split(),
        7,
    ),
    "reject-reason": 8,
    "resource-id": 8,
    "encryption-status": 8,
}
"""Every field a VPC-level flow log can record, with the format version that introduced it.

Version 6 is absent on purpose: its fields exist only for transit-gateway flow logs."""

DEFAULT_FIELDS: tuple[str, ...] = tuple(f for f, v in FIELD_VERSIONS.items() if v == 2)
"""The fields, in order, of AWS's default (version 2) format."""


def render_log_format(fields: Sequence[str]) -> str:
    """Render field names into AWS's custom-format string, ``${field} ${field} ...``.

    The ``$${...}`` spelling in the provider's examples is HCL escaping; in Python a single
    ``$`` is what AWS expects. Fields are assumed valid (see ``settings.validate_log_format``).
    """
    return " ".join(f"${{{field}}}" for field in fields)
