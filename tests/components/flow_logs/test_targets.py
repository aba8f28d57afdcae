"""Flow-log targets: id formats by kind, and each kind's flow-log arguments."""

from __future__ import annotations

import pytest

from components.flow_logs.settings import FlowLogOptions, TrafficType
from components.flow_logs.targets import (
    ENI,
    SUBNET,
    TARGET_KINDS,
    TRANSIT_GATEWAY,
    TRANSIT_GATEWAY_ATTACHMENT,
    VPC,
    FlowLogTargets,
    TargetKind,
    flow_log_target_args,
)


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        (VPC, "vpc-0a1b2c3d", "vpc-0A1B2C3D"),
        (SUBNET, "subnet-0123456789abcdef0", "subnet-0123"),
        (ENI, "eni-0a1b2c3d", "eni-"),
        (TRANSIT_GATEWAY, "tgw-0a1b2c3d", "tgw-attach-0a1b2c3d"),
        (TRANSIT_GATEWAY_ATTACHMENT, "tgw-attach-0a1b2c3d", "tgw-0a1b2c3d"),
    ],
)
def test_each_kind_accepts_its_own_ids_only(kind: TargetKind, good: str, bad: str) -> None:
    assert kind.id_problems([good]) == []
    assert len(kind.id_problems([bad])) == 1


def test_kinds_are_listed_vpcs_first_with_distinct_keys() -> None:
    assert TARGET_KINDS[0] is VPC
    assert len({k.config_key for k in TARGET_KINDS}) == len({k.field for k in TARGET_KINDS}) == 5


def test_vpc_subnet_and_eni_flow_logs_take_the_options() -> None:
    options = FlowLogOptions(
        traffic_type=TrafficType.ACCEPT, max_aggregation_interval=600, log_format=("version",)
    )

    assert flow_log_target_args(SUBNET, "subnet-0a1b2c3d", options) == {
        "subnet_id": "subnet-0a1b2c3d",
        "traffic_type": "ACCEPT",
        "max_aggregation_interval": 600,
        "log_format": "${version}",
    }
    assert flow_log_target_args(VPC, "vpc-0a1b2c3d", FlowLogOptions())["log_format"] is None


def test_transit_gateway_flow_logs_take_60_s_and_nothing_else() -> None:
    options = FlowLogOptions(traffic_type=TrafficType.REJECT, max_aggregation_interval=600)

    kinds = (
        (TRANSIT_GATEWAY, "transit_gateway_id"),
        (TRANSIT_GATEWAY_ATTACHMENT, "transit_gateway_attachment_id"),
    )
    for kind, arg in kinds:
        assert flow_log_target_args(kind, "tgw-x", options) == {
            arg: "tgw-x",
            "max_aggregation_interval": 60,
        }


def test_targets_key_each_kind_by_its_ids_and_leave_out_empty_kinds() -> None:
    targets = FlowLogTargets(vpc_ids=("vpc-0a1b2c3d",), eni_ids=("eni-0a1b2c3d", "eni-1a1b2c3d"))

    assert targets.keyed() == {
        "vpc_ids": {"vpc-0a1b2c3d": "vpc-0a1b2c3d"},
        "eni_ids": {"eni-0a1b2c3d": "eni-0a1b2c3d", "eni-1a1b2c3d": "eni-1a1b2c3d"},
    }
    assert targets
    assert not FlowLogTargets()
