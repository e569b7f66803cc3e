"""pyzookeeper: the Apache ZooKeeper 3.8 server, ported to Python class for class.

The package tree mirrors org.apache.zookeeper (and org.apache.jute as
``pyzookeeper.jute``): one module per Java top-level class, with the Java names.
"""

__version__ = "0.1.0"
