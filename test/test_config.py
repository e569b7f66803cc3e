"""zoo.cfg parsing: every key family with its Java default and meaning, the
errors (one line, naming the key), system properties from unknown keys, myid,
ServerConfig, and the exit codes of QuorumPeerMain."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from javaref import free_port

from pyzookeeper import system_properties
from pyzookeeper.common.java_properties import Properties
from pyzookeeper.server.ServerConfig import ServerConfig
from pyzookeeper.server.quorum.QuorumPeer import LearnerType, QuorumPeer
from pyzookeeper.server.quorum.QuorumPeerConfig import ConfigException, QuorumPeerConfig
from pyzookeeper.server.quorum.flexible.QuorumHierarchical import QuorumHierarchical
from pyzookeeper.server.quorum.flexible.QuorumMaj import QuorumMaj

SRC = Path(__file__).resolve().parent.parent / "src"


@pytest.fixture(autouse=True)
def clean_state():
    """QuorumPeerConfig's static switches and the system properties are process-wide, as in Java."""
    saved = system_properties.getProperties()
    yield
    QuorumPeerConfig.setStandaloneEnabled(True)
    QuorumPeerConfig.setReconfigEnabled(False)
    for name in system_properties.getProperties():
        if name not in saved:
            system_properties.clearProperty(name)
    for name, value in saved.items():
        system_properties.setProperty(name, value)


def write_cfg(tmp_path: Path, text: str, name: str = "zoo.cfg") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def parse(tmp_path: Path, text: str, myid: int | None = None) -> QuorumPeerConfig:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    if myid is not None:
        (data / "myid").write_text(f"{myid}\n")
    config = QuorumPeerConfig()
    config.parse(write_cfg(tmp_path, f"dataDir={data}\n" + text))
    return config


def test_defaults(tmp_path):
    config = parse(tmp_path, "clientPort=2181\n")
    assert config.getTickTime() == 3000
    assert config.getMaxClientCnxns() == 60
    assert config.getMinSessionTimeout() == 6000
    assert config.getMaxSessionTimeout() == 60000
    assert config.getDataLogDir() == config.getDataDir() == str(tmp_path / "data")
    assert str(config.getClientPortAddress()) == "0.0.0.0/0.0.0.0:2181"
    assert config.getSecureClientPortAddress() is None
    assert config.getObserverMasterPort() == 0
    assert config.getInitLimit() == config.getSyncLimit() == config.getConnectToLearnerMasterLimit() == 0
    assert config.getElectionAlg() == 3
    assert config.getSnapRetainCount() == 3
    assert config.getPurgeInterval() == 0
    assert config.getSyncEnabled() is True
    assert config.getQuorumListenOnAllIPs() is False
    assert config.getPeerType() == LearnerType.PARTICIPANT
    assert config.getClientPortListenBacklog() == -1
    assert config.areLocalSessionsEnabled() is False
    assert config.isLocalSessionsUpgradingEnabled() is False
    assert config.isSslQuorum() is False
    assert config.shouldUsePortUnification() is False
    assert config.getMetricsProviderClassName() == "org.apache.zookeeper.metrics.impl.DefaultMetricsProvider"
    assert len(config.getMetricsProviderConfiguration()) == 0
    assert config.isJvmPauseMonitorToRun() is False
    assert (config.getJvmPauseInfoThresholdMs(), config.getJvmPauseWarnThresholdMs(),
            config.getJvmPauseSleepTimeMs()) == (1000, 10000, 500)
    assert config.isMultiAddressEnabled() is False
    assert config.isMultiAddressReachabilityCheckEnabled() is True
    assert config.getMultiAddressReachabilityCheckTimeoutMs() == 1000
    assert config.getServerId() == -1
    assert config.isDistributed() is False
    assert isinstance(config.getQuorumVerifier(), QuorumMaj)
    assert config.getQuorumVerifier().getAllMembers() == {}
    assert config.getLastSeenQuorumVerifier() is None
    assert config.getConfigFilename() == str(tmp_path / "zoo.cfg")
    assert config.getInitialConfig().startswith("dataDir=")
    assert QuorumPeerConfig.isStandaloneEnabled() is True
    assert QuorumPeerConfig.isReconfigEnabled() is False


def test_every_key_family(tmp_path):
    logdir = tmp_path / "txnlog"
    config = parse(tmp_path, f"""
tickTime=2500
dataLogDir={logdir}
clientPort=2182
clientPortAddress=127.0.0.1
secureClientPort=2281
secureClientPortAddress=127.0.0.1
observerMasterPort=2999
maxClientCnxns=7
minSessionTimeout=5001
maxSessionTimeout=70000
initLimit=11
syncLimit=6
connectToLearnerMasterLimit=13
electionAlg=3
quorumListenOnAllIPs=TRUE
peerType=observer
syncEnabled=false
autopurge.snapRetainCount=5
autopurge.purgeInterval=2
standaloneEnabled=true
reconfigEnabled=true
sslQuorum=true
portUnification=true
sslQuorumReloadCertFiles=true
clientPortListenBacklog=77
localSessionsEnabled=true
localSessionsUpgradingEnabled=true
metricsProvider.className=org.apache.zookeeper.metrics.impl.NullMetricsProvider
metricsProvider.httpPort=7000
multiAddress.enabled=true
multiAddress.reachabilityCheckEnabled=false
multiAddress.reachabilityCheckTimeoutMs=250
quorum.auth.enableSasl=true
quorum.auth.learnerRequireSasl=true
quorum.auth.serverRequireSasl=true
quorum.auth.kerberos.servicePrincipal=zk/host
quorum.auth.learner.saslLoginContext=L
quorum.auth.server.saslLoginContext=S
quorum.cnxn.threads.size=30
jvm.pause.monitor=true
jvm.pause.info-threshold.ms=11
jvm.pause.warn-threshold.ms=22
jvm.pause.sleep.time.ms=33
""")
    assert config.getTickTime() == 2500
    assert config.getDataLogDir() == str(logdir)
    assert str(config.getClientPortAddress()) == "/127.0.0.1:2182"
    assert str(config.getSecureClientPortAddress()) == "/127.0.0.1:2281"
    assert config.getObserverMasterPort() == 2999
    assert config.getMaxClientCnxns() == 7
    assert (config.getMinSessionTimeout(), config.getMaxSessionTimeout()) == (5001, 70000)
    assert (config.getInitLimit(), config.getSyncLimit(), config.getConnectToLearnerMasterLimit()) == (11, 6, 13)
    assert config.getQuorumListenOnAllIPs() is True
    # no server list names this server an observer, so the list wins over peerType (with a warning)
    assert config.getPeerType() == LearnerType.PARTICIPANT
    assert config.getSyncEnabled() is False
    assert (config.getSnapRetainCount(), config.getPurgeInterval()) == (5, 2)
    assert QuorumPeerConfig.isReconfigEnabled() is True
    assert config.isSslQuorum() and config.shouldUsePortUnification() and config.sslQuorumReloadCertFiles
    assert config.getClientPortListenBacklog() == 77
    assert config.areLocalSessionsEnabled() and config.isLocalSessionsUpgradingEnabled()
    assert config.getMetricsProviderClassName().endswith("NullMetricsProvider")
    assert dict(config.getMetricsProviderConfiguration()) == {"httpPort": "7000"}
    assert config.isMultiAddressEnabled() and not config.isMultiAddressReachabilityCheckEnabled()
    assert config.getMultiAddressReachabilityCheckTimeoutMs() == 250
    assert config.quorumEnableSasl and config.quorumLearnerRequireSasl and config.quorumServerRequireSasl
    assert (config.quorumServicePrincipal, config.quorumLearnerLoginContext,
            config.quorumServerLoginContext) == ("zk/host", "L", "S")
    assert config.quorumCnxnThreadsSize == 30
    assert config.isJvmPauseMonitorToRun()
    assert (config.getJvmPauseInfoThresholdMs(), config.getJvmPauseWarnThresholdMs(),
            config.getJvmPauseSleepTimeMs()) == (11, 22, 33)
    # a secure client port registers the x509 provider, as Java does
    assert (system_properties.getProperty("zookeeper.authProvider.x509")
            == "org.apache.zookeeper.server.auth.X509AuthenticationProvider")


def test_session_timeouts_follow_tick_time(tmp_path):
    config = parse(tmp_path, "tickTime=100\nclientPort=2181\nmaxSessionTimeout=1000\n")
    assert (config.getMinSessionTimeout(), config.getMaxSessionTimeout()) == (200, 1000)


def test_unknown_keys_become_zookeeper_system_properties(tmp_path):
    parse(tmp_path, """clientPort=2181
snapCount=1000
preAllocSize=655360
globalOutstandingLimit=500
forceSync=no
4lw.commands.whitelist=srvr, ruok
admin.enableServer=false
admin.serverPort=9090
jute.maxbuffer=1048576
fsync.warningthresholdms=50
extendedTypesEnabled=true
  spaced.key   =   value with spaces   
""")
    expected = {
        "zookeeper.snapCount": "1000", "zookeeper.preAllocSize": "655360",
        "zookeeper.globalOutstandingLimit": "500", "zookeeper.forceSync": "no",
        "zookeeper.4lw.commands.whitelist": "srvr, ruok", "zookeeper.admin.enableServer": "false",
        "zookeeper.admin.serverPort": "9090", "zookeeper.jute.maxbuffer": "1048576",
        "zookeeper.fsync.warningthresholdms": "50", "zookeeper.extendedTypesEnabled": "true",
        "zookeeper.spaced.key": "value with spaces",
    }
    for name, value in expected.items():
        assert system_properties.getProperty(name) == value, name
    # keys the parser reads itself do not leak into the system properties
    assert system_properties.getProperty("zookeeper.clientPort") is None
    assert system_properties.getProperty("zookeeper.dataDir") is None


def test_properties_file_syntax(tmp_path):
    config = parse(tmp_path, "# comment\n! also a comment\n  tickTime : 4000\nclientPort 2183\n"
                             "maxClientCnxns=\\\n    12\n")
    assert config.getTickTime() == 4000
    assert config.getClientPortAddress().getPort() == 2183
    assert config.getMaxClientCnxns() == 12


def test_snap_retain_count_minimum_is_three(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        config = parse(tmp_path, "clientPort=2181\nautopurge.snapRetainCount=1\n")
    assert config.getSnapRetainCount() == 3
    assert "Invalid autopurge.snapRetainCount: 1. Defaulting to 3" in caplog.text


def test_relative_data_dir_is_warned_about(tmp_path, caplog, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = write_cfg(tmp_path, "dataDir=data\nclientPort=2181\n")
    with caplog.at_level(logging.WARNING):
        QuorumPeerConfig().parse(cfg)
    assert "data is relative. Prepend ./ to indicate that you're sure!" in caplog.text
    caplog.clear()
    cfg = write_cfg(tmp_path, "dataDir=./data\nclientPort=2181\n")
    with caplog.at_level(logging.WARNING):
        QuorumPeerConfig().parse(cfg)
    assert "relative" not in caplog.text


QUORUM = ("initLimit=10\nsyncLimit=5\nclientPort=2181\n"
          "server.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n")


def test_quorum_config_reads_myid(tmp_path):
    config = parse(tmp_path, QUORUM, myid=2)
    assert config.isDistributed()
    assert config.getServerId() == 2
    assert sorted(config.getServers()) == [1, 2, 3]
    assert config.getQuorumVerifier().getVotingMembers()[2].toString() == "127.0.0.1:2889:3889:participant"
    # the static client port is the client address of this server
    assert config.getServers()[2].clientAddr == config.getClientPortAddress()
    assert config.getServers()[2].isClientAddrFromStatic


def test_single_server_line_is_standalone(tmp_path, caplog):
    with caplog.at_level(logging.ERROR):
        config = parse(tmp_path, "clientPort=2181\nserver.1=127.0.0.1:2888:3888\n")
    assert not config.isDistributed()
    assert "Invalid configuration, only one server specified (ignoring)" in caplog.text
    QuorumPeerConfig.setStandaloneEnabled(False)
    config = parse(tmp_path, "clientPort=2181\ninitLimit=5\nsyncLimit=2\nserver.1=127.0.0.1:2888:3888\n", myid=1)
    assert config.isDistributed()


def test_observer_and_client_addresses(tmp_path):
    config = parse(tmp_path, "initLimit=10\nsyncLimit=5\n"
                             "server.1=127.0.0.1:2888:3888;2181\n"
                             "server.2=127.0.0.1:2889:3889:participant;127.0.0.1:2182\n"
                             "server.3=127.0.0.1:2890:3890:participant;[::1]:2183\n"
                             "server.4=127.0.0.1:2891:3891:observer;2184\n", myid=4)
    assert config.getPeerType() == LearnerType.OBSERVER
    assert sorted(config.getQuorumVerifier().getObservingMembers()) == [4]
    assert str(config.getClientPortAddress()) == "/0.0.0.0:2184"
    servers = config.getServers()
    assert servers[2].toString() == "127.0.0.1:2889:3889:participant;127.0.0.1:2182"
    assert servers[3].toString() == "127.0.0.1:2890:3890:participant;[0:0:0:0:0:0:0:1]:2183"
    assert servers[4].toString() == "127.0.0.1:2891:3891:observer;0.0.0.0:2184"


def test_hierarchical_quorums(tmp_path):
    config = parse(tmp_path, "initLimit=10\nsyncLimit=5\nclientPort=2181\n"
                             + "".join(f"server.{i}=127.0.0.1:{2887 + i}:{3887 + i}\n" for i in range(1, 7))
                             + "group.1=1:2:3\ngroup.2=4:5:6\nweight.1=3\nweight.4=0\n", myid=1)
    qv = config.getQuorumVerifier()
    assert isinstance(qv, QuorumHierarchical)
    assert qv.getWeight(1) == 3 and qv.getWeight(2) == 1 and qv.getWeight(4) == 0
    # group 1 by weight (server 1 alone has 3 of 5) and group 2 by weight (5, 6: 2 of 2)
    assert qv.containsQuorum({1, 5, 6})
    assert not qv.containsQuorum({1, 2, 3})
    assert not qv.containsQuorum({2, 3, 5})


def test_multiple_addresses_need_the_feature(tmp_path):
    line = "server.1=127.0.0.1:2888:3888|127.0.0.2:2888:3888\nserver.2=127.0.0.1:2889:3889\n"
    with pytest.raises(ConfigException) as info:
        parse(tmp_path, "initLimit=10\nsyncLimit=5\nclientPort=2181\n" + line, myid=1)
    assert "Multiple address feature is disabled, but multiple addresses were specified for sid 1" in str(info.value)
    system_properties.setProperty("zookeeper.multiAddress.enabled", "true")
    config = parse(tmp_path, "initLimit=10\nsyncLimit=5\nclientPort=2181\n" + line, myid=1)
    assert config.getServers()[1].toString() == "127.0.0.1:2888:3888|127.0.0.2:2888:3888:participant"
    assert config.getServers()[1].addr.size() == 2


@pytest.mark.parametrize("text, message", [
    ("clientPort=abc\n", 'Error processing {cfg}: clientPort: For input string: "abc"'),
    ("clientPort=2181\ntickTime=2s\n", 'Error processing {cfg}: tickTime: For input string: "2s"'),
    ("clientPort=2181\nmaxClientCnxns=99999999999\n",
     'Error processing {cfg}: maxClientCnxns: For input string: "99999999999"'),
    ("clientPort=70000\n", "Error processing {cfg}: clientPort: port out of range:70000"),
    ("clientPort=2181\ntickTime=0\n", "Error processing {cfg}: tickTime is not set"),
    ("clientPort=2181\nelectionAlg=1\n", "Invalid electionAlg value. Only 3 is supported."),
    ("clientPort=2181\npeerType=leader\n", "Unrecognised peertype: leader"),
    ("clientPort=2181\nsyncEnabled=yes\n", "Invalid option yes for syncEnabled. Choose 'true' or 'false.'"),
    ("clientPort=2181\nstandaloneEnabled=1\n", "Invalid option 1 for standaloneEnabled. Choose 'true' or 'false.'"),
    ("clientPortAddress=127.0.0.1\n", "Error processing {cfg}: clientPortAddress is set but clientPort is not set"),
    ("clientPort=2181\nsecureClientPortAddress=127.0.0.1\n",
     "Error processing {cfg}: secureClientPortAddress is set but secureClientPort is not set"),
    ("clientPort=2181\nminSessionTimeout=9000\nmaxSessionTimeout=8000\n",
     "Error processing {cfg}: minSessionTimeout must not be larger than maxSessionTimeout"),
    ("clientPort=2181\nquorum.auth.serverRequireSasl=true\n",
     "Error processing {cfg}: quorum.auth.enableSasl is disabled, so cannot enable quorum.auth.serverRequireSasl"),
    ("clientPort=2181\nquorum.auth.enableSasl=true\nquorum.auth.serverRequireSasl=true\n",
     "Error processing {cfg}: quorum.auth.learnerRequireSasl is disabled, so cannot enable "
     "quorum.auth.serverRequireSasl"),
    ("clientPort=2181\nmetricsProvider.className=com.example.NoSuchProvider\n",
     "Error processing {cfg}: metrics provider class was not found"),
    ("clientPort=2181\ndynamicConfigFile=/x\nserver.1=127.0.0.1:2888:3888\n",
     "parameter: server.1 must be in a separate dynamic config file"),
    ("clientPort=2181\nserver.x=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\n",
     'Error processing {cfg}: server.x: For input string: "x"'),
    ("clientPort=2181\nserver.1=127.0.0.1:2888\nserver.2=127.0.0.1:2889:3889\n",
     "127.0.0.1:2888 does not have the form server_config or server_config;client_config"),
    ("clientPort=2181\nserver.1=127.0.0.1:2888:2888\nserver.2=127.0.0.1:2889:3889\n",
     "Client and election port must be different! Please update the configuration file on server.1"),
    ("clientPort=2181\nserver.1=127.0.0.1:2888:38x8\nserver.2=127.0.0.1:2889:3889\n",
     "Address unresolved: 127.0.0.1:38x8"),
    ("clientPort=2181\nserver.1=127.0.0.1:2888:3888:leader\nserver.2=127.0.0.1:2889:3889\n",
     "Unrecognised peertype: leader"),
    ("clientPort=2181\nserver.1=127.0.0.1:2888:3888:observer\n",
     "Error processing {cfg}: Observers w/o participants is an invalid configuration"),
    ("clientPort=2181\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n",
     "Error processing {cfg}: initLimit is not set"),
    ("clientPort=2181\ninitLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\n",
     "Error processing {cfg}: syncLimit is not set"),
    ("clientPort=2181\ninitLimit=5\nsyncLimit=2\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\n",
     "Error processing {cfg}: myid file is missing"),
    ("clientPort=2181\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\ngroup.1=1\n",
     "Server 2is not in a group"),
    ("clientPort=2181\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\ngroup.1=1:2\ngroup.2=2\n",
     "Server 2is in multiple groups"),
])
def test_errors_are_one_line_and_name_the_key(tmp_path, text, message):
    data = tmp_path / "data"
    data.mkdir()
    cfg = write_cfg(tmp_path, f"dataDir={data}\n{text}")
    with pytest.raises(ConfigException) as info:
        QuorumPeerConfig().parse(cfg)
    assert message.format(cfg=cfg) in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_data_dir_and_missing_file(tmp_path):
    for text in ("clientPort=2181\n", "clientPort=2181\ndataDir=\n"):
        cfg = write_cfg(tmp_path, text)
        with pytest.raises(ConfigException, match="dataDir is not set"):
            QuorumPeerConfig().parse(cfg)
    missing = str(tmp_path / "nope.cfg")
    with pytest.raises(ConfigException) as info:
        QuorumPeerConfig().parse(missing)
    assert str(info.value) == f"Error processing {missing}: {missing} file is missing"
    assert info.value.getMessage() == f"Error processing {missing}"


@pytest.mark.parametrize("content, shown", [("abc\n", "abc"), ("", "null"), (" 1\n", " 1")])
def test_invalid_myid(tmp_path, content, shown):
    data = tmp_path / "data"
    data.mkdir()
    (data / "myid").write_text(content)
    cfg = write_cfg(tmp_path, f"dataDir={data}\n{QUORUM}")
    with pytest.raises(ConfigException) as info:
        QuorumPeerConfig().parse(cfg)
    assert str(info.value) == f"Error processing {cfg}: serverid {shown} is not a number"


def test_dynamic_config_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "myid").write_text("1")
    dynamic = tmp_path / "zoo.cfg.dynamic.100000000"
    dynamic.write_text("server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181\n"
                       "server.2=127.0.0.1:2889:3889:participant;127.0.0.1:2182\n"
                       "server.3=127.0.0.1:2890:3890:participant;127.0.0.1:2183\n")
    cfg = write_cfg(tmp_path, f"dataDir={data}\ninitLimit=10\nsyncLimit=5\ndynamicConfigFile={dynamic}\n")
    config = QuorumPeerConfig()
    config.parse(cfg)
    assert config.getQuorumVerifier().getVersion() == 0x100000000
    assert config.isDistributed()
    assert str(config.getClientPortAddress()) == "/127.0.0.1:2181"
    assert config.getLastSeenQuorumVerifier() is None
    # a proposed configuration waiting in <cfg>.dynamic.next becomes the last seen one
    Path(cfg + ".dynamic.next").write_text(dynamic.read_text() + "server.4=127.0.0.1:2891:3891:observer\n"
                                           "version=200000000\n")
    config = QuorumPeerConfig()
    config.parse(cfg)
    assert config.getLastSeenQuorumVerifier().getVersion() == 0x200000000
    assert sorted(config.getLastSeenQuorumVerifier().getAllMembers()) == [1, 2, 3, 4]


def test_dynamic_config_file_errors(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    dynamic = tmp_path / "zoo.cfg.dynamic"
    cfg = write_cfg(tmp_path, f"dataDir={data}\ndynamicConfigFile={dynamic}\n")
    dynamic.write_text("server.1=127.0.0.1:2888:3888\nversion=5\n")
    with pytest.raises(ConfigException, match="^dynamic file shouldn't have version inside$"):
        QuorumPeerConfig().parse(cfg)
    dynamic.write_text("server.1=127.0.0.1:2888:3888\ntickTime=2000\n")
    with pytest.raises(ConfigException, match="^Unrecognised parameter: tickTime$"):
        QuorumPeerConfig().parse(cfg)
    dynamic.unlink()
    with pytest.raises(ConfigException) as info:
        QuorumPeerConfig().parse(cfg)
    assert str(info.value).startswith(f"Error processing {dynamic}: ")


def test_version_from_filename():
    assert QuorumPeerConfig.getVersionFromFilename("zoo.cfg.dynamic.0") == "0"
    assert QuorumPeerConfig.getVersionFromFilename("zoo.cfg.dynamic.1001") == "1001"
    assert QuorumPeerConfig.getVersionFromFilename("zoo.cfg.dynamic.0100000000") == "100000000"
    assert QuorumPeerConfig.getVersionFromFilename("zoo.cfg.dynamic") is None
    assert QuorumPeerConfig.getVersionFromFilename("nodot") is None


def test_reconfig_backs_up_a_static_file_with_servers(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "myid").write_text("1")
    text = f"dataDir={data}\nreconfigEnabled=true\n{QUORUM}"
    cfg = write_cfg(tmp_path, text)
    QuorumPeerConfig().parse(cfg)
    assert Path(cfg + ".bak").read_text() == text


def test_server_config_from_arguments():
    config = ServerConfig()
    config.parse(["2181", "/var/zk"])
    assert str(config.getClientPortAddress()) == "0.0.0.0/0.0.0.0:2181"
    assert config.getDataDir() == config.getDataLogDir() == "/var/zk"
    assert (config.getTickTime(), config.getMaxClientCnxns()) == (3000, 0)
    assert (config.getMinSessionTimeout(), config.getMaxSessionTimeout()) == (-1, -1)
    config.parse(["2182", "/var//zk2/", "1000", "5"])
    assert config.getDataDir() == "/var/zk2"
    assert (config.getClientPortAddress().getPort(), config.getTickTime(), config.getMaxClientCnxns()) == (2182, 1000, 5)
    with pytest.raises(ValueError, match=r"^Invalid number of arguments:\[2181\]$"):
        config.parse(["2181"])
    with pytest.raises(ValueError, match=r"^Invalid number of arguments:\[1, 2, 3, 4, 5\]$"):
        config.parse(["1", "2", "3", "4", "5"])


def test_server_config_reads_from_quorum_peer_config(tmp_path):
    config = parse(tmp_path, "clientPort=2185\nclientPortAddress=127.0.0.1\ntickTime=1000\nmaxClientCnxns=9\n"
                             "clientPortListenBacklog=5\nmetricsProvider.x=y\n")
    server = ServerConfig()
    server.readFrom(config)
    assert server.getClientPortAddress() == ("127.0.0.1", 2185)
    assert (server.getTickTime(), server.getMaxClientCnxns(), server.getClientPortListenBacklog()) == (1000, 9, 5)
    assert (server.getMinSessionTimeout(), server.getMaxSessionTimeout()) == (2000, 20000)
    assert server.getDataDir() == config.getDataDir()
    assert server.initialConfig == config.getInitialConfig()
    assert dict(server.getMetricsProviderConfiguration()) == {"x": "y"}
    assert server.getJvmPauseWarnThresholdMs() == 10000


def test_parse_properties_directly(tmp_path):
    props = Properties()
    props.load(f"dataDir={tmp_path}\nclientPort=2190\n")
    config = QuorumPeerConfig()
    config.parseProperties(props)
    assert config.getClientPortAddress().getPort() == 2190


def test_quorum_peer_enums_print_like_java():
    assert str(QuorumPeer.ServerState.LEADING) == "LEADING"
    assert QuorumPeer.ServerState.OBSERVING.ordinal() == 3
    assert str(QuorumPeer.LearnerType.OBSERVER) == "OBSERVER"
    assert [s.name for s in QuorumPeer.ZabState] == ["ELECTION", "DISCOVERY", "SYNCHRONIZATION", "BROADCAST"]
    assert [s.name for s in QuorumPeer.SyncMode] == ["NONE", "DIFF", "SNAP", "TRUNC"]


# -- QuorumPeerMain: exit codes, -D arguments, quorum refusal -----------------------------------

def run_main(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = str(SRC) + os.pathsep + environment.get("PYTHONPATH", "")
    environment.pop("ZOO_LOG4J_PROP", None)
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "pyzookeeper.server.quorum.QuorumPeerMain", *args],
                          capture_output=True, text=True, timeout=60, env=environment, cwd=cwd)


def test_main_invalid_config_exits_2(tmp_path):
    cfg = write_cfg(tmp_path, f"dataDir={tmp_path}\nclientPort=abc\n")
    result = run_main(cfg)
    assert result.returncode == 2
    assert result.stderr.strip() == "Invalid config, exiting abnormally"
    assert "ERROR [main:QuorumPeerMain@" in result.stdout
    assert f'ConfigException: Error processing {cfg}: clientPort: For input string: "abc"' in result.stdout


def test_main_missing_config_exits_2(tmp_path):
    result = run_main(str(tmp_path / "missing.cfg"))
    assert result.returncode == 2
    assert "Invalid config, exiting abnormally" in result.stderr


def start_main_until(marker: str, *args: str, env: dict | None = None, timeout: float = 30) -> bool:
    """Start QuorumPeerMain, report whether ``marker`` appears in its output, then stop it."""
    environment = dict(os.environ)
    environment["PYTHONPATH"] = str(SRC) + os.pathsep + environment.get("PYTHONPATH", "")
    environment.pop("ZOO_LOG4J_PROP", None)
    environment.update(env or {})
    proc = subprocess.Popen([sys.executable, "-m", "pyzookeeper.server.quorum.QuorumPeerMain", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment)
    found = False
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if marker in line:
                found = True
                break
    finally:
        proc.kill()
        proc.wait(10)
        proc.stdout.close()
    return found


def test_main_d_arguments_and_jvmflags_set_system_properties(tmp_path):
    """-D arguments and SERVER_JVMFLAGS reach the parser: they enable multi-address server lines."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "myid").write_text("1\n")
    ports = [free_port() for _ in range(7)]
    cfg = write_cfg(tmp_path, f"dataDir={data}\ninitLimit=10\nsyncLimit=5\nclientPort={ports[0]}\n"
                              f"clientPortAddress=127.0.0.1\nadmin.enableServer=false\n"
                              f"server.1=127.0.0.1:{ports[1]}:{ports[2]}|127.0.0.2:{ports[1]}:{ports[2]}\n"
                              f"server.2=127.0.0.1:{ports[3]}:{ports[4]}\nserver.3=127.0.0.1:{ports[5]}:{ports[6]}\n")
    assert run_main(cfg).returncode == 2
    started = "Starting quorum peer"
    assert start_main_until(started, "-Dzookeeper.multiAddress.enabled=true", cfg)
    assert start_main_until(started, cfg, env={"SERVER_JVMFLAGS": "-Xmx512m -Dzookeeper.multiAddress.enabled=true"})
    # on the command line, a later -D wins over the environment
    overridden = run_main("-Dzookeeper.multiAddress.enabled=false", cfg,
                          env={"JVMFLAGS": "-Dzookeeper.multiAddress.enabled=true"})
    assert overridden.returncode == 2


def test_main_logs_to_rolling_file(tmp_path):
    cfg = write_cfg(tmp_path, f"dataDir={tmp_path}\nclientPort=abc\n")
    logs = tmp_path / "logs"
    result = run_main(f"-Dzookeeper.log.dir={logs}", "-Dzookeeper.log.file=zk.log", cfg,
                      env={"ZOO_LOG4J_PROP": "INFO,ROLLINGFILE"})
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Invalid config, exiting abnormally" in (logs / "zk.log").read_text()


def test_quorum_peer_writes_the_committed_config(tmp_path):
    """setQuorumVerifier(qv, True) splits the static file as 3.8 does on a new config:
    zoo.cfg.dynamic.<hex version>, the static file pointing at it, .dynamic.next removed."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "myid").write_text("2")
    cfg = write_cfg(tmp_path, f"dataDir={data}\nreconfigEnabled=true\ntickTime=2000\n{QUORUM}")
    config = QuorumPeerConfig()
    config.parse(cfg)
    peer = QuorumPeer()
    peer.setMyid(config.getServerId())
    peer.setConfigFileName(config.getConfigFilename())
    assert peer.setQuorumVerifier(config.getQuorumVerifier(), False) is None
    assert peer.getQuorumAddress().getOne() == ("127.0.0.1", 2889)
    assert peer.getElectionAddress().getOne().getPort() == 3889
    assert str(peer.getClientAddress()) == "0.0.0.0/0.0.0.0:2181"

    proposed = QuorumMaj(dict(config.getQuorumVerifier().getAllMembers()))
    proposed.setVersion(0x100000000)
    peer.setLastSeenQuorumVerifier(proposed, True)
    assert Path(cfg + ".dynamic.next").read_text().endswith("\nversion=100000000")
    committed = QuorumMaj(dict(config.getQuorumVerifier().getAllMembers()))
    committed.setVersion(0x100000000)
    previous = peer.setQuorumVerifier(committed, True)
    assert previous is config.getQuorumVerifier()
    assert not Path(cfg + ".dynamic.next").exists()
    assert Path(cfg + ".dynamic.100000000").read_text() == (
        "server.1=127.0.0.1:2888:3888:participant\n"
        "server.2=127.0.0.1:2889:3889:participant\n"
        "server.3=127.0.0.1:2890:3890:participant")
    static = Path(cfg).read_text()
    assert "server." not in static and "clientPort=2181\n" in static
    assert static.endswith(f"dynamicConfigFile={os.path.realpath(cfg)}.dynamic.100000000\n")
    # an older or equal version is ignored
    assert peer.setQuorumVerifier(config.getQuorumVerifier(), True) is committed
    reread = QuorumPeerConfig()
    reread.parse(cfg)
    assert reread.getQuorumVerifier().getVersion() == 0x100000000
    assert reread.getQuorumVerifier().toString() == committed.toString()
