"""zkserver.sh: the commands, messages and exit codes of Java's zkServer.sh,
compared with Debian's zkServer.sh where both can run; and start/status/stop
of a real server through the script."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from javaref import JavaZooKeeperServer, four_letter_word, free_port, java_missing_reason, serving_mode, wait_for

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "zkserver.sh"
JAVA_SCRIPT = Path("/usr/share/zookeeper/bin/zkServer.sh")


def run(args: list[str], env: dict | None = None, cwd: Path | None = None, script: Path = SCRIPT,
        timeout: float = 120) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("ZOOCFGDIR", "ZOOCFG", "ZOO_LOG_DIR", "ZOOPIDFILE", "ZOO_LOG4J_PROP",
                                "SERVER_JVMFLAGS", "JVMFLAGS", "ZOO_LOG_FILE")}
    environment.update(env or {})
    return subprocess.run(["bash", str(script), *args], capture_output=True, text=True, timeout=timeout,
                          env=environment, cwd=cwd)


def java_script_missing() -> str | None:
    reason = java_missing_reason()
    if reason:
        return reason
    if not JAVA_SCRIPT.exists():
        return f"{JAVA_SCRIPT} is missing (apt-get install zookeeper)"
    return None


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_version(tmp_path):
    result = run(["version"], env={"ZOO_LOG_DIR": str(tmp_path / "logs")})
    assert result.returncode == 0
    assert result.stdout.startswith("Apache ZooKeeper, version 3.8.0-pyzookeeper-")
    assert len(result.stdout.splitlines()) == 1
    assert "Using config:" in result.stderr


def test_print_cmd(tmp_path):
    cfg = write(tmp_path / "zoo.cfg", f"dataDir={tmp_path / 'data'}\nclientPort=2181\n")
    logs = tmp_path / "logs"
    result = run(["print-cmd", str(cfg)], env={
        "ZOO_LOG_DIR": str(logs), "ZOO_LOG_FILE": "zk.log",
        "SERVER_JVMFLAGS": "-Xmx1g -Dzookeeper.extendedTypesEnabled=true",
        "JVMFLAGS": "-Djute.maxbuffer=2000000 -XX:+UseG1GC"})
    assert result.returncode == 0
    words = result.stdout.split()
    assert words[0] == f'"{REPO}/.venv/bin/python"'
    assert words[1:3] == ["-m", "pyzookeeper.server.quorum.QuorumPeerMain"]
    assert f'-Dzookeeper.log.dir="{logs}"' in words
    assert '-Dzookeeper.log.file="zk.log"' in words
    assert words.index("-Dzookeeper.extendedTypesEnabled=true") < words.index("-Djute.maxbuffer=2000000")
    assert not any(w.startswith(("-Xmx", "-XX")) for w in words)
    assert f'"{cfg}"' in words
    assert result.stdout.rstrip().endswith("2>&1 < /dev/null")
    assert f"{logs}/zookeeper-" in result.stdout and "-server-" in result.stdout


def test_usage_goes_to_stderr():
    result = run(["frobnicate"])
    assert result.returncode == 0
    assert "Usage:" in result.stderr and "{start|start-foreground|stop|version|restart|status|print-cmd}" in result.stderr


def test_stop_when_nothing_runs(tmp_path):
    data = tmp_path / "data"
    cfg = write(tmp_path / "zoo.cfg", f"dataDir={data}\nclientPort=2181\n")
    result = run(["stop", str(cfg)])
    assert result.returncode == 0
    assert result.stdout == f"Stopping zookeeper ... no zookeeper to stop (could not find file {data}/zookeeper_server.pid)\n"


def test_default_config_selection(tmp_path):
    """conf/zoo.cfg, else ./zoo.cfg next to the script, else conf/zoo.cfg.sample."""
    home = tmp_path / "home"
    (home / "conf").mkdir(parents=True)
    shutil.copy(SCRIPT, home / "zkserver.sh")
    shutil.copy(REPO / "conf" / "zoo.cfg.sample", home / "conf" / "zoo.cfg.sample")
    env = {"ZOO_LOG_DIR": str(tmp_path / "logs")}

    def used() -> str:
        result = run(["print-cmd"], env=env, cwd=home, script=home / "zkserver.sh")
        assert result.returncode == 0
        return result.stderr.splitlines()[0]

    assert used() == f"Using config: {home}/conf/zoo.cfg.sample"
    assert (home / "data").is_dir()  # the pid file's directory: the sample's ./data
    write(home / "zoo.cfg", "dataDir=./data\nclientPort=2181\n")
    assert used() == f"Using config: {home}/zoo.cfg"
    write(home / "conf" / "zoo.cfg", "dataDir=./data\nclientPort=2181\n")
    assert used() == f"Using config: {home}/conf/zoo.cfg"


def test_sample_config_is_valid_and_as_documented(tmp_path, monkeypatch):
    from pyzookeeper.server.quorum.QuorumPeerConfig import QuorumPeerConfig
    monkeypatch.chdir(tmp_path)
    config = QuorumPeerConfig()
    config.parse(str(REPO / "conf" / "zoo.cfg.sample"))
    assert (config.getTickTime(), config.getInitLimit(), config.getSyncLimit()) == (2000, 10, 5)
    assert config.getClientPortAddress().getPort() == 2181
    assert config.getDataDir() == "./data"
    assert not config.isDistributed()


def config_cases(tmp_path: Path) -> dict[str, tuple[Path, dict]]:
    """Configurations for the client-port search of `status`, each with its env."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "myid").write_text("2\n")
    dyn = write(tmp_path / "zoo.cfg.dynamic.100000000",
                "server.1=127.0.0.1:2888:3888:participant;127.0.0.1:21811\n"
                "server.2=127.0.0.1:2889:3889:participant;[::1]:21812\n")
    cases = {
        "address": f"dataDir={data}\nclientPort=21801\nclientPortAddress=127.0.0.1\n",
        "no_address": f"dataDir={data}\nclientPort=21802\n",
        "server_line": (f"dataDir={data}\nserver.1=127.0.0.1:2888:3888;21803\n"
                        "server.2=127.0.0.1:2889:3889;127.0.0.1:21804\n"),
        "server_line_ipv6": f"dataDir={data}\nserver.2=[::1]:2889:3889;[::1]:21805\n",
        "dynamic_file": f"dataDir={data}\ndynamicConfigFile={dyn}\n",
        "no_port": f"dataDir={data}\n",
        "myid_unknown": f"dataDir={tmp_path}\nserver.1=127.0.0.1:2888:3888;21806\n",
    }
    return {name: (write(tmp_path / f"{name}.cfg", text), {}) for name, text in cases.items()}


def test_status_when_nothing_runs(tmp_path):
    cases = config_cases(tmp_path)
    result = run(["status", str(cases["address"][0])])
    assert result.returncode == 1
    assert result.stdout == ("Client port found: 21801. Client address: 127.0.0.1. Client SSL: false.\n"
                             "Error contacting service. It is probably not running.\n")
    result = run(["status", str(cases["no_port"][0])])
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == ("Unable to find either secure or unsecure client port in any "
                                              "configs. Terminating.")


def test_status_messages_match_java_script(tmp_path):
    reason = java_script_missing()
    if reason:
        pytest.skip(reason)
    for name, (cfg, env) in config_cases(tmp_path).items():
        ours = run(["status", str(cfg)], env=env)
        java = run(["status", str(cfg)], env=env, script=JAVA_SCRIPT)
        assert (ours.returncode, ours.stdout) == (java.returncode, java.stdout), name
        assert f"Using config: {cfg}\n" in ours.stderr and f"Using config: {cfg}\n" in java.stderr, name


def test_config_lookup(tmp_path):
    """ZOOCFGDIR, ZOOCFG, --config and the config argument, resolved as upstream zkEnv.sh/zkServer.sh do:
    a bare file name is looked up in ZOOCFGDIR, a path with a directory is taken as given."""
    confdir = tmp_path / "confdir"
    write(confdir / "zoo.cfg", f"dataDir={tmp_path / 'data'}\nclientPort=21901\n")
    write(confdir / "other.cfg", f"dataDir={tmp_path / 'data'}\nclientPort=21902\n")
    write(tmp_path / "sub" / "third.cfg", f"dataDir={tmp_path / 'data'}\nclientPort=21903\n")
    cases = [
        (["status"], {"ZOOCFGDIR": str(confdir)}, f"{confdir}/zoo.cfg", 21901),
        (["status"], {"ZOOCFGDIR": str(confdir), "ZOOCFG": "other.cfg"}, f"{confdir}/other.cfg", 21902),
        (["status", "other.cfg"], {"ZOOCFGDIR": str(confdir)}, f"{confdir}/other.cfg", 21902),
        (["status", "sub/third.cfg"], {"ZOOCFGDIR": str(confdir)}, "sub/third.cfg", 21903),
        (["status", str(tmp_path / "sub" / "third.cfg")], {}, str(tmp_path / "sub" / "third.cfg"), 21903),
        (["--config", str(confdir), "status"], {}, f"{confdir}/zoo.cfg", 21901),
        (["--config", str(confdir), "status", "other.cfg"], {}, f"{confdir}/other.cfg", 21902),
    ]
    for args, env, used, port in cases:
        result = run(args, env=env, cwd=tmp_path)
        assert result.stderr.splitlines()[0] == f"Using config: {used}", args
        assert result.stdout.startswith(f"Client port found: {port}. "), args


def test_status_of_a_running_java_server(tmp_path):
    """`status` asks the server itself (srvr) for its mode."""
    reason = java_missing_reason()
    if reason:
        pytest.skip(reason)
    with JavaZooKeeperServer(tmp_path / "java") as server:
        cfg = write(tmp_path / "zoo.cfg", f"dataDir={tmp_path / 'data'}\nclientPort={server.port}\n"
                                          "clientPortAddress=127.0.0.1\n")
        result = run(["status", str(cfg)])
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"Client port found: {server.port}. Client address: 127.0.0.1. Client SSL: false.", "Mode: standalone"]


# -- a real server through the script ---------------------------------------------------------

STANDALONE_MODULES = ("pyzookeeper.server.ZooKeeperServerMain", "pyzookeeper.server.NIOServerCnxnFactory",
                      "pyzookeeper.server.admin.AdminServer", "pyzookeeper.server.admin.AdminServerFactory")


def standalone_server_missing() -> str | None:
    missing = [m for m in STANDALONE_MODULES if importlib.util.find_spec(m) is None]
    return f"the standalone server is not complete yet (missing {', '.join(missing)})" if missing else None


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@contextlib.contextmanager
def killed_at_exit(pidfile: Path):
    """Whatever the test's outcome, no server started through the script outlives it."""
    pids: set[int] = set()
    try:
        yield pids
    finally:
        if pidfile.exists():
            pids.add(int(pidfile.read_text()))
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_start_status_stop(tmp_path):
    reason = standalone_server_missing()
    if reason:
        pytest.skip(reason)
    from kazoo.client import KazooClient

    port = free_port()
    data = tmp_path / "data"
    logs = tmp_path / "logs"
    cfg = write(tmp_path / "zoo.cfg", f"tickTime=2000\ndataDir={data}\nclientPort={port}\n"
                                      "clientPortAddress=127.0.0.1\nadmin.enableServer=false\n")
    env = {"ZOO_LOG_DIR": str(logs),
           "SERVER_JVMFLAGS": "-Dzookeeper.4lw.commands.whitelist=ruok,srvr"}
    pidfile = data / "zookeeper_server.pid"
    with killed_at_exit(pidfile) as pids:
        started = run(["start", str(cfg)], env=env)
        assert started.returncode == 0, started.stdout + started.stderr
        assert started.stdout == "Starting zookeeper ... STARTED\n"
        assert f"Data directory: {data}" in started.stderr
        pid = int(pidfile.read_text())
        pids.add(pid)
        assert process_alive(pid)

        assert four_letter_word(port, "ruok") == "imok"
        # the script waits for srvr to answer; the server serves a moment later
        assert wait_for(lambda: serving_mode(port), what="the server to serve") == "standalone"
        assert four_letter_word(port, "srvr").startswith("Zookeeper version: 3.8.0-pyzookeeper-")
        # the whitelist came from SERVER_JVMFLAGS
        assert four_letter_word(port, "stat") == "stat is not executed because it is not in the whitelist.\n"

        client = KazooClient(hosts=f"127.0.0.1:{port}")
        client.start(timeout=15)
        try:
            client.create("/zkserver-sh", b"hello")
            assert client.get("/zkserver-sh")[0] == b"hello"
        finally:
            client.stop()
            client.close()

        again = run(["start", str(cfg)], env=env)
        assert again.returncode == 1
        assert again.stdout == f"Starting zookeeper ... already running as process {pid}.\n"

        status = run(["status", str(cfg)], env=env)
        assert status.returncode == 0
        assert status.stdout.splitlines()[-1] == "Mode: standalone"
        if java_script_missing() is None:
            java_status = run(["status", str(cfg)], env=env, script=JAVA_SCRIPT)
            assert java_status.stdout == status.stdout

        restarted = run(["restart", str(cfg)], env=env)
        assert restarted.returncode == 0
        assert restarted.stdout == "Stopping zookeeper ... STOPPED\nStarting zookeeper ... STARTED\n"
        assert not process_alive(pid)
        pid = int(pidfile.read_text())
        pids.add(pid)
        wait_for(lambda: serving_mode(port), timeout=30, what="the restarted server to serve")

        stopped = run(["stop", str(cfg)], env=env)
        assert stopped.returncode == 0
        assert stopped.stdout == "Stopping zookeeper ... STOPPED\n"
        assert not process_alive(pid)
        assert not pidfile.exists()
        after = run(["status", str(cfg)], env=env)
        assert after.returncode == 1
        assert after.stdout.splitlines()[-1] == "Error contacting service. It is probably not running."
    out = next(logs.glob("zookeeper-*-server-*.out")).read_text()
    assert "Reading configuration from: " + str(cfg) in out


def test_start_with_invalid_config_fails(tmp_path):
    cfg = write(tmp_path / "zoo.cfg", f"dataDir={tmp_path / 'data'}\nclientPort=2181\ntickTime=abc\n")
    logs = tmp_path / "logs"
    with killed_at_exit(tmp_path / "data" / "zookeeper_server.pid"):
        result = run(["start", str(cfg)], env={"ZOO_LOG_DIR": str(logs)})
    assert result.returncode == 1
    assert result.stdout == "Starting zookeeper ... FAILED TO START\n"
    assert "Invalid config, exiting abnormally" in result.stderr
    assert not (tmp_path / "data" / "zookeeper_server.pid").exists()


@pytest.mark.soak
def test_fresh_clone_bootstraps_its_environment(tmp_path):
    """A clone with no .venv: the first command creates it and installs the package; the next reuses it."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    env = {"ZOO_LOG_DIR": str(tmp_path / "logs")}
    first = run(["version"], env=env, cwd=clone, script=clone / "zkserver.sh", timeout=600)
    assert first.returncode == 0, first.stderr
    assert "Setting up" in first.stderr
    assert first.stdout.startswith("Apache ZooKeeper, version 3.8.0-pyzookeeper-")
    assert (clone / ".venv" / ".zkserver-installed").exists()
    assert not (clone / ".venv" / ".installed").exists()
    second = run(["version"], env=env, cwd=clone, script=clone / "zkserver.sh")
    assert second.returncode == 0 and "Setting up" not in second.stderr
