"""A policy pack's configuration as the CLI reconciles it, the Configure message built from it,
and the diagnostics a pack answers with."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import jsonschema
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2 as pb

from offline.analyzer_resources import to_struct

ENFORCEMENT_LEVELS: Final = ("advisory", "mandatory", "remediate", "disabled")
_LEVEL_TO_PROTO: Final = {
    "advisory": pb.ADVISORY,
    "mandatory": pb.MANDATORY,
    "remediate": pb.REMEDIATE,
    "disabled": pb.DISABLED,
}
_PROTO_TO_LEVEL: Final = {v: k for k, v in _LEVEL_TO_PROTO.items()}
_SEVERITIES: Final = {
    pb.POLICY_SEVERITY_UNSPECIFIED: "",
    pb.POLICY_SEVERITY_LOW: "low",
    pb.POLICY_SEVERITY_MEDIUM: "medium",
    pb.POLICY_SEVERITY_HIGH: "high",
    pb.POLICY_SEVERITY_CRITICAL: "critical",
}


class PolicyConfigError(ValueError):
    """A policy-pack config is invalid, in the ways the CLI's ``--policy-pack-config`` rejects."""


@dataclass(frozen=True)
class Diagnostic:
    """One policy violation as the engine receives it."""

    policy_name: str
    message: str
    """The full message: the policy's description, a newline, then the violation's own text."""
    urn: str
    enforcement_level: str
    severity: str

    @property
    def detail(self) -> str:
        """The violation's own text, without the policy description the SDK puts first."""
        return self.message.split("\n", 1)[1] if "\n" in self.message else ""

    @classmethod
    def from_proto(cls, diagnostic: pb.AnalyzeDiagnostic) -> Diagnostic:
        """Convert the protobuf message."""
        return cls(
            policy_name=diagnostic.policyName,
            message=diagnostic.message,
            urn=diagnostic.urn,
            enforcement_level=_PROTO_TO_LEVEL[diagnostic.enforcementLevel],
            severity=_SEVERITIES.get(diagnostic.severity, ""),
        )


@dataclass(frozen=True)
class PolicySettings:
    """A policy's enforcement level and properties after the CLI's reconciliation."""

    enforcement_level: str
    properties: Mapping[str, Any]


def load_policy_pack_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a ``--policy-pack-config`` JSON file."""
    with open(path, encoding="utf-8") as handle:
        config = json.load(handle)
    if not isinstance(config, dict):
        raise PolicyConfigError(f"{path}: a policy-pack config must be a JSON object")
    return config


def _integral(value: Any) -> Any:
    # protobuf Structs carry every number as a double; give whole numbers back their int form so
    # that defaults and error messages read as written (365, not 365.0).
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral(v) for v in value]
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in value.items()}
    return value


def policy_schema(policy: pb.PolicyInfo) -> dict[str, Any]:
    """Return the JSON Schema a policy's config must satisfy, as the pack reports it.

    ``additionalProperties`` is false so that a misspelt key fails instead of being ignored.
    """
    return {
        "type": "object",
        "properties": _integral(json_format.MessageToDict(policy.configSchema.properties)),
        "required": list(policy.configSchema.required),
        "additionalProperties": False,
    }


def _check_level(where: str, level: Any) -> str:
    if level not in ENFORCEMENT_LEVELS:
        raise PolicyConfigError(
            f"{where}: enforcement level {level!r} is not one of {', '.join(ENFORCEMENT_LEVELS)}"
        )
    return str(level)


def reconcile_config(
    info: pb.AnalyzerInfo, config: Mapping[str, Any] | None = None
) -> dict[str, PolicySettings]:
    """Return every policy's settings, as the CLI computes them before calling Configure.

    Start from each policy's own enforcement level and its schema's defaults, apply the pack's
    initial config, then the ``all`` key, then each policy's entry of ``config``; validate the
    result against the policy's schema.
    """
    config = dict(config or {})
    policies = {p.name: p for p in info.policies}
    unknown = sorted(set(config) - set(policies) - {"all"})
    if unknown:
        raise PolicyConfigError(
            f"policy-pack config names {', '.join(unknown)}, which pack '{info.name}' does not have"
        )
    all_level = _check_level("all", config["all"]) if "all" in config else None
    initial = {k: v for k, v in info.initialConfig.items()}

    settings: dict[str, PolicySettings] = {}
    for name, policy in policies.items():
        schema = policy_schema(policy)
        level = _PROTO_TO_LEVEL[policy.enforcementLevel]
        properties = {k: v["default"] for k, v in schema["properties"].items() if "default" in v}
        if name in initial:
            level = _PROTO_TO_LEVEL[initial[name].enforcementLevel]
            properties.update(_integral(json_format.MessageToDict(initial[name].properties)))
        if all_level is not None:
            level = all_level
        entry = config.get(name)
        if isinstance(entry, str):
            level = _check_level(name, entry)
        elif isinstance(entry, Mapping):
            overrides = dict(entry)
            if "enforcementLevel" in overrides:
                level = _check_level(name, overrides.pop("enforcementLevel"))
            properties.update(overrides)
        elif entry is not None:
            raise PolicyConfigError(f"{name}: expected an enforcement level or an object")
        try:
            jsonschema.validate(properties, schema, cls=jsonschema.Draft7Validator)
        except jsonschema.ValidationError as error:
            path = ".".join(str(p) for p in error.absolute_path)
            raise PolicyConfigError(
                f"{name}{'.' + path if path else ''}: {error.message}"
            ) from None
        settings[name] = PolicySettings(level, properties)
    return settings


def configure_request(settings: Mapping[str, PolicySettings]) -> pb.ConfigureAnalyzerRequest:
    """Return the Configure message for reconciled settings."""
    return pb.ConfigureAnalyzerRequest(
        policyConfig={
            name: pb.PolicyConfig(
                enforcementLevel=_LEVEL_TO_PROTO[s.enforcement_level],
                properties=to_struct(s.properties),
            )
            for name, s in settings.items()
        }
    )
