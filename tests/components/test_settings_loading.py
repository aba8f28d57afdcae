"""Settings from the stack's config: ``load_settings`` reads every declared key through the
runtime, and refuses an undeclared key of the project's namespace however it arrives."""

from __future__ import annotations

import contextvars
import json

import pulumi
import pytest

from components.config import SettingsError
from components.settings import Settings, load_settings


def _load_in(config: dict[str, str]) -> Settings:
    """``load_settings()`` with the runtime's config set to ``config``, in a context of its own
    so that no other test sees it."""

    def load() -> Settings:
        pulumi.runtime.set_all_config(config)
        return load_settings(pulumi.Config("vpc-flow-logs"))

    return contextvars.copy_context().run(load)


def test_load_settings_refuses_an_undeclared_key_set_through_the_runtime() -> None:
    with pytest.raises(SettingsError) as error:
        _load_in({"vpc-flow-logs:retentionIndays": "14", "vpc-flow-logs:retentionInDays": "30"})

    assert str(error.value) == (
        "retentionIndays: is not a setting of this program; did you mean retentionInDays?"
    )


def test_load_settings_refuses_an_undeclared_key_the_cli_hands_over_in_pulumi_config(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The language host passes the stack's config in PULUMI_CONFIG, not through set_all_config.
    monkeypatch.setenv(
        "PULUMI_CONFIG",
        json.dumps({"vpc-flow-logs:alarm": "true", "aws:region": "us-east-1"}),
    )

    with pytest.raises(SettingsError) as error:
        _load_in({})

    assert str(error.value) == "alarm: is not a setting of this program; did you mean alarms?"


def test_load_settings_reads_declared_keys_and_leaves_other_namespaces_alone() -> None:
    settings = _load_in(
        {
            "vpc-flow-logs:retentionInDays": "30",
            "aws:region": "us-east-1",
            "aws:regoin": "us-east-1",
            "vpc-flow-logs-other:alarm": "true",
        }
    )

    assert settings.options.retention_in_days == 30
