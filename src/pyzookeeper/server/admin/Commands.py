"""Mirrors org.apache.zookeeper.server.admin.Commands: the admin commands,
their names and aliases, and how a command is looked up and run.

``system_properties`` lists the properties set for this server together with
the standard ones (``os.*``, ``user.*``, ``java.*``) as Environment reports them
for the Python runtime.
"""

from __future__ import annotations

import importlib
import logging
import os

from pyzookeeper import system_properties
from pyzookeeper.server.admin.Command import Command
from pyzookeeper.server.admin.CommandBase import CommandBase
from pyzookeeper.server.admin.CommandResponse import CommandResponse
from pyzookeeper.server.util import ZxidUtils

LOG = logging.getLogger(__name__)


def _is_instance(obj, module: str, name: str) -> bool:
    """``obj instanceof module.name``, false when that class is not available."""
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return False
    return isinstance(obj, cls)


def _is_read_only(zkServer) -> bool:
    return _is_instance(zkServer, "pyzookeeper.server.quorum.ReadOnlyZooKeeperServer", "ReadOnlyZooKeeperServer")


def _is_quorum(zkServer) -> bool:
    return _is_instance(zkServer, "pyzookeeper.server.quorum.QuorumZooKeeperServer", "QuorumZooKeeperServer")


def _is_leader(zkServer) -> bool:
    return _is_instance(zkServer, "pyzookeeper.server.quorum.LeaderZooKeeperServer", "LeaderZooKeeperServer")


def _is_follower(zkServer) -> bool:
    return _is_instance(zkServer, "pyzookeeper.server.quorum.FollowerZooKeeperServer", "FollowerZooKeeperServer")


class Commands:
    """The registry of admin commands; the command classes are nested as in Java."""

    commands: dict[str, Command] = {}
    primaryNames: set[str] = set()

    @staticmethod
    def registerCommand(command: Command) -> None:
        for name in command.getNames():
            prev = Commands.commands.get(name)
            Commands.commands[name] = command
            if prev is not None:
                LOG.warning("Re-registering command %s (primary name = %s)", name, command.getPrimaryName())
        Commands.primaryNames.add(command.getPrimaryName())

    @staticmethod
    def runCommand(cmdName: str, zkServer, kwargs: dict[str, str]) -> CommandResponse:
        command = Commands.getCommand(cmdName)
        if command is None:
            return CommandResponse(cmdName, "Unknown command: " + cmdName)
        if command.isServerRequired() and (zkServer is None or not zkServer.isRunning()):
            return CommandResponse(cmdName, "This ZooKeeper instance is not currently serving requests")
        return command.run(zkServer, kwargs)

    @staticmethod
    def getPrimaryNames() -> set[str]:
        return Commands.primaryNames

    @staticmethod
    def getCommand(cmdName: str) -> Command | None:
        return Commands.commands.get(cmdName)

    class CnxnStatResetCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["connection_stat_reset", "crst"])

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            zkServer.getServerCnxnFactory().resetAllConnectionStats()
            return response

    class ConfCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["configuration", "conf", "config"])

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            response.putAll(zkServer.getConf().toMap())
            return response

    class ConsCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["connections", "cons"])

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            factory = zkServer.getServerCnxnFactory()
            response.put("connections", factory.getAllConnectionInfo(False) if factory is not None else [])
            secure = zkServer.getSecureServerCnxnFactory()
            response.put("secure_connections", secure.getAllConnectionInfo(False) if secure is not None else [])
            return response

    class DirsCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["dirs"])

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            response.put("datadir_size", zkServer.getDataDirSize())
            response.put("logdir_size", zkServer.getLogDirSize())
            return response

    class DumpCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["dump"])

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            response.put("expiry_time_to_session_ids", zkServer.getSessionExpiryMap())
            response.put("session_id_to_ephemeral_paths", zkServer.getEphemerals())
            return response

    class EnvCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["environment", "env", "envi"], False)

        def run(self, zkServer, kwargs):
            from pyzookeeper import Environment

            response = self.initializeResponse()
            for e in Environment.list():
                response.put(e.getKey(), e.getValue())
            return response

    class DigestCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["hash"])

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            response.put("digests", zkServer.getZKDatabase().getDataTree().getDigestLog())
            return response

    class GetTraceMaskCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["get_trace_mask", "gtmk"], False)

        def run(self, zkServer, kwargs):
            from pyzookeeper.server.ZooTrace import ZooTrace

            response = self.initializeResponse()
            response.put("tracemask", ZooTrace.getTextTraceLevel())
            return response

    class InitialConfigurationCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["initial_configuration", "icfg"])

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            response.put("initial_configuration", zkServer.getInitialConfig())
            return response

    class IsroCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["is_read_only", "isro"])

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            response.put("read_only", _is_read_only(zkServer))
            return response

    class LastSnapshotCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["last_snapshot", "lsnp"])

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            info = zkServer.getTxnLogFactory().getLastSnapshotInfo()
            response.put("zxid", ZxidUtils.zxidToString(-1 if info is None else info.zxid))
            response.put("timestamp", -1 if info is None else info.timestamp)
            return response

    class LeaderCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["leader", "lead"])

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            if _is_quorum(zkServer):
                response.put("is_leader", _is_leader(zkServer))
                peer = zkServer.self
                response.put("leader_id", peer.getLeaderId())
                leaderAddress = peer.getLeaderAddress()
                response.put("leader_ip", leaderAddress if leaderAddress is not None else "")
            else:
                response.put("error", "server is not initialized")
            return response

    class MonitorCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["monitor", "mntr"], False)

        def run(self, zkServer, kwargs):
            from pyzookeeper.server.ServerMetrics import ServerMetrics

            response = self.initializeResponse()
            zkServer.dumpMonitorValues(response.put)
            ServerMetrics.getMetrics().getMetricsProvider().dump(response.put)
            return response

    class ObserverCnxnStatResetCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["observer_connection_stat_reset", "orst"])

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            if _is_leader(zkServer):
                zkServer.getLeader().resetObserverConnectionStats()
            elif _is_follower(zkServer):
                zkServer.getFollower().resetObserverConnectionStats()
            return response

    class RuokCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["ruok"])

        def run(self, zkServer, kwargs):
            return self.initializeResponse()

    class SetTraceMaskCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["set_trace_mask", "stmk"], False)

        def run(self, zkServer, kwargs):
            from pyzookeeper.server.ZooTrace import ZooTrace

            response = self.initializeResponse()
            if "traceMask" not in kwargs:
                response.put("error", "setTraceMask requires long traceMask argument")
                return response
            text = kwargs["traceMask"]
            traceMask = _parse_long(text)
            if traceMask is None:
                response.put("error", "setTraceMask requires long traceMask argument, got " + str(text))
                return response
            ZooTrace.setTextTraceLevel(traceMask)
            response.put("tracemask", traceMask)
            return response

    class SrvrCommand(CommandBase):
        def __init__(self, names: list[str] | None = None) -> None:
            super().__init__(names if names is not None else ["server_stats", "srvr"])

        def run(self, zkServer, kwargs):
            from pyzookeeper.Version import Version

            response = self.initializeResponse()
            LOG.info("running stat")
            response.put("version", Version.getFullVersion())
            response.put("read_only", _is_read_only(zkServer))
            response.put("server_stats", zkServer.serverStats())
            response.put("client_response", zkServer.serverStats().getClientResponseStats())
            if _is_leader(zkServer):
                response.put("proposal_stats", zkServer.getLeader().getProposalStats())
            response.put("node_count", zkServer.getZKDatabase().getNodeCount())
            return response

    class StatCommand(SrvrCommand):
        def __init__(self) -> None:
            super().__init__(["stats", "stat"])

        def run(self, zkServer, kwargs):
            response = super().run(zkServer, kwargs)
            factory = zkServer.getServerCnxnFactory()
            response.put("connections", factory.getAllConnectionInfo(True) if factory is not None else [])
            secure = zkServer.getSecureServerCnxnFactory()
            response.put("secure_connections", secure.getAllConnectionInfo(True) if secure is not None else [])
            return response

    class StatResetCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["stat_reset", "srst"])

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            zkServer.serverStats().reset()
            return response

    class SyncedObserverConsCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["observers", "obsr"])

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            if _is_leader(zkServer):
                leader = zkServer.getLeader()
                response.put("synced_observers", len(leader.getObservingLearners()))
                response.put("observers", leader.getObservingLearnersInfo())
                return response
            if _is_follower(zkServer):
                follower = zkServer.getFollower()
                syncedObservers = follower.getSyncedObserverSize()
                if syncedObservers is not None:
                    response.put("synced_observers", syncedObservers)
                    response.put("observers", follower.getSyncedObserversInfo())
                    return response
            response.put("synced_observers", 0)
            response.put("observers", set())
            return response

    class SystemPropertiesCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["system_properties", "sysp"], False)

        def run(self, zkServer, kwargs):
            from pyzookeeper import Environment

            response = self.initializeResponse()
            properties = {e.getKey(): e.getValue() for e in Environment.list()
                          if e.getKey().startswith(("java.", "os.name", "os.arch", "os.version", "user."))}
            properties.update({"file.separator": os.sep, "path.separator": os.pathsep, "line.separator": "\n"})
            properties.update(system_properties.getProperties())
            response.putAll(dict(sorted(properties.items())))
            return response

    class VotingViewCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["voting_view"])

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            if _is_quorum(zkServer):
                peer = zkServer.self
                votingView = {sid: Commands.VotingViewCommand.QuorumServerView(server).toMap()
                              for sid, server in peer.getVotingView().items()}
                response.put("current_config", votingView)
            else:
                response.put("current_config", {})
            return response

        class QuorumServerView:
            """The JSON form of a QuorumServer (Java serializes its annotated fields)."""

            def __init__(self, quorumServer) -> None:
                from pyzookeeper.server.quorum.QuorumPeer import LearnerType

                self.serverAddresses = self.getMultiAddressString(quorumServer.addr)
                self.electionAddresses = self.getMultiAddressString(quorumServer.electionAddr)
                self.learnerType = "participant" if quorumServer.type == LearnerType.PARTICIPANT else "observer"
                self.clientAddress = self.getAddressString(quorumServer.clientAddr)

            @staticmethod
            def getMultiAddressString(multipleAddresses) -> list[str]:
                if multipleAddresses is None:
                    return []
                return [Commands.VotingViewCommand.QuorumServerView.getAddressString(a)
                        for a in multipleAddresses.getAllAddresses()]

            @staticmethod
            def getAddressString(address) -> str:
                from pyzookeeper.server.quorum.QuorumPeer import QuorumServer

                if address is None:
                    return ""
                return "%s:%d" % (QuorumServer.delimitedHostString(address), address.getPort())

            def toMap(self) -> dict[str, object]:
                return {"server_addresses": self.serverAddresses, "election_addresses": self.electionAddresses,
                        "client_address": self.clientAddress, "learner_type": self.learnerType}

    class WatchCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["watches", "wchc"])

        def run(self, zkServer, kwargs):
            dt = zkServer.getZKDatabase().getDataTree()
            response = self.initializeResponse()
            response.put("session_id_to_watched_paths", dt.getWatches().toMap())
            return response

    class WatchesByPathCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["watches_by_path", "wchp"])

        def run(self, zkServer, kwargs):
            dt = zkServer.getZKDatabase().getDataTree()
            response = self.initializeResponse()
            response.put("path_to_session_ids", dt.getWatchesByPath().toMap())
            return response

    class WatchSummaryCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["watch_summary", "wchs"])

        def run(self, zkServer, kwargs):
            dt = zkServer.getZKDatabase().getDataTree()
            response = self.initializeResponse()
            response.putAll(dt.getWatchesSummary().toMap())
            return response

    class ZabStateCommand(CommandBase):
        def __init__(self) -> None:
            super().__init__(["zabstate"], False)

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            if _is_quorum(zkServer):
                peer = zkServer.self
                zabState = peer.getZabState()
                qv = peer.getQuorumVerifier()
                voter = qv.getVotingMembers().get(peer.getMyId())
                voting = (voter is not None and voter.addr == peer.getQuorumAddress()
                          and voter.electionAddr == peer.getElectionAddress())
                response.put("myid", zkServer.getConf().getServerId())
                response.put("is_leader", _is_leader(zkServer))
                response.put("quorum_address", peer.getQuorumAddress())
                response.put("election_address", peer.getElectionAddress())
                response.put("client_address", peer.getClientAddress())
                response.put("voting", voting)
                lastProcessedZxid = zkServer.getZKDatabase().getDataTreeLastProcessedZxid()
                response.put("last_zxid", "0x" + ZxidUtils.zxidToString(lastProcessedZxid))
                response.put("zab_epoch", ZxidUtils.getEpochFromZxid(lastProcessedZxid))
                response.put("zab_counter", ZxidUtils.getCounterFromZxid(lastProcessedZxid))
                response.put("zabstate", _enum_name(zabState).lower())
            else:
                response.put("voting", False)
                response.put("zabstate", "")
            return response


def _enum_name(value) -> str:
    return getattr(value, "name", str(value))


def _parse_long(text: str | None) -> int | None:
    """``Long.parseLong``, or None where Java throws NumberFormatException."""
    if text is None:
        return None
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


for _command in (
    Commands.CnxnStatResetCommand(), Commands.ConfCommand(), Commands.ConsCommand(), Commands.DigestCommand(),
    Commands.DirsCommand(), Commands.DumpCommand(), Commands.EnvCommand(), Commands.GetTraceMaskCommand(),
    Commands.InitialConfigurationCommand(), Commands.IsroCommand(), Commands.LastSnapshotCommand(),
    Commands.LeaderCommand(), Commands.MonitorCommand(), Commands.ObserverCnxnStatResetCommand(),
    Commands.RuokCommand(), Commands.SetTraceMaskCommand(), Commands.SrvrCommand(), Commands.StatCommand(),
    Commands.StatResetCommand(), Commands.SyncedObserverConsCommand(), Commands.SystemPropertiesCommand(),
    Commands.VotingViewCommand(), Commands.WatchCommand(), Commands.WatchesByPathCommand(),
    Commands.WatchSummaryCommand(), Commands.ZabStateCommand(),
):
    Commands.registerCommand(_command)
del _command

registerCommand = Commands.registerCommand
runCommand = Commands.runCommand
getPrimaryNames = Commands.getPrimaryNames
getCommand = Commands.getCommand
