"""Which VPCs to log: the selection settings, their config keys, and resolving them to ids.

The selection is pure data, validated before anything is registered; resolving it asks the AWS
provider, synchronously, so a selection that matches nothing fails before any resource exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.config import (
    Decoder,
    SettingsError,
    as_bool,
    as_string,
    as_string_list,
    given,
)
from components.flow_logs.targets import VPC


@dataclass(frozen=True)
class VpcIds:
    """Log exactly these VPCs."""

    ids: tuple[str, ...]


@dataclass(frozen=True)
class VpcName:
    """Log the one VPC in the region whose Name tag is ``name``."""

    name: str


@dataclass(frozen=True)
class AllVpcs:
    """Log every VPC in each covered region."""


@dataclass(frozen=True)
class DefaultVpc:
    """Log the region's default VPC; the selection when no other is set."""


@dataclass(frozen=True)
class NoVpcs:
    """Log no VPC: only subnets, network interfaces or transit gateways are selected."""


VpcSelection = VpcIds | VpcName | AllVpcs | DefaultVpc | NoVpcs


CONFIG_KEYS: Mapping[str, Decoder] = {
    "vpcIds": as_string_list,
    "vpcName": as_string,
    "allVpcs": as_bool,
}
"""The config keys that select VPCs, with their decoders."""


def selection_from_config(
    decoded: Mapping[str, object], *, other_targets: bool = False, serves_organization: bool = False
) -> tuple[VpcSelection | None, list[str]]:
    """The VPC selection from decoded config values, or the problems with them.

    With no VPC key set, the region's default VPC is logged, unless ``other_targets`` says that
    subnets, network interfaces or transit gateways are selected, or ``serves_organization``
    that the stack rolls flow logs out to the organisation or centralizes them (its management
    account may have no default VPC): then no VPC is.
    """
    vpc_ids = given(decoded, "vpcIds")
    vpc_name = given(decoded, "vpcName")
    all_vpcs = given(decoded, "allVpcs") is True
    chosen = [
        key
        for key, is_set in (("vpcIds", vpc_ids), ("vpcName", vpc_name), ("allVpcs", all_vpcs))
        if is_set
    ]
    if len(chosen) > 1:
        return None, [
            f"vpcIds, vpcName and allVpcs are mutually exclusive, but {' and '.join(chosen)} "
            "are all set; set at most one (none means the region's default VPC)."
            if len(chosen) == 3
            else f"vpcIds, vpcName and allVpcs are mutually exclusive, but {chosen[0]} and "
            f"{chosen[1]} are both set; set at most one (none means the region's default VPC)."
        ]
    if isinstance(vpc_ids, tuple):
        return VpcIds(vpc_ids), VPC.id_problems(vpc_ids)
    if isinstance(vpc_name, str):
        return VpcName(vpc_name), []
    if all_vpcs:
        return AllVpcs(), []
    return (NoVpcs() if other_targets or serves_organization else DefaultVpc()), []


def repair_problems(
    selection: VpcSelection | None, other_targets: object, *, repair_drift: bool
) -> list[str]:
    """A stack that serves the organisation and logs nothing of its own cannot repair drift:
    repairs deliver as the stack's own flow logs do, and it has none."""
    if repair_drift and isinstance(selection, NoVpcs) and not other_targets:
        return [
            "repairDrift: with organizationWide or centralizeLogs and no target key, the stack "
            "logs no VPC of its own, so repairs have no log group or bucket to deliver to; set "
            "vpcIds, vpcName or allVpcs (or another target key), or turn repairDrift off."
        ]
    return []


def s3_delivery_problems(
    selection: VpcSelection | None, other_targets: object, destination: object, *, archive: bool
) -> list[str]:
    """A stack that serves the organisation and logs nothing of its own has no flow log to send
    to S3. An archive is the exception: its bucket is for its members' flow logs."""
    if (
        destination in ("s3", "both")
        and not archive
        and isinstance(selection, NoVpcs)
        and not other_targets
    ):
        return [
            f"destination: {destination!r} sends the stack's own flow logs to S3, but with "
            "organizationWide or centralizeLogs and no target key the stack logs no VPC of its "
            "own; set vpcIds, vpcName or allVpcs (or another target key), or leave destination "
            "at cloudwatch. For every account's flow logs in S3, see archiveAccounts."
        ]
    return []


def resolve_vpc_ids(
    selection: VpcSelection,
    region: str | None = None,
    opts: pulumi.InvokeOptions | None = None,
) -> tuple[str, ...]:
    """The ids of the VPCs ``selection`` names in ``region`` (default: the provider's), in the
    order AWS lists them.

    Lookups are synchronous, so a selection that matches nothing fails before any resource is
    registered. Messages name the region.
    """
    match selection:
        case VpcIds(ids):
            return ids
        case VpcName(name):
            found = _vpcs({"tag:Name": name}, region, opts)
            if len(found) == 1:
                return found
            where = _region(region, opts)
            if not found:
                raise SettingsError(
                    f"vpcName: no VPC in {where} has the Name tag {name!r}; check the name, "
                    "or the stack's aws:region and regions."
                )
            raise SettingsError(
                f"vpcName: {name!r} matches {len(found)} VPCs in {where} "
                f"({', '.join(found)}); name exactly one VPC in each region, or list them in "
                "vpcIds."
            )
        case AllVpcs():
            found = _vpcs({}, region, opts)
            if not found:
                raise SettingsError(
                    f"allVpcs: true, but {_region(region, opts)} has no VPCs to log."
                )
            return found
        case DefaultVpc():
            found = _vpcs({"is-default": "true"}, region, opts)
            if not found:
                raise SettingsError(
                    f"{_region(region, opts)} has no default VPC, and no VPC selection is set; "
                    "set one of vpcIds, vpcName or allVpcs."
                )
            return found
        case NoVpcs():
            return ()
    raise TypeError(f"unknown VPC selection {selection!r}")  # pragma: no cover


def _vpcs(
    filters: dict[str, str], region: str | None, opts: pulumi.InvokeOptions | None
) -> tuple[str, ...]:
    result = aws.ec2.get_vpcs(
        filters=[{"name": key, "values": [value]} for key, value in filters.items()] or None,
        region=region,
        opts=opts,
    )
    return tuple(result.ids)


def _region(region: str | None, opts: pulumi.InvokeOptions | None) -> str:
    return region or aws.get_region(opts=opts).region
