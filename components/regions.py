"""Several regions in one stack: the ``regions`` setting, and naming each region's resources.

One provider serves every region through pulumi-aws 7's per-resource ``region`` argument. The
stack's own region (its ``aws:region``) keeps the resource names and inputs a single-region stack
has always had, so an existing stack sees no replacement when it starts covering more regions;
every other region's resources carry the region in their names and a ``region`` input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.config import Decoder, SettingsError, as_string_list, given
from components.flow_logs.targets import TARGET_KINDS

_REGION = re.compile(
    r"[a-z]{2}(?:-gov|-iso[a-z]?)?-(?:north|south|east|west|central)"
    r"(?:east|west)?-\d{1,2}"
)


@dataclass(frozen=True)
class CoveredRegion:
    """One region the stack logs."""

    name: str
    """The region, such as ``eu-west-1``."""
    is_home: bool
    """Whether it is the stack's own region (its ``aws:region``)."""

    @property
    def override(self) -> str | None:
        """The ``region`` argument for this region's resources and lookups: none at home."""
        return None if self.is_home else self.name

    def resource_name(self, base: str) -> str:
        """A resource's logical name in this region: ``base`` at home, ``base-<region>`` away."""
        return base if self.is_home else f"{base}-{self.name}"


def region_problems(regions: Sequence[str], key: str = "regions") -> list[str]:
    """Problems with region names given as ``key``: names that are not regions, or repeated
    ones."""
    problems = []
    seen: set[str] = set()
    for region in regions:
        if not _REGION.fullmatch(region):
            problems.append(
                f"{key}: {region!r} is not an AWS region name; use names such as "
                "'us-east-1' or 'eu-west-2'."
            )
        elif region in seen:
            problems.append(f"{key}: {region!r} appears more than once; list each region once.")
        seen.add(region)
    return problems


CONFIG_KEYS: Mapping[str, Decoder] = {"regions": as_string_list}
"""The config key of the regions to cover."""


def regions_from_config(decoded: Mapping[str, object]) -> tuple[tuple[str, ...], list[str]]:
    """The regions to cover (empty: only the stack's own), and the problems with them.

    Ids are regional, so ``regions`` excludes every key that lists ids.
    """
    regions = given(decoded, "regions")
    if not isinstance(regions, tuple):
        return (), []
    problems = region_problems(regions)
    for kind in TARGET_KINDS:
        if given(decoded, kind.config_key):
            problems.append(
                f"regions and {kind.config_key} cannot be combined: ids are regional, so a list "
                "of them cannot apply in several regions; select VPCs with vpcName or allVpcs "
                "(or the default VPC), or cover one region."
            )
    return regions, problems


def covered_regions(
    regions: Sequence[str], opts: pulumi.InvokeOptions | None = None
) -> tuple[CoveredRegion, ...]:
    """The regions to cover, in the order listed, marking the stack's own.

    With none listed, that is the stack's own region alone. A list must include it: the stack's
    single-region outputs (``logGroupName``, ``logGroupArn``, ``kmsKeyArn``) are that region's.
    """
    home = aws.get_region(opts=opts).region
    if not regions:
        return (CoveredRegion(home, is_home=True),)
    if home not in regions:
        raise SettingsError(
            f"regions: {list(regions)!r} leaves out the stack's own region {home!r} "
            "(aws:region); list it too, or set aws:region to one of these regions."
        )
    return tuple(CoveredRegion(region, is_home=region == home) for region in regions)
