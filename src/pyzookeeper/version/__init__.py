"""Mirrors the org.apache.zookeeper.version package."""
