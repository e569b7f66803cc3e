"""Mirrors the org.apache.zookeeper.server.watch package."""
