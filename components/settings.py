"""The stack's whole configuration: every capability's config keys, decoded and validated at once.

Each capability declares its keys, decoders and validation in its own module; this one composes
them, so a stack with several bad values hears of all of them in one ``pulumi preview``, before
the program registers anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

import pulumi

from components import flow_log_settings, storage_settings, vpc_lookup
from components.config import CONFIG_NAMESPACE, Decoder, TypeProblem, choices, raise_if
from components.flow_log_settings import FlowLogOptions
from components.storage_settings import StorageSettings
from components.vpc_lookup import VpcSelection


@dataclass(frozen=True)
class Settings:
    """A stack's whole configuration: which VPCs, and how their flow logs are recorded."""

    selection: VpcSelection
    options: FlowLogOptions
    storage: StorageSettings = field(default_factory=StorageSettings)
    """Where flow logs go, and how the S3 copy is kept and queried."""


CONFIG_KEYS: Mapping[str, Decoder] = {
    **vpc_lookup.CONFIG_KEYS,
    **flow_log_settings.CONFIG_KEYS,
    **storage_settings.CONFIG_KEYS,
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
    storage, storage_problems = storage_settings.storage_from_config(decoded)
    raise_if(selection_problems + options_problems + storage_problems)
    return Settings(
        selection=cast(VpcSelection, selection),
        options=cast(FlowLogOptions, options),
        storage=cast(StorageSettings, storage),
    )


def load_settings(config: pulumi.Config | None = None) -> Settings:
    """Read and validate this program's settings from the stack's config."""
    config = config or pulumi.Config(CONFIG_NAMESPACE)
    raw = {key: value for key in CONFIG_KEYS if (value := config.get(key)) is not None}
    return parse_settings(raw)
