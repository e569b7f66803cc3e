"""Mirrors the org.apache.zookeeper.server.metric package."""
