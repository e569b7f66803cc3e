"""Mirrors the org.apache.zookeeper.server.command package."""
