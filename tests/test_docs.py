"""The README documents every setting and every command."""

from pathlib import Path

import pytest

from civsam.cli import cli
from civsam.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.name)
def test_every_setting_is_documented(setting):
    assert f"`{setting.name}`" in README


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented(command):
    assert f"python -m civsam {command}" in README


def test_readme_opens_with_the_two_commands():
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in first_block.strip().splitlines()] == [["make", "run"], ["make", "test"]]


def test_what_streamlit_cannot_say_in_swedish_is_a_known_limit_with_its_upstream_issue():
    limits = README.split("## Known limits", 1)[1].split("\n## ", 1)[0]
    assert "streamlit/streamlit#13500" in limits and "Upload" in limits and "Select all" in limits
