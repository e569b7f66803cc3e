"""Mirrors the org.apache.zookeeper.server.auth package."""
