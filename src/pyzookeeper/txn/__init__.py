"""Mirrors the org.apache.zookeeper.txn package."""
