"""A deployed stack's outputs: read from ``pulumi stack output`` or a file holding its JSON, and
sorted into what each check needs.

Flow-log ids are collected from every output whose name ends in ``FlowLogIds`` (or is
``flowLogIds``), list or map, at the top level and under each ``regions.<region>`` entry, and log
groups from ``logGroupName`` and every name ending in ``LogGroupName``: outputs added for new
kinds of target are checked without a change here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

PULUMI_TIMEOUT = 120
"""Seconds ``pulumi stack output`` may take (a remote backend answers in a few)."""


class OutputsError(Exception):
    """Outputs that cannot be read, or lack what the checks need. The message names where they
    came from."""


@dataclass(frozen=True)
class FlowLogRef:
    """A flow log the outputs name."""

    id: str
    keys: tuple[str, ...]
    """The outputs naming it, such as ``flowLogIds`` or ``regions.us-east-1.flowLogIds``."""
    target: str | None = None
    """The VPC, subnet, interface or transit gateway it logs, when a map output says."""
    region: str | None = None
    """Its region, when a ``regions.<region>`` output lists it."""
    to_s3: bool = False
    """Whether the outputs name it as an S3 flow log (an output name starting with ``s3``)."""
    to_firehose: bool = False
    """Whether the outputs name it as a Firehose flow log (a name starting with ``firehose``)."""


@dataclass(frozen=True)
class RegionOutputs:
    """What the outputs say about one covered region."""

    name: str
    log_groups: tuple[str, ...] = ()
    kms_key_arn: str | None = None
    alarm_names: tuple[str, ...] = ()
    alarm_topic_arn: str | None = None
    drift_repair_rule_name: str | None = None


@dataclass(frozen=True)
class StackOutputs:
    """The outputs, sorted by what the checks need."""

    source: str
    """Where they came from, for messages: a file's path or ``pulumi stack output``."""
    regions: Mapping[str, RegionOutputs]
    flow_logs: tuple[FlowLogRef, ...]
    bucket_name: str | None = None
    organization_rule_arn: str | None = None
    """The organisation telemetry rule (``organizationRuleArn``), with ``organizationWide``."""
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def centralizes(self) -> bool:
        """Whether the stack centralizes the organisation's flow logs (``centralizeLogs``)."""
        return bool(self.raw.get("centralizationRuleArn"))


def read_outputs_file(path: Path, home_region: str) -> StackOutputs:
    """Outputs from a file holding ``pulumi stack output --json``'s JSON."""
    try:
        text = path.read_text()
    except OSError as error:
        raise OutputsError(f"{path}: cannot be read ({error.strerror or error}).") from error
    return parse_outputs(text, str(path), home_region)


def read_outputs_from_pulumi(stack: str, home_region: str) -> StackOutputs:
    """Outputs from ``pulumi stack output --json --show-secrets --stack <stack>``."""
    source = f"`pulumi stack output --stack {stack}`"
    if shutil.which("pulumi") is None:
        raise OutputsError(
            f"{source}: the Pulumi CLI is not installed; install it, or give the outputs' JSON "
            "with --outputs FILE."
        )
    try:
        done = subprocess.run(
            ["pulumi", "stack", "output", "--json", "--show-secrets", "--stack", stack],
            capture_output=True,
            text=True,
            timeout=PULUMI_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise OutputsError(f"{source}: no answer in {PULUMI_TIMEOUT} s.") from error
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise OutputsError(f"{source} failed: {reason}")
    return parse_outputs(done.stdout, source, home_region)


def parse_outputs(text: str, source: str, home_region: str) -> StackOutputs:
    """Sort outputs' JSON. Raises ``OutputsError`` naming ``source`` when the text is not JSON,
    is not the outputs of this program, or names no flow log.

    Top-level outputs that are the stack's own region's (``logGroupName``, ``kmsKeyArn``,
    ``alarmTopicArn``, ``driftRepairRuleName``) count for ``home_region``.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise OutputsError(f"{source}: is not JSON ({error}).") from error
    if not isinstance(data, dict):
        raise OutputsError(f"{source}: is not a JSON object of outputs.")
    regions_output = data.get("regions")
    if not isinstance(regions_output, dict) or not regions_output:
        raise OutputsError(
            f"{source}: has no 'regions' output; these are not the outputs of this program, or "
            "the stack was deployed by an older version (run ./up.sh again)."
        )

    flow_logs: dict[str, FlowLogRef] = {}
    _collect_flow_logs(data, "", None, flow_logs, source)
    regions: dict[str, RegionOutputs] = {}
    for name, values in regions_output.items():
        if not isinstance(values, dict):
            raise OutputsError(f"{source}: regions.{name} is not an object.")
        _collect_flow_logs(values, f"regions.{name}.", name, flow_logs, source)
        regions[name] = _region_outputs(name, values, source)
    # A stack that centralizes, or an archive, may log nothing of its own: verify/centralization.py
    # checks the central group, verify/archive.py the archive's bucket.
    if not flow_logs and not data.get("centralizationRuleArn") and not data.get("archiveAccounts"):
        raise OutputsError(
            f"{source}: names no flow log (no flowLogIds, s3FlowLogIds or other *FlowLogIds "
            "output); is the stack deployed?"
        )
    if home_region in regions:
        regions[home_region] = _with_top_level(regions[home_region], data, source)

    bucket = data.get("bucketName")
    return StackOutputs(
        source=source,
        regions=regions,
        flow_logs=tuple(flow_logs.values()),
        bucket_name=bucket if isinstance(bucket, str) and bucket else None,
        organization_rule_arn=_string(data, "organizationRuleArn", f"{source}: "),
        raw=data,
    )


def is_flow_log_ids_key(key: str) -> bool:
    """Whether an output names flow logs: ``flowLogIds`` or any name ending in ``FlowLogIds``."""
    return key == "flowLogIds" or key.endswith("FlowLogIds")


CENTRAL_LOG_GROUP_KEY = "centralLogGroupName"
"""The central group is checked by verify/centralization.py, with its own key and records."""


def is_log_group_key(key: str) -> bool:
    """Whether an output names a flow-log group: ``logGroupName`` or a name ending in
    ``LogGroupName``, except the central group."""
    return key != CENTRAL_LOG_GROUP_KEY and (key == "logGroupName" or key.endswith("LogGroupName"))


def _collect_flow_logs(
    values: Mapping[str, Any],
    path: str,
    region: str | None,
    found: dict[str, FlowLogRef],
    source: str,
) -> None:
    for key, value in values.items():
        if not is_flow_log_ids_key(key) or value is None:
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            pairs: list[tuple[str | None, str]] = [(None, v) for v in value]
        elif isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            pairs = list(value.items())
        else:
            raise OutputsError(
                f"{source}: {path}{key} is neither a list of flow-log ids nor a map of them."
            )
        for target, flow_log_id in pairs:
            known = found.get(flow_log_id)
            ref = known or FlowLogRef(flow_log_id, ())
            found[flow_log_id] = replace(
                ref,
                keys=(*ref.keys, f"{path}{key}"),
                target=ref.target or target,
                region=ref.region or region,
                to_s3=ref.to_s3 or key.startswith("s3"),
                to_firehose=ref.to_firehose or key.startswith("firehose"),
            )


def _string(values: Mapping[str, Any], key: str, where: str) -> str | None:
    value = values.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise OutputsError(f"{where}{key} is not a string.")
    return value


def _strings(values: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = values.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise OutputsError(f"{where}{key} is not a list of strings.")
    return tuple(value)


def _log_groups(values: Mapping[str, Any], where: str) -> tuple[str, ...]:
    names = [_string(values, key, where) for key in values if is_log_group_key(key)]
    return tuple(dict.fromkeys(name for name in names if name))


def _region_outputs(name: str, values: Mapping[str, Any], source: str) -> RegionOutputs:
    where = f"{source}: regions.{name}."
    return RegionOutputs(
        name=name,
        log_groups=_log_groups(values, where),
        kms_key_arn=_string(values, "kmsKeyArn", where),
        alarm_names=_strings(values, "alarmNames", where),
        alarm_topic_arn=_string(values, "alarmTopicArn", where),
        drift_repair_rule_name=_string(values, "driftRepairRuleName", where),
    )


def _with_top_level(home: RegionOutputs, data: Mapping[str, Any], source: str) -> RegionOutputs:
    """The home region's outputs, completed by the top-level ones that are the home region's."""
    where = f"{source}: "
    return replace(
        home,
        log_groups=tuple(dict.fromkeys((*home.log_groups, *_log_groups(data, where)))),
        kms_key_arn=home.kms_key_arn or _string(data, "kmsKeyArn", where),
        alarm_topic_arn=home.alarm_topic_arn or _string(data, "alarmTopicArn", where),
        drift_repair_rule_name=home.drift_repair_rule_name
        or _string(data, "driftRepairRuleName", where),
    )
