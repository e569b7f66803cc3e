"""Mirrors org.apache.zookeeper.server.ZooKeeperServerListener."""


class ZooKeeperServerListener:
    """Told when a critical thread dies so the server can stop."""

    def notifyStopping(self, threadName: str, errorCode: int) -> None:
        raise NotImplementedError
