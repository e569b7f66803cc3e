"""Mirrors the org.apache.zookeeper.metrics package."""
