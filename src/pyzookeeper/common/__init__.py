"""Mirrors the org.apache.zookeeper.common package."""
