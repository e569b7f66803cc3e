"""Mirrors org.apache.zookeeper.version.VersionInfoMain: the one line
``zkserver.sh version`` prints."""

from __future__ import annotations

from pyzookeeper.Version import Version


class VersionInfoMain:

    @staticmethod
    def main(args: list[str]) -> None:
        print(f"Apache ZooKeeper, version {Version.getVersionRevision()} {Version.getBuildDate()}")


if __name__ == "__main__":
    VersionInfoMain.main([])
