"""Mirrors org.apache.zookeeper.metrics.MetricsProviderLifeCycleException."""

from __future__ import annotations


class MetricsProviderLifeCycleException(Exception):
    """A provider could not be configured or started; the server does not boot."""
