"""Mirrors the org.apache.zookeeper.data package."""
