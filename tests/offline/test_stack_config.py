"""Resolving a stack's config the way the CLI does."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline.stack_config import StackConfigError, load_stack_config, resolve_config

PROJECT_YAML = """\
name: demo
runtime: python
config:
  name:
    type: string
    default: ""
  count:
    type: integer
    default: 2
  enabled:
    type: boolean
    default: false
  ids:
    type: array
    items:
      type: string
    default: []
  tags:
    type: object
    default: {}
  required:
    type: string
  aws:region:
    value: us-west-2
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "Pulumi.yaml").write_text(PROJECT_YAML)
    return tmp_path


def test_stack_values_override_defaults_and_reach_the_program_as_strings(project: Path) -> None:
    config = resolve_config(
        project,
        "dev",
        {"required": "x", "count": 5, "enabled": True, "ids": ["a"], "tags": {"k": "v"}},
    )

    assert config.values == {
        "demo:name": "",
        "demo:count": "5",
        "demo:enabled": "true",
        "demo:ids": '["a"]',
        "demo:tags": '{"k": "v"}',
        "demo:required": "x",
        "aws:region": "us-west-2",
    }


def test_a_stack_file_can_name_keys_with_or_without_the_namespace(project: Path) -> None:
    (project / "Pulumi.dev.yaml").write_text(
        "config:\n  demo:required: a\n  name: b\n  aws:region: eu-west-1\n"
    )

    config = load_stack_config(project, "dev")

    assert config.get("demo:required") == "a"
    assert config.get("demo:name") == "b"
    assert config.get("aws:region") == "eu-west-1"


def test_values_are_as_lenient_as_the_cli(project: Path) -> None:
    config = resolve_config(project, "dev", {"required": "x", "count": "7", "enabled": "true"})

    assert config.get("demo:count") == "7"
    assert config.get("demo:enabled") == "true"


def test_a_default_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text(
        "name: demo\nruntime: python\nconfig:\n  count:\n    type: integer\n    default: many\n"
    )

    with pytest.raises(StackConfigError) as error:
        resolve_config(tmp_path, "dev", {})

    assert str(error.value) == (
        "The default value specified for configuration key 'count' is not of the expected "
        "type 'integer'"
    )


def test_a_declared_key_without_default_is_required(project: Path) -> None:
    with pytest.raises(StackConfigError) as error:
        resolve_config(project, "dev", {})

    assert str(error.value) == "Stack 'dev' is missing configuration value 'demo:required'"


@pytest.mark.parametrize(
    ("key", "value", "declared"),
    [
        ("count", "five", "integer"),
        ("count", 2.5, "integer"),
        ("count", True, "integer"),
        ("enabled", "yes", "boolean"),
        ("ids", "a", "array"),
        ("ids", ["a", 1], "array"),
        ("tags", ["a"], "object"),
        ("name", 3, "string"),
    ],
)
def test_stack_values_are_checked_against_the_declared_type(
    project: Path, key: str, value: object, declared: str
) -> None:
    with pytest.raises(StackConfigError) as error:
        resolve_config(project, "dev", {"required": "x", key: value})

    assert str(error.value) == (
        f"Stack 'dev': config value demo:{key} ({value!r}) is not of declared type {declared}"
    )


def test_secrets_cannot_be_read_without_the_cli(project: Path) -> None:
    with pytest.raises(StackConfigError, match="demo:token is a secret"):
        resolve_config(project, "dev", {"required": "x", "token": {"secure": "AAEA"}})


def test_a_missing_stack_file_is_an_error(project: Path) -> None:
    with pytest.raises(StackConfigError, match=r"no stack file Pulumi\.qa\.yaml"):
        load_stack_config(project, "qa")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "config:\n  demo:required: x\n  demo:name: a: b\n",
            "Pulumi.dev.yaml is not valid YAML: line 3, column 15: mapping values are not "
            "allowed here",
        ),
        (
            "config:\n  demo:ids: [a, b\n",
            "Pulumi.dev.yaml is not valid YAML: line 3, column 1: expected ',' or ']', but got "
            "'<stream end>'",
        ),
        (
            "config:\n\tdemo:required: x\n",
            "Pulumi.dev.yaml is not valid YAML: line 2, column 1: found character '\\t' that "
            "cannot start any token",
        ),
    ],
)
def test_a_stack_file_that_is_not_yaml_is_one_line_naming_the_file(
    project: Path, text: str, message: str
) -> None:
    (project / "Pulumi.dev.yaml").write_text(text)

    with pytest.raises(StackConfigError) as error:
        load_stack_config(project, "dev")

    assert str(error.value) == message


def test_a_project_file_that_is_not_yaml_is_named_too(project: Path) -> None:
    (project / "Pulumi.yaml").write_text("name: demo\nruntime: [python\n")
    (project / "Pulumi.dev.yaml").write_text("config: {}\n")

    with pytest.raises(StackConfigError) as error:
        load_stack_config(project, "dev")

    assert str(error.value) == (
        "Pulumi.yaml is not valid YAML: line 3, column 1: expected ',' or ']', but got "
        "'<stream end>'"
    )


@pytest.mark.parametrize("text", ["- a\n- b\n", "config: [a, b]\n", "config: text\n"])
def test_a_stack_file_without_a_mapping_of_config_is_refused(project: Path, text: str) -> None:
    (project / "Pulumi.dev.yaml").write_text(text)

    with pytest.raises(StackConfigError) as error:
        load_stack_config(project, "dev")

    assert str(error.value) == "Pulumi.dev.yaml: config: must map keys to values"


def test_an_empty_stack_file_sets_nothing(project: Path) -> None:
    (project / "Pulumi.dev.yaml").write_text("# nothing yet\n")

    with pytest.raises(StackConfigError) as error:
        load_stack_config(project, "dev")

    # Only the project's own requirement is missing: the file itself was read.
    assert str(error.value) == "Stack 'dev' is missing configuration value 'demo:required'"


def test_undeclared_keys_reach_the_program_for_it_to_refuse(project: Path) -> None:
    # The CLI does not refuse a key Pulumi.yaml does not declare; neither does this module.
    config = resolve_config(project, "dev", {"required": "x", "nmae": "y"})

    assert config.get("demo:nmae") == "y"
