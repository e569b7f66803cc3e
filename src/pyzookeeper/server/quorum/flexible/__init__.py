"""Mirrors the org.apache.zookeeper.server.quorum.flexible package: quorum systems."""
