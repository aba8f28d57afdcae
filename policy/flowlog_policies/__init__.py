"""The vpc-flow-logs policies, one module per policy, plus what they share: ``graph`` (reading
properties and following links), ``destinations`` (the log groups and buckets flow logs deliver
to) and ``scaffolding`` (findings, the validate functions, config-schema pieces).

``POLICIES`` is the pack's list, in the order the CLI shows them.
"""

from __future__ import annotations

from typing import Final

from pulumi_policy import Policy

from . import (
    aggregation_interval,
    archive_access,
    checks_resolvable,
    flow_logs_required,
    log_group_encrypted,
    log_retention,
    monitored,
    role_least_privilege,
    transit_gateway_flow_logs_required,
)

POLICIES: Final[list[Policy]] = [
    flow_logs_required.policy,
    checks_resolvable.policy,
    aggregation_interval.policy,
    log_retention.policy,
    role_least_privilege.policy,
    log_group_encrypted.policy,
    monitored.policy,
    transit_gateway_flow_logs_required.policy,
    archive_access.policy,
]
"""Every policy of the pack."""
