"""Mirrors org.apache.zookeeper.server.util.OSMXBean: open and maximum file descriptor counts.

Java asks the JVM's UnixOperatingSystemMXBean; here the open count is the number of entries
in /proc/self/fd (or /dev/fd), and the maximum is the soft RLIMIT_NOFILE, which is what that
bean reports on Linux. -1 means the number is not available.
"""

from __future__ import annotations

import logging
import os
import sys

try:
    import resource
except ImportError:
    resource = None

LOG = logging.getLogger(__name__)

_FD_DIRS = ("/proc/self/fd", "/dev/fd")


class OSMXBean:
    __slots__ = ()

    def getUnix(self) -> bool:
        return not sys.platform.startswith("win")

    def getOpenFileDescriptorCount(self) -> int:
        """File descriptors this process has open, or -1."""
        for fd_dir in _FD_DIRS:
            try:
                entries = os.listdir(fd_dir)
            except OSError:
                continue
            # listing the directory holds one descriptor of its own
            return max(len(entries) - 1, 0)
        LOG.warning("Not able to get the number of open file descriptors")
        return -1

    def getMaxFileDescriptorCount(self) -> int:
        """The most file descriptors this process may open, or -1."""
        if resource is None:
            return -1
        try:
            soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        except (OSError, ValueError) as error:
            LOG.warning("Not able to get the max number of file descriptors", exc_info=error)
            return -1
        return -1 if soft == resource.RLIM_INFINITY else soft
