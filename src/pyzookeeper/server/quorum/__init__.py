"""Mirrors the org.apache.zookeeper.server.quorum package."""
