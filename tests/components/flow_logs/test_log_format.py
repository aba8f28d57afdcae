"""Log formats: the field table and the rendered custom format."""

from __future__ import annotations

from components.flow_logs.log_format import DEFAULT_FIELDS, FIELD_VERSIONS, render_log_format


def test_the_default_format_is_the_version_2_fields_in_awss_order() -> None:
    assert DEFAULT_FIELDS == (
        "version",
        "account-id",
        "interface-id",
        "srcaddr",
        "dstaddr",
        "srcport",
        "dstport",
        "protocol",
        "packets",
        "bytes",
        "start",
        "end",
        "action",
        "log-status",
    )


def test_fields_carry_the_version_that_introduced_them() -> None:
    assert FIELD_VERSIONS["tcp-flags"] == 3
    assert FIELD_VERSIONS["az-id"] == 4
    assert FIELD_VERSIONS["flow-direction"] == 5
    assert FIELD_VERSIONS["ecs-task-id"] == 7
    assert FIELD_VERSIONS["reject-reason"] == 8
    # Version 6 fields belong to transit gateways and cannot be used on a VPC.
    assert 6 not in FIELD_VERSIONS.values()


def test_rendering_uses_a_single_dollar_not_hcl_escaping() -> None:
    assert render_log_format(["version", "srcaddr", "reject-reason"]) == (
        "${version} ${srcaddr} ${reject-reason}"
    )
