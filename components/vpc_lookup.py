"""Turning a VPC selection into VPC ids, by asking the AWS provider."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.settings import (
    AllVpcs,
    DefaultVpc,
    SettingsError,
    VpcIds,
    VpcName,
    VpcSelection,
)


def resolve_vpc_ids(
    selection: VpcSelection, opts: pulumi.InvokeOptions | None = None
) -> tuple[str, ...]:
    """The ids of the VPCs ``selection`` names, in the order AWS lists them.

    Lookups are synchronous, so a selection that matches nothing fails before any resource is
    registered.
    """
    match selection:
        case VpcIds(ids):
            return ids
        case VpcName(name):
            found = _vpcs({"tag:Name": name}, opts)
            if len(found) == 1:
                return found
            region = _region(opts)
            if not found:
                raise SettingsError(
                    f"vpcName: no VPC in {region} has the Name tag {name!r}; check the name, "
                    "or the stack's aws:region."
                )
            raise SettingsError(
                f"vpcName: {name!r} matches {len(found)} VPCs in {region} "
                f"({', '.join(found)}); name exactly one VPC, or list them in vpcIds."
            )
        case AllVpcs():
            found = _vpcs({}, opts)
            if not found:
                raise SettingsError(f"allVpcs: true, but {_region(opts)} has no VPCs to log.")
            return found
        case DefaultVpc():
            found = _vpcs({"is-default": "true"}, opts)
            if not found:
                raise SettingsError(
                    f"{_region(opts)} has no default VPC, and no VPC selection is set; "
                    "set one of vpcIds, vpcName or allVpcs."
                )
            return found
    raise TypeError(f"unknown VPC selection {selection!r}")  # pragma: no cover


def _vpcs(filters: dict[str, str], opts: pulumi.InvokeOptions | None) -> tuple[str, ...]:
    result = aws.ec2.get_vpcs(
        filters=[{"name": key, "values": [value]} for key, value in filters.items()] or None,
        opts=opts,
    )
    return tuple(result.ids)


def _region(opts: pulumi.InvokeOptions | None) -> str:
    return aws.get_region(opts=opts).region
