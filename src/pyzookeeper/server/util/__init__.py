"""Mirrors the org.apache.zookeeper.server.util package."""
