"""The lock files: every dependency in pyproject.toml pinned, in its range, with hashes."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", re.MULTILINE)


def pins(name):
    text = (ROOT / name).read_text()
    return {canonicalize_name(found): version for found, version in PIN.findall(text)}, text


def requirement_lines(text):
    """Each pinned requirement with its continuation lines (the hashes)."""
    return re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2].strip())


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("requirements.lock", PYPROJECT["dependencies"]),
        (
            "requirements-dev.lock",
            PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["test"],
        ),
    ],
)
def test_every_dependency_is_pinned_within_its_range(lock, requirements):
    pinned, _ = pins(lock)
    for line in requirements:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not in {lock}: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {requirement.name}=={pinned[name]} outside {requirement.specifier}: run `make lock`"
        )


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_pin_carries_hashes(lock):
    _, text = pins(lock)
    for entry in requirement_lines(text):
        if entry.startswith("#"):
            continue
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


def test_the_runtime_and_test_locks_agree_on_shared_packages():
    runtime, _ = pins("requirements.lock")
    dev, _ = pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime


def test_make_install_installs_from_the_lock_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes" in makefile and "-r requirements-dev.lock" in makefile
