"""Shared fixtures: the Java reference, JPype, free ports."""

from __future__ import annotations

import pytest

from javaref import classpath, free_port, java_missing_reason


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
