"""Mirrors the org.apache.zookeeper.server.persistence package."""
