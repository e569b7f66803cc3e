"""Mirrors org.apache.zookeeper.server.quorum.auth: authentication of quorum connections."""
