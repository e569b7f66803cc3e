"""Shared fixtures: the Java reference, JPype, free ports; no server process
outlives the test run."""

from __future__ import annotations

import warnings

import pytest

from javaref import classpath, free_port, java_missing_reason
from serverprocess import stop_leftovers


@pytest.fixture(scope="session")
def java_available() -> None:
    reason = java_missing_reason()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def jvm(java_available):
    """JPype with the ZooKeeper jars on the class path (started once per test run)."""
    try:
        import jpype
        import jpype.imports  # noqa: F401
    except ImportError:
        pytest.skip("JPype1 is not installed")
    if not jpype.isJVMStarted():
        jpype.startJVM(classpath=classpath().split(":"), convertStrings=False)
    return jpype


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture(scope="session", autouse=True)
def no_server_left_behind():
    """Kills, at the end of the run, any server process a test left running, and
    says which: a leftover would load the machine for the tests after it."""
    yield
    left = stop_leftovers()
    if left:
        warnings.warn(f"server processes left running by the tests, now killed: {', '.join(left)}")
