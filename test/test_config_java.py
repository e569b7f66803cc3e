"""zoo.cfg parsing against Java's QuorumPeerConfig (Debian's 3.8 jar, through
JPype): the same files give the same settings, the same QuorumVerifier text,
the same errors, and the same files written for a dynamic configuration."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pyzookeeper import system_properties
from pyzookeeper.common.java_properties import Properties, hashmap_order
from pyzookeeper.server.quorum.QuorumPeerConfig import ConfigException, QuorumPeerConfig
from pyzookeeper.server.util.ConfigUtils import ConfigUtils

pytestmark = pytest.mark.java


@pytest.fixture
def java(jvm):
    """Java's QuorumPeerConfig, its static switches reset around each test (ours too)."""
    from org.apache.zookeeper.server.quorum import QuorumPeerConfig as JavaQuorumPeerConfig
    saved = system_properties.getProperties()
    yield JavaQuorumPeerConfig
    for cls in (JavaQuorumPeerConfig, QuorumPeerConfig):
        cls.setStandaloneEnabled(True)
        cls.setReconfigEnabled(False)
    from java.lang import System
    System.clearProperty("zookeeper.multiAddress.enabled")
    for name in system_properties.getProperties():
        if name not in saved:
            system_properties.clearProperty(name)


def both(java, path: str):
    """Parse ``path`` with Java and with us; returns (java_config, our_config)."""
    j = java()
    j.parse(path)
    p = QuorumPeerConfig()
    p.parse(path)
    return j, p


def setup_dir(tmp_path: Path, text: str, myid: int | None = None) -> str:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    if myid is not None:
        (data / "myid").write_text(f"{myid}\n")
    cfg = tmp_path / "zoo.cfg"
    cfg.write_text(f"dataDir={data}\n" + text)
    return str(cfg)


def servers(n: int, base: int = 2888, ids=None) -> str:
    ids = ids or range(1, n + 1)
    return "".join(f"server.{sid}=127.0.0.1:{base + i}:{base + 1000 + i}\n" for i, sid in enumerate(ids))


QV_CONFIGS = {
    "majority": servers(3),
    "even": servers(4),
    "observers_and_client_addresses": (
        "server.1=127.0.0.1:2888:3888;2181\n"
        "server.2=localhost:2889:3889:participant;127.0.0.1:2182\n"
        "server.3=127.0.0.1:2890:3890:observer;localhost:2183\n"
        "server.4=[::1]:2891:3891;[::1]:2184\n"
        "server.5=[0:0:0:0:0:0:0:1]:2892:3892:PARTICIPANT\n"),
    "colliding_ids": servers(9, ids=[1, 17, 33, 65, 3, 19, 100, 1000, 4294967297]),
    "many": servers(40, ids=list(range(1, 81, 2))),
    "hierarchical": (servers(9) + "group.1=1:2:3\ngroup.2=4:5:6\ngroup.3=7:8:9\n"
                     "weight.1=3\nweight.2=1\nweight.4=0\nweight.5=2\nweight.9=7\n"),
    "hierarchical_observer": (servers(5) + "server.6=127.0.0.1:2900:3900:observer\n"
                              "group.10=1:2\ngroup.20=3:4:5\n"),
    "hierarchical_big_ids": (servers(4, ids=[3, 19, 35, 51]) + "group.17=3:51\ngroup.1=19:35\nweight.51=4\n"),
}


@pytest.mark.parametrize("name", sorted(QV_CONFIGS))
def test_quorum_verifier_text_matches_java(java, tmp_path, name):
    cfg = setup_dir(tmp_path, "initLimit=10\nsyncLimit=5\nclientPort=2181\n" + QV_CONFIGS[name], myid=1)
    j, p = both(java, cfg)
    assert p.getQuorumVerifier().toString() == str(j.getQuorumVerifier().toString())
    assert list(p.getQuorumVerifier().getAllMembers()) == [int(k) for k in j.getQuorumVerifier().getAllMembers().keySet()]
    assert list(p.getQuorumVerifier().getVotingMembers()) == [
        int(k) for k in j.getQuorumVerifier().getVotingMembers().keySet()]
    assert p.isDistributed() == bool(j.isDistributed())
    assert p.getServerId() == int(j.getServerId())
    assert str(p.getPeerType()) == str(j.getPeerType().toString())
    assert str(p.getClientPortAddress()) == str(j.getClientPortAddress().toString())
    for sid, qs in p.getQuorumVerifier().getAllMembers().items():
        jqs = j.getQuorumVerifier().getAllMembers().get(jlong(sid))
        assert qs.toString() == str(jqs.toString())
        assert qs.isClientAddrFromStatic == bool(jqs.isClientAddrFromStatic)
    for sid in p.getQuorumVerifier().getVotingMembers():
        assert p.getQuorumVerifier().getWeight(sid) == int(j.getQuorumVerifier().getWeight(sid))


def test_multi_address_servers_match_java(java, tmp_path):
    from java.lang import System
    System.setProperty("zookeeper.multiAddress.enabled", "true")
    system_properties.setProperty("zookeeper.multiAddress.enabled", "true")
    cfg = setup_dir(tmp_path, "initLimit=10\nsyncLimit=5\nclientPort=2181\n"
                              "server.1=127.0.0.2:2888:3888|127.0.0.1:2889:3889\n"
                              "server.2=127.0.0.3:2890:3890|127.0.0.4:2891:3891:observer\n"
                              "server.3=127.0.0.5:2892:3892\nserver.4=127.0.0.6:2893:3893\n", myid=3)
    j, p = both(java, cfg)
    assert p.getQuorumVerifier().toString() == str(j.getQuorumVerifier().toString())


def jlong(value: int):
    from java.lang import Long
    return Long(value)


SETTINGS_CONFIGS = {
    "minimal": "clientPort=2181\n",
    "no_client_port": "tickTime=1000\n",
    "everything": ("tickTime=2500\nclientPort=2182\nclientPortAddress=localhost\nsecureClientPort=2281\n"
                   "maxClientCnxns=7\nminSessionTimeout=5001\nmaxSessionTimeout=70000\nobserverMasterPort=2999\n"
                   "autopurge.snapRetainCount=1\nautopurge.purgeInterval=2\nsyncEnabled=false\n"
                   "clientPortListenBacklog=77\nlocalSessionsEnabled=true\nlocalSessionsUpgradingEnabled=true\n"
                   "quorumListenOnAllIPs=true\nconnectToLearnerMasterLimit=4\njvm.pause.monitor=true\n"
                   "jvm.pause.info-threshold.ms=11\nmultiAddress.reachabilityCheckTimeoutMs=250\n"),
    "properties_syntax": ("# comment\n  tickTime : 4000\nclientPort 2183\nmaxClientCnxns=\\\n    12\n"
                          "key\\ with\\ space=v\nunicode=\\u00e9t\\u00e9\n"),
    "quorum": "initLimit=10\nsyncLimit=5\nclientPort=2181\n" + servers(3),
    "quorum_observer": ("initLimit=10\nsyncLimit=5\nclientPort=2181\npeerType=observer\n" + servers(3)
                        + "server.4=127.0.0.1:2900:3900:observer;2181\n"),
}

GETTERS = ["getTickTime", "getMaxClientCnxns", "getMinSessionTimeout", "getMaxSessionTimeout",
           "getInitLimit", "getSyncLimit", "getConnectToLearnerMasterLimit", "getElectionAlg",
           "getSnapRetainCount", "getPurgeInterval", "getSyncEnabled", "getClientPortListenBacklog",
           "areLocalSessionsEnabled", "isLocalSessionsUpgradingEnabled", "getObserverMasterPort",
           "isDistributed", "getServerId", "getMetricsProviderClassName", "isJvmPauseMonitorToRun",
           "getJvmPauseInfoThresholdMs", "getJvmPauseWarnThresholdMs", "getJvmPauseSleepTimeMs",
           "isMultiAddressEnabled", "getMultiAddressReachabilityCheckTimeoutMs", "isSslQuorum",
           "shouldUsePortUnification", "getQuorumListenOnAllIPs", "getInitialConfig"]


@pytest.mark.parametrize("name", sorted(SETTINGS_CONFIGS))
def test_settings_match_java(java, tmp_path, name):
    cfg = setup_dir(tmp_path, SETTINGS_CONFIGS[name], myid=4 if name == "quorum_observer" else 1)
    j, p = both(java, cfg)
    for getter in GETTERS:
        jv = getattr(j, getter)()
        pv = getattr(p, getter)()
        assert pv == (str(jv) if isinstance(pv, str) else type(pv)(jv)), getter
    for getter in ("getClientPortAddress", "getSecureClientPortAddress"):
        jv, pv = getattr(j, getter)(), getattr(p, getter)()
        assert (None if jv is None else str(jv.toString())) == (None if pv is None else str(pv)), getter
    assert p.getDataDir() == str(j.getDataDir().toString())
    assert p.getDataLogDir() == str(j.getDataLogDir().toString())
    assert str(p.getPeerType()) == str(j.getPeerType().toString())
    assert p.getQuorumVerifier().toString() == str(j.getQuorumVerifier().toString())


def test_unknown_keys_set_the_same_system_properties(java, tmp_path):
    from java.lang import System
    keys = {"snapCount": "1000", "4lw.commands.whitelist": "srvr, ruok", "admin.enableServer": "false",
            "jute.maxbuffer": "1048576", "fsync.warningthresholdms": "50", "some.unknown.key": "  x y  "}
    cfg = setup_dir(tmp_path, "clientPort=2181\n" + "".join(f"{k}={v}\n" for k, v in keys.items()))
    both(java, cfg)
    for key in keys:
        name = "zookeeper." + key
        assert system_properties.getProperty(name) == str(System.getProperty(name)), name
        System.clearProperty(name)


ERROR_CONFIGS = {
    "bad_int": "clientPort=abc\n",
    "port_range": "clientPort=70000\n",
    "tick_zero": "clientPort=2181\ntickTime=0\n",
    "election_alg": "clientPort=2181\nelectionAlg=2\n",
    "peer_type": "clientPort=2181\npeerType=leader\n",
    "bool": "clientPort=2181\nsyncEnabled=yes\n",
    "address_without_port": "clientPortAddress=127.0.0.1\n",
    "sessions": "clientPort=2181\nminSessionTimeout=9000\nmaxSessionTimeout=8000\n",
    "sasl": "clientPort=2181\nquorum.auth.learnerRequireSasl=true\n",
    "client_address_conflict": ("initLimit=10\nsyncLimit=5\nclientPort=2181\n" + servers(2)
                                + "server.3=127.0.0.1:2900:3900;2184\n"),
    "dynamic_and_server": "clientPort=2181\ndynamicConfigFile=/nonexistent\nserver.1=127.0.0.1:2888:3888\n",
    "server_id": "clientPort=2181\nserver.x=127.0.0.1:2888:3888\n" + servers(2, ids=[2, 3]),
    "server_form": "clientPort=2181\nserver.1=127.0.0.1:2888\n" + servers(2, ids=[2, 3]),
    "same_ports": "clientPort=2181\nserver.1=127.0.0.1:2888:2888\n" + servers(2, ids=[2, 3]),
    "server_port": "clientPort=2181\nserver.1=127.0.0.1:2888:38x8\n" + servers(2, ids=[2, 3]),
    "trailing_space": "clientPort=2181\nserver.1=127.0.0.1:2888:3888   \n" + servers(2, ids=[2, 3]),
    "observers_only": "clientPort=2181\nserver.1=127.0.0.1:2888:3888:observer\n",
    "observer_single": "clientPort=2181\nserver.1=127.0.0.1:2888:3888:observer\nserver.2=127.0.0.1:2889:3889\n",
    "init_limit": "clientPort=2181\n" + servers(3),
    "sync_limit": "clientPort=2181\ninitLimit=5\n" + servers(3),
    "myid_missing": "clientPort=2181\ninitLimit=5\nsyncLimit=2\n" + servers(3),
    "multi_address": "clientPort=2181\nserver.1=127.0.0.1:2888:3888|127.0.0.2:2888:3888\n" + servers(2, ids=[2, 3]),
    "group_missing": "clientPort=2181\n" + servers(2) + "group.1=1\n",
    "group_twice": "clientPort=2181\n" + servers(2) + "group.1=1:2\ngroup.2=2\n",
}


def _java_messages(error) -> list[str]:
    messages = []
    while error is not None:
        message = error.getMessage()
        messages.append("" if message is None else str(message))
        error = error.getCause()
    return messages


@pytest.mark.parametrize("name", sorted(ERROR_CONFIGS))
def test_errors_match_java(java, tmp_path, name):
    """Java and we refuse the same files; our one-line message holds Java's message and its cause's."""
    from org.apache.zookeeper.server.quorum import QuorumPeerConfig as JQPC
    cfg = setup_dir(tmp_path, ERROR_CONFIGS[name], myid=3 if name == "client_address_conflict" else None)
    with pytest.raises(JQPC.ConfigException) as java_error:
        java().parse(cfg)
    with pytest.raises(ConfigException) as our_error:
        QuorumPeerConfig().parse(cfg)
    java_messages = _java_messages(java_error.value)
    assert our_error.value.getMessage() == java_messages[0]
    for message in java_messages[1:]:
        assert message in str(our_error.value)
    assert "\n" not in str(our_error.value)


def _write_both(java, tmp_path: Path, text: str, myid: int, erase: bool):
    """Java and we each split the same static file into static + dynamic files."""
    from org.apache.zookeeper.server.quorum import QuorumPeerConfig as JQPC
    results = []
    for side in ("java", "py"):
        d = tmp_path / side
        d.mkdir()
        (d / "data").mkdir()
        (d / "data" / "myid").write_text(str(myid))
        cfg = d / "zoo.cfg"
        cfg.write_text(f"dataDir={d / 'data'}\n" + text)
        dynamic = f"{cfg}.dynamic.100000000"
        if side == "java":
            config = java()
            config.parse(str(cfg))
            qv = config.getQuorumVerifier()
            qv.setVersion(0x100000000)
            JQPC.writeDynamicConfig(dynamic, qv, False)
            JQPC.editStaticConfig(str(cfg), dynamic, erase)
            JQPC.writeDynamicConfig(str(cfg) + ".dynamic.next", qv, True)
        else:
            config = QuorumPeerConfig()
            config.parse(str(cfg))
            qv = config.getQuorumVerifier()
            qv.setVersion(0x100000000)
            QuorumPeerConfig.writeDynamicConfig(dynamic, qv, False)
            QuorumPeerConfig.editStaticConfig(str(cfg), dynamic, erase)
            QuorumPeerConfig.writeDynamicConfig(str(cfg) + ".dynamic.next", qv, True)
        results.append({name: (d / name).read_text().replace(str(d), "<dir>")
                        for name in ("zoo.cfg", "zoo.cfg.dynamic.100000000", "zoo.cfg.dynamic.next")})
    return results


@pytest.mark.parametrize("erase", [False, True])
def test_dynamic_file_split_matches_java(java, tmp_path, erase):
    text = ("tickTime=2000\ninitLimit=10\nsyncLimit=5\nclientPort=2181\nclientPortAddress=127.0.0.1\n"
            "4lw.commands.whitelist=*\npeerType=participant\nautopurge.purgeInterval=1\n"
            "server.1=127.0.0.1:2888:3888;127.0.0.1:2181\nserver.2=127.0.0.1:2889:3889;2182\n"
            "server.3=127.0.0.1:2890:3890:observer\nserver.4=127.0.0.1:2891:3891\n"
            "group.1=1:2\ngroup.2=4\nweight.2=5\n")
    java_files, our_files = _write_both(java, tmp_path, text, 1, erase)
    assert our_files == java_files
    assert "server." not in our_files["zoo.cfg"]
    assert our_files["zoo.cfg"].endswith("dynamicConfigFile=<dir>/zoo.cfg.dynamic.100000000\n")


def test_split_files_parse_back(java, tmp_path):
    """The rewritten static file with its dynamic file reads as the same ensemble, on both sides."""
    text = "tickTime=2000\ninitLimit=10\nsyncLimit=5\nclientPort=2181\n" + servers(3)
    _write_both(java, tmp_path, text, 2, False)
    for side in ("java", "py"):
        cfg = str(tmp_path / side / "zoo.cfg")
        j, p = both(java, cfg)
        assert p.getQuorumVerifier().toString() == str(j.getQuorumVerifier().toString())
        assert p.getQuorumVerifier().getVersion() == 0x100000000
        assert p.getLastSeenQuorumVerifier().toString() == str(j.getLastSeenQuorumVerifier().toString())


def test_backward_compatible_backup_matches_java(java, tmp_path):
    text = "reconfigEnabled=true\ninitLimit=10\nsyncLimit=5\nclientPort=2181\n" + servers(3)
    for side in ("java", "py"):
        (tmp_path / side).mkdir()
        cfg = setup_dir(tmp_path / side, text, myid=1)
        (java() if side == "java" else QuorumPeerConfig()).parse(cfg)
    assert (tmp_path / "py" / "zoo.cfg.bak").read_bytes() == (tmp_path / "java" / "zoo.cfg.bak").read_bytes()\
        .replace(b"/java/", b"/py/")


def test_client_config_string_matches_java(jvm):
    from org.apache.zookeeper.server.util import ConfigUtils as JavaConfigUtils
    text = ("server.1=127.0.0.1:2888:3888;127.0.0.1:2181\nserver.2=127.0.0.1:2889:3889;2182\n"
            "server.3=127.0.0.1:2890:3890\nserver.17=[::1]:2891:3891;[::1]:2183\nversion=1a\n")
    assert ConfigUtils.getClientConfigStr(text) == str(JavaConfigUtils.getClientConfigStr(text))
    for s in ["127.0.0.1:2181", "[::1]:2181", "[::1]:2181:3181:observer", "host", "[::1]"]:
        assert ConfigUtils.getHostAndPort(s) == [str(x) for x in JavaConfigUtils.getHostAndPort(s)]


def test_properties_order_and_parsing_match_java(jvm):
    """Random files: Java's Properties iterates in the same order and reads the same entries."""
    from java.io import StringReader
    from java.lang import Long
    from java.util import HashMap
    from java.util import Properties as JavaProperties
    rnd = random.Random(20261122)
    pool = ([f"server.{i}" for i in range(200)] + [f"group.{i}" for i in range(20)]
            + [f"weight.{i}" for i in range(200)]
            + ["tickTime", "dataDir", "clientPort", "4lw.commands.whitelist", "admin.enableServer", "a\\ b"])
    for _ in range(200):
        keys = [rnd.choice(pool) for _ in range(rnd.randint(0, 100))]
        text = "".join(f"{k}{rnd.choice(['=', ':', ' ', ' = '])}{rnd.randint(0, 99)}\n" for k in keys)
        jp = JavaProperties()
        jp.load(StringReader(text))
        pp = Properties()
        pp.load(text)
        assert pp.keys() == [str(e.getKey()) for e in jp.entrySet()]
        assert pp.toString() == str(jp.toString())
        ids = [rnd.choice([rnd.randint(0, 300), rnd.randint(0, 1 << 40), 16 * rnd.randint(0, 20)])
               for _ in range(rnd.randint(0, 60))]
        jm = HashMap()
        for i in ids:
            jm.put(Long(i), Long(0))
        assert hashmap_order(ids) == [int(k) for k in jm.keySet()]
    edge_cases = ["a=b\\\n   c\\\n d\n", "# c\n! d\na=1\r\nb=2\rc=3", "a=\\u0041\\t\\n", "a=b\\", "\\\n#x=1\n",
                  "a\n\n\\\n  \nb=1", "=x\n:y", "a==b", "a=:b", "k\\\\=v", "  key  value with  spaces  "]
    for text in edge_cases:
        jp = JavaProperties()
        jp.load(StringReader(text))
        pp = Properties()
        pp.load(text)
        assert dict(pp.items()) == {str(k): str(jp.get(k)) for k in jp.keySet()}, text


@pytest.mark.parametrize("oracle", ["1", "0"])
def test_oracle_quorum_matches_java(java, tmp_path, oracle):
    """oraclePath: a two-server ensemble that lost its follower asks the oracle file."""
    from java.lang import Long
    from java.util import HashSet
    oracle_file = write_file(tmp_path / "oracle", oracle)
    cfg = setup_dir(tmp_path, f"initLimit=10\nsyncLimit=5\nclientPort=2181\noraclePath={oracle_file}\n"
                              + servers(2), myid=1)
    j, p = both(java, cfg)
    jqv, pqv = j.getQuorumVerifier(), p.getQuorumVerifier()
    assert type(pqv).__name__ == str(jqv.getClass().getSimpleName()) == "QuorumOracleMaj"
    assert pqv.toString() == str(jqv.toString())
    assert pqv.getOraclePath() == str(jqv.getOraclePath())
    for ack in ({1}, {1, 2}, set()):
        jset = HashSet()
        for sid in ack:
            jset.add(Long(sid))
        assert pqv.containsQuorum(ack) == bool(jqv.containsQuorum(jset)), ack
    assert pqv.askOracle() == bool(jqv.askOracle()) == (oracle == "1")


def write_file(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_hierarchical_from_file_matches_java(jvm, tmp_path):
    from org.apache.zookeeper.server.quorum.flexible import QuorumHierarchical as JavaQuorumHierarchical
    from org.apache.zookeeper.server.quorum.QuorumPeerConfig import ConfigException as JavaConfigException

    from pyzookeeper.server.quorum.flexible.QuorumHierarchical import QuorumHierarchical
    path = write_file(tmp_path / "hier.cfg", servers(5) + "group.1=1:2:3\ngroup.2=4:5\nweight.3=2\nversion=a\n")
    assert QuorumHierarchical(str(path)).toString() == str(JavaQuorumHierarchical(str(path)).toString())
    missing = str(tmp_path / "missing.cfg")
    with pytest.raises(JavaConfigException) as java_error:
        JavaQuorumHierarchical(missing)
    with pytest.raises(ConfigException) as our_error:
        QuorumHierarchical(missing)
    assert our_error.value.getMessage() == str(java_error.value.getMessage()) == f"Error processing {missing}"
    assert str(our_error.value) == f"Error processing {missing}: {missing} file is missing"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "0.0.0.0", "::1", "[::1]", "::", "2001:db8::1",
                                  "::ffff:10.0.0.1", "", "no-such-host.invalid"])
def test_socket_addresses_print_like_java(jvm, host):
    from java.net import InetSocketAddress as JavaInetSocketAddress

    from pyzookeeper.common.NetUtils import NetUtils
    from pyzookeeper.common.inet_address import InetSocketAddress
    ours = InetSocketAddress(host, 2181)
    theirs = JavaInetSocketAddress(host, 2181)
    assert str(ours) == str(theirs.toString())
    assert ours.getHostString() == str(theirs.getHostString())
    assert ours.isUnresolved() == bool(theirs.isUnresolved())
    if not ours.isUnresolved():
        assert ours.getAddress().getHostAddress() == str(theirs.getAddress().getHostAddress())
        assert ours.getAddress().isAnyLocalAddress() == bool(theirs.getAddress().isAnyLocalAddress())
        assert ours.getAddress().isLoopbackAddress() == bool(theirs.getAddress().isLoopbackAddress())
    # branch-3.8 formats with the host string, a change made after 3.8.0: the Debian 3.8.0 jar prints
    # the address instead, so the newer behaviour is spelled out here rather than taken from the jar
    host_string = ours.getHostString()
    expected = f"[{host_string}]:2181" if ":" in host_string and not ours.isUnresolved() else f"{host_string}:2181"
    assert NetUtils.formatInetAddr(ours) == expected
    assert str(InetSocketAddress(2181)) == str(JavaInetSocketAddress(2181).toString()) == "0.0.0.0/0.0.0.0:2181"


def test_zkconfig_matches_java(jvm, tmp_path, caplog):
    from org.apache.zookeeper.common import ZKConfig as JavaZKConfig

    from pyzookeeper.common.ZKConfig import ZKConfig
    path = write_file(tmp_path / "client.cfg", "zookeeper.ssl.keyStore.password = secret\nhex=0x1F\noct=010\n"
                                              "neg=-5\nflag= TRUE \nplain=value \nzookeeper.ssl.protocol=TLSv1.3\n")
    with caplog.at_level("INFO"):
        ours = ZKConfig(str(path))
    theirs = JavaZKConfig(str(path))
    for key in ("hex", "oct", "neg"):
        assert ours.getInt(key, 7) == int(theirs.getInt(key, 7))
    assert ours.getInt("absent", 7) == 7
    for key in ("flag", "plain", "absent"):
        assert ours.getBoolean(key) == bool(theirs.getBoolean(key))
    for key in ("plain", "zookeeper.ssl.protocol", "zookeeper.ssl.keyStore.password", "jute.maxbuffer"):
        value = theirs.getProperty(key)
        assert ours.getProperty(key) == (None if value is None else str(value))
    assert "secret" not in caplog.text and "'zookeeper.ssl.keyStore.password': '***'" in caplog.text
    with pytest.raises(ValueError):
        ours.getInt("plain", 0)
    missing = tmp_path / "missing.cfg"
    with pytest.raises(ConfigException, match=f"^Error while processing {missing}: {missing} file is missing$"):
        ZKConfig(str(missing))
