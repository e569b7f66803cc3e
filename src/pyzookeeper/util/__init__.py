"""Mirrors the org.apache.zookeeper.util package."""
