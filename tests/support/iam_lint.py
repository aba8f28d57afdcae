"""Parliament's offline lint of IAM and KMS documents, with its community auditors switched on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import parliament


def parliament_findings(document: dict[str, Any]) -> list[Any]:
    """Parliament's findings on ``document``: each has ``issue``, ``detail`` and ``location``.

    The community auditors' config is loaded first: parliament asks for them by name, and
    without their config they are silently skipped."""
    override = Path(parliament.__file__).parent / "community_auditors" / "config_override.yaml"
    parliament.override_config(str(override))
    policy = parliament.analyze_policy_string(
        json.dumps(document), include_community_auditors=True, config=parliament.config
    )
    return list(policy.findings)


def lint(document: dict[str, Any]) -> list[tuple[str, object]]:
    """Parliament's findings on ``document`` as (issue, detail) pairs."""
    return [(finding.issue, finding.detail) for finding in parliament_findings(document)]
