"""A pack whose stack policies do nothing: the floor for bench/policy_bench.py.

pulumi_policy deserialises every resource once per enabled stack policy before calling it, so the
baseline has ``NOOP_STACK_POLICIES`` of them (default 1) to match the shape of the pack it is
compared with.
"""

import os

from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)


def nothing(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Look at nothing and report nothing."""


PolicyPack(
    name="noop",
    policies=[
        StackValidationPolicy(
            name=f"noop-{index}",
            description="Does nothing.",
            validate=nothing,
            enforcement_level=EnforcementLevel.MANDATORY,
        )
        for index in range(int(os.environ.get("NOOP_STACK_POLICIES", "1")))
    ],
)
