"""Real programs under mocks, turned into the engine's requests and sent to the pack.

This project's own stacks must pass their environment's policy config; the example program with
a bare VPC must be blocked, and pass once the VpcFlowLogs component is attached, in a preview (ids
unknown) and in an update (ids known).
"""

from __future__ import annotations

import pytest

from offline.analyzer import (
    UNKNOWN,
    Diagnostic,
    PolicyPackProcess,
    engine_urn,
    from_recorded,
    load_policy_pack_config,
)
from offline.mocks import ProgramRun, run_program
from tests.policy.conftest import CONFIG_DIR, ROOT
from tests.support.program import PROJECT, fake_account, run_stack, run_stack_file

EXAMPLE_DIR = ROOT / "examples" / "unprotected_vpc"
EXAMPLE = "unprotected-vpc"


def analyze_program(
    pack: PolicyPackProcess, run: ProgramRun, *, project: str, stack: str
) -> list[Diagnostic]:
    """Send the run as the engine would: Analyze per resource (inputs), then AnalyzeStack."""
    diagnostics: list[Diagnostic] = []
    for resource in from_recorded(run.resources, project=project, stack=stack, properties="inputs"):
        diagnostics.extend(pack.analyze(resource))
    diagnostics.extend(
        pack.analyze_stack(from_recorded(run.resources, project=project, stack=stack))
    )
    return diagnostics


def run_example(*, attach: bool, preview: bool) -> ProgramRun:
    config = {f"{EXAMPLE}:attachFlowLogs": "true" if attach else "false"}
    return run_program(
        EXAMPLE_DIR, config, fake_account(), project=EXAMPLE, stack="dev", preview=preview
    )


@pytest.mark.parametrize("stack", ["dev", "prod"])
@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_this_projects_stacks_pass_their_config(
    pack: PolicyPackProcess, stack: str, preview: bool
) -> None:
    run = run_stack_file(stack, preview=preview)
    assert run.of_type("aws:ec2/flowLog:FlowLog"), "the stack made no flow log to check"
    pack.configure(load_policy_pack_config(CONFIG_DIR / f"{stack}.json"))
    diagnostics = analyze_program(pack, run, project=PROJECT, stack=stack)
    assert [d for d in diagnostics if d.enforcement_level == "mandatory"] == []
    # dev keeps its logs unencrypted (an advisory there). The delivery policy names the log group
    # by a derived ARN, so even a preview leaves nothing for the pack to defer.
    # dev keeps alarms off, as the workshop does: the monitored policy is an advisory there.
    expected = (
        {"vpc-flow-log-group-encrypted", "vpc-flow-log-monitored"} if stack == "dev" else set()
    )
    assert {d.policy_name for d in diagnostics} == expected


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_example_without_flow_logs_is_blocked(pack: PolicyPackProcess, preview: bool) -> None:
    run = run_example(attach=False, preview=preview)
    assert [r.type for r in run.resources] == ["aws:ec2/vpc:Vpc"]
    diagnostics = analyze_program(pack, run, project=EXAMPLE, stack="dev")
    assert [(d.policy_name, d.urn, d.enforcement_level) for d in diagnostics] == [
        (
            "vpc-flow-logs-required",
            engine_urn("aws:ec2/vpc:Vpc", "main", project=EXAMPLE),
            "mandatory",
        )
    ]


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_example_with_vpc_flow_logs_passes(pack: PolicyPackProcess, preview: bool) -> None:
    run = run_example(attach=True, preview=preview)
    flow_log = run.one("aws:ec2/flowLog:FlowLog")
    vpc = run.one("aws:ec2/vpc:Vpc")
    # The preview case must really be the hard one: the VPC id unknown, only the dependency left.
    assert (flow_log.inputs["vpcId"] == UNKNOWN) is preview
    assert flow_log.property_dependencies["vpcId"] == [vpc.urn]
    diagnostics = analyze_program(pack, run, project=EXAMPLE, stack="dev")
    assert [d for d in diagnostics if d.enforcement_level == "mandatory"] == []
    assert "vpc-flow-logs-required" not in {d.policy_name for d in diagnostics}


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_an_s3_only_stack_passes_the_prod_config(pack: PolicyPackProcess, preview: bool) -> None:
    run = run_stack({"allVpcs": True, "destination": "s3"}, stack="prod", preview=preview)
    assert run.of_type("aws:cloudwatch/logGroup:LogGroup") == []
    pack.configure(load_policy_pack_config(CONFIG_DIR / "prod.json"))

    diagnostics = analyze_program(pack, run, project=PROJECT, stack="prod")

    assert [(d.policy_name, d.message) for d in diagnostics] == []


def test_an_s3_stack_whose_lifecycle_keeps_logs_too_briefly_is_blocked(
    pack: PolicyPackProcess,
) -> None:
    run = run_stack(
        {"vpcName": "ASG-VPC", "destination": "s3", "s3Transitions": {}, "s3ExpirationDays": 30},
        stack="prod",
    )
    pack.configure(load_policy_pack_config(CONFIG_DIR / "prod.json"))

    diagnostics = analyze_program(pack, run, project=PROJECT, stack="prod")

    assert [(d.policy_name, d.enforcement_level) for d in diagnostics] == [
        ("vpc-flow-log-retention", "mandatory")
    ]
    assert "after 30 days; this policy requires between 365 and 3653" in diagnostics[0].message
