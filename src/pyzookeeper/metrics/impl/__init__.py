"""Mirrors the org.apache.zookeeper.metrics.impl package."""
