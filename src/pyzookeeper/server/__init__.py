"""Mirrors the org.apache.zookeeper.server package."""
