"""Mirrors the org.apache.jute package: the serialization every ZooKeeper record uses."""
