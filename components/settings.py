"""The stack's whole configuration: every capability's config keys, decoded and validated at once.

Each capability declares its keys, decoders and validation in its own module; this one composes
them, so a stack with several bad values hears of all of them in one ``pulumi preview``, before
the program registers anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

import pulumi

from components import drift_repair_settings, flow_log_settings, organization_settings, vpc_lookup
from components.config import (
    CONFIG_NAMESPACE,
    Decoder,
    SettingsError,
    TypeProblem,
    choices,
    raise_if,
)
from components.flow_log_settings import FlowLogOptions
from components.organization_settings import OrganizationSettings
from components.vpc_lookup import VpcSelection


@dataclass(frozen=True)
class Settings:
    """A stack's whole configuration: which VPCs, and how their flow logs are recorded."""

    selection: VpcSelection
    options: FlowLogOptions
    repair_drift: bool = False
    """Repair VPCs without flow logs with AWS Config and Systems Manager (``repairDrift``)."""
    organization_wide: bool = False
    """Create the organisation's telemetry rule for VPC flow logs (``organizationWide``)."""


CONFIG_KEYS: Mapping[str, Decoder] = {
    **vpc_lookup.CONFIG_KEYS,
    **flow_log_settings.CONFIG_KEYS,
    **drift_repair_settings.CONFIG_KEYS,
    **organization_settings.CONFIG_KEYS,
}
"""Every config key this program reads, with its decoder."""


def parse_settings(raw: Mapping[str, object]) -> Settings:
    """Decode and validate config values by key, reporting every problem at once.

    ``raw`` maps config keys (without namespace) to what the CLI passes (strings, JSON for
    lists and maps) or to already-decoded values. A missing key, or an empty string, list or
    map, or ``false``, means "not set" and takes the default.
    """
    problems: list[str] = []
    decoded: dict[str, object] = {}
    for key, value in raw.items():
        decoder = CONFIG_KEYS.get(key)
        if decoder is None:
            problems.append(
                f"{key}: is not a setting of this program; the settings are "
                f"{choices(sorted(CONFIG_KEYS))}."
            )
            continue
        try:
            decoded[key] = decoder(key, value)
        except TypeProblem as problem:
            problems.append(str(problem))
    raise_if(problems)

    selection, selection_problems = vpc_lookup.selection_from_config(decoded)
    options, options_problems = flow_log_settings.options_from_config(decoded)
    repair_drift, repair_problems = drift_repair_settings.repair_drift_from_config(decoded)
    organization_wide, organization_problems = organization_settings.organization_wide_from_config(
        decoded
    )
    if organization_wide and options is not None:
        organization_problems += _organization_problems(options)
    raise_if(selection_problems + options_problems + repair_problems + organization_problems)
    return Settings(
        selection=cast(VpcSelection, selection),
        options=cast(FlowLogOptions, options),
        repair_drift=repair_drift,
        organization_wide=organization_wide,
    )


def _organization_problems(options: FlowLogOptions) -> list[str]:
    """What the telemetry rule refuses among otherwise valid options, checked before the
    program registers anything."""
    try:
        OrganizationSettings.from_options(options)
    except SettingsError as error:
        return str(error).split("\n")
    return []


def load_settings(config: pulumi.Config | None = None) -> Settings:
    """Read and validate this program's settings from the stack's config."""
    config = config or pulumi.Config(CONFIG_NAMESPACE)
    raw = {key: value for key in CONFIG_KEYS if (value := config.get(key)) is not None}
    return parse_settings(raw)
