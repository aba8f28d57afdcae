"""The stack's outputs, gathered over the regions it covers."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain
from typing import Any

import pulumi

from components.flow_logs import VpcFlowLogs
from components.regions import CoveredRegion


def flow_log_outputs(flow_logs: Mapping[CoveredRegion, VpcFlowLogs]) -> dict[str, Any]:
    """The stack's exports for ``VpcFlowLogs`` components, one per covered region.

    ``vpcIds``, ``flowLogIds`` and ``targetFlowLogIds`` span every region, in the order the
    regions are listed; ``logGroupName``, ``logGroupArn``, ``roleArn`` and ``kmsKeyArn`` are the
    stack's own region's, as they were before the stack covered several; ``regions`` has every
    region's own.
    """
    home = next(component for region, component in flow_logs.items() if region.is_home)
    components = list(flow_logs.values())
    return {
        "vpcIds": pulumi.Output.all(*(c.vpc_ids for c in components)).apply(_concatenated),
        "flowLogIds": pulumi.Output.all(*(c.flow_log_ids for c in components)).apply(_concatenated),
        "targetFlowLogIds": pulumi.Output.all(*(c.target_flow_log_ids for c in components)).apply(
            lambda maps: dict(chain.from_iterable(m.items() for m in maps))
        ),
        "logGroupName": home.log_group_name,
        "logGroupArn": home.log_group_arn,
        "roleArn": home.role_arn,
        "kmsKeyArn": home.kms_key_arn,
        "regions": {
            region.name: {
                "vpcIds": component.vpc_ids,
                "flowLogIds": component.flow_log_ids,
                "logGroupName": component.log_group_name,
                "logGroupArn": component.log_group_arn,
                "roleArn": component.role_arn,
                "kmsKeyArn": component.kms_key_arn,
            }
            for region, component in flow_logs.items()
        },
    }


def _concatenated(lists: list[list[str]]) -> list[str]:
    return list(chain.from_iterable(lists))
