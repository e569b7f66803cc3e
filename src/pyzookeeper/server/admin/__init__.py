"""Mirrors the org.apache.zookeeper.server.admin package."""
