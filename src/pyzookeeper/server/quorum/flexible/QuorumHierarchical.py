"""Mirrors org.apache.zookeeper.server.quorum.flexible.QuorumHierarchical:
weighted servers in groups; a quorum is a majority of the groups, each by a
majority of its weight.

Configured with ``group.<gid>=sid:sid:...`` and ``weight.<sid>=w`` beside the
``server.N`` lines. A participant without a ``weight`` line weighs 1; every
participant must be in exactly one group.
"""

from __future__ import annotations

import logging
import os

from pyzookeeper.common.java_properties import Properties, hashmap_order, hashmap_ordered, parse_java_long
from pyzookeeper.server.quorum.QuorumPeer import LearnerType, QuorumServer
from pyzookeeper.server.quorum.flexible.QuorumVerifier import QuorumVerifier
from pyzookeeper.server.util import ZxidUtils

LOG = logging.getLogger(__name__)


class QuorumHierarchical(QuorumVerifier):

    def __init__(self, source: Properties | str) -> None:
        """From the entries of a config, or from the config file at path ``source``."""
        self.serverWeight: dict[int, int] = {}
        self.serverGroup: dict[int, int] = {}
        self.groupWeight: dict[int, int] = {}
        self.numGroups = 0
        self.allMembers: dict[int, QuorumServer] = {}
        self.participatingMembers: dict[int, QuorumServer] = {}
        self.observingMembers: dict[int, QuorumServer] = {}
        self.version = 0
        if isinstance(source, str):
            self._readConfigFile(source)
        else:
            self._parse(source)
            LOG.info("%s, %s, %s", len(self.serverWeight), len(self.serverGroup), len(self.groupWeight))

    def __eq__(self, o: object) -> bool:
        if not isinstance(o, QuorumHierarchical):
            return False
        if o.getVersion() == self.version:
            return True
        if (len(self.allMembers) != len(o.getAllMembers())
                or len(self.serverWeight) != len(o.serverWeight)
                or len(self.groupWeight) != len(o.groupWeight)
                or len(self.serverGroup) != len(o.serverGroup)):
            return False
        for qs in self.allMembers.values():
            qso = o.getAllMembers().get(qs.id)
            if qso is None or qs != qso:
                return False
        return (all(o.serverWeight.get(k) == v for k, v in self.serverWeight.items())
                and all(o.groupWeight.get(k) == v for k, v in self.groupWeight.items())
                and all(o.serverGroup.get(k) == v for k, v in self.serverGroup.items()))

    def __hash__(self) -> int:
        return 42

    def getWeight(self, id: int) -> int:
        return self.serverWeight[id]

    def _readConfigFile(self, filename: str) -> None:
        from pyzookeeper.server.quorum.QuorumPeerConfig import ConfigException

        LOG.info("Reading configuration from: %s", filename)
        try:
            if not os.path.exists(filename):
                raise ValueError(f"{filename} file is missing")
            cfg = Properties()
            with open(filename, "rb") as f:
                cfg.load(f.read())
            self._parse(cfg)
        except (OSError, ValueError) as e:
            raise ConfigException("Error processing " + filename, e) from e

    def _parse(self, quorumProp: Properties) -> None:
        from pyzookeeper.server.quorum.QuorumPeerConfig import ConfigException

        for key, value in quorumProp.items():
            if key.startswith("server."):
                sid = parse_java_long(key[key.find(".") + 1:], key=key)
                qs = QuorumServer(sid, value)
                self.allMembers[sid] = qs
                if qs.type == LearnerType.PARTICIPANT:
                    self.participatingMembers[sid] = qs
                else:
                    self.observingMembers[sid] = qs
            elif key.startswith("group"):
                gid = parse_java_long(key[key.find(".") + 1:], key=key)
                self.numGroups += 1
                for s in _split_colon(value):
                    sid = parse_java_long(s, key=key)
                    if sid in self.serverGroup:
                        raise ConfigException(f"Server {sid}is in multiple groups")
                    self.serverGroup[sid] = gid
            elif key.startswith("weight"):
                sid = parse_java_long(key[key.find(".") + 1:], key=key)
                self.serverWeight[sid] = parse_java_long(value, key=key)
            elif key == "version":
                self.version = parse_java_long(value, 16, key=key)

        self.allMembers = hashmap_ordered(self.allMembers)
        self.participatingMembers = hashmap_ordered(self.participatingMembers)
        self.observingMembers = hashmap_ordered(self.observingMembers)
        for qs in self.allMembers.values():
            if qs.type == LearnerType.PARTICIPANT:
                if qs.id not in self.serverGroup:
                    raise ConfigException(f"Server {qs.id}is not in a group")
                if qs.id not in self.serverWeight:
                    self.serverWeight[qs.id] = 1
        self._computeGroupWeight()

    def getAllMembers(self) -> dict[int, QuorumServer]:
        return self.allMembers

    def toString(self) -> str:
        out = []
        members = self.getAllMembers()
        for sid in hashmap_order(members):
            out.append(f"server.{sid}={members[sid].toString()}\n")
        groups: dict[int, str] = {}
        for sid in hashmap_order(self.serverGroup):
            gid = self.serverGroup[sid]
            groups[gid] = str(sid) if gid not in groups else f"{groups[gid]}:{sid}"
        for gid in hashmap_order(groups):
            out.append(f"group.{gid}={groups[gid]}\n")
        for sid in hashmap_order(self.serverWeight):
            out.append(f"weight.{sid}={self.serverWeight[sid]}\n")
        out.append("version=" + ZxidUtils.zxidToString(self.version))
        return "".join(out)

    def _computeGroupWeight(self) -> None:
        from pyzookeeper.server.quorum.QuorumPeerConfig import ConfigException

        for sid in hashmap_order(self.serverGroup):
            gid = self.serverGroup[sid]
            weight = self.serverWeight.get(sid)
            if weight is None:
                raise ConfigException(f"Server {sid} of group {gid} is not a participant and has no weight")
            self.groupWeight[gid] = self.groupWeight.get(gid, 0) + weight
        for weight in self.groupWeight.values():
            LOG.debug("Group weight: %s", weight)
            if weight == 0:
                self.numGroups -= 1
                LOG.debug("One zero-weight group: 1, %s", self.numGroups)

    def containsQuorum(self, set_: set[int]) -> bool:
        """True when more than half of the (non-zero-weight) groups each have
        more than half of their weight in ``set_``."""
        expansion: dict[int, int] = {}
        LOG.debug("Set size: %s", len(set_))
        if not set_:
            return False
        for sid in set_:
            gid = self.serverGroup.get(sid)
            if gid is None:
                continue
            expansion[gid] = expansion.get(gid, 0) + self.serverWeight[sid]
        majGroupCounter = 0
        for gid, weight in expansion.items():
            LOG.debug("Group info: %s, %s, %s", weight, gid, self.groupWeight[gid])
            if weight > _java_half(self.groupWeight[gid]):
                majGroupCounter += 1
        LOG.debug("Majority group counter: %s, %s", majGroupCounter, self.numGroups)
        if majGroupCounter > _java_half(self.numGroups):
            LOG.debug("Positive set size: %s", len(set_))
            return True
        LOG.debug("Negative set size: %s", len(set_))
        return False

    def getVotingMembers(self) -> dict[int, QuorumServer]:
        return self.participatingMembers

    def getObservingMembers(self) -> dict[int, QuorumServer]:
        return self.observingMembers

    def getVersion(self) -> int:
        return self.version

    def setVersion(self, ver: int) -> None:
        self.version = ver


def _split_colon(value: str) -> list[str]:
    parts = value.split(":")
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return [] if parts == [""] and value else parts


def _java_half(n: int) -> int:
    """``n / 2`` in Java integer arithmetic (truncates toward zero)."""
    return -((-n) // 2) if n < 0 else n // 2
