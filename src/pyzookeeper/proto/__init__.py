"""Mirrors the org.apache.zookeeper.proto package."""
