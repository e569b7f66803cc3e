#!/usr/bin/env bash
# Start, stop and query the pyzookeeper server. Mirrors ZooKeeper's
# bin/zkServer.sh (with zkEnv.sh): same commands, variables, messages and exit
# codes, with Python in the place of the JVM.
#
#   ./zkserver.sh [--config <conf-dir>] {start|start-foreground|stop|restart|status|print-cmd|version} [zoo.cfg]
#
# ZOOCFGDIR (default ./conf), ZOOCFG (default zoo.cfg), ZOO_LOG_DIR (default
# ./logs), ZOO_LOG_FILE, ZOO_LOG4J_PROP (e.g. INFO,ROLLINGFILE), ZOOPIDFILE
# (default <dataDir>/zookeeper_server.pid), ZOO_DATADIR_AUTOCREATE_DISABLE,
# ZOO_NOEXEC. The -Dname=value words of SERVER_JVMFLAGS and JVMFLAGS become
# system properties of the server. With no config file given and none in
# conf/zoo.cfg or ./zoo.cfg, conf/zoo.cfg.sample is used.
#
# Differences from Java's script: the first start creates .venv (python3 -m
# venv; pip install -e .) when it is missing or older than setup.py/setup.cfg;
# start waits until the client port answers (or the server exits) instead of
# sleeping a second, and stop waits until the process is gone.

ZOOBIN="${BASH_SOURCE-$0}"
ZOOBIN="$(dirname "${ZOOBIN}")"
ZOOBINDIR="$(cd "${ZOOBIN}"; pwd)"

if [ $# -gt 1 ] && [ "--config" = "$1" ]; then
    shift
    ZOOCFGDIR=$1
    shift
fi

_ZOO_DEFAULT_CFG=true
if [ -n "$ZOOCFGDIR" ] || [ -n "$ZOOCFG" ] || [ -n "$2" ]; then
    _ZOO_DEFAULT_CFG=false
fi

ZOOCFGDIR="${ZOOCFGDIR:-$ZOOBINDIR/conf}"
export ZOOCFGDIR

if [ -f "${ZOOCFGDIR}/zookeeper-env.sh" ]; then
    . "${ZOOCFGDIR}/zookeeper-env.sh"
fi

if [ "x$ZOOCFG" = "x" ]; then
    ZOOCFG="zoo.cfg"
fi
ZOOCFG="$ZOOCFGDIR/$ZOOCFG"

if [ -f "$ZOOCFGDIR/java.env" ]; then
    . "$ZOOCFGDIR/java.env"
fi

if [ "x${ZOO_LOG_DIR}" = "x" ]; then
    ZOO_LOG_DIR="$ZOOBINDIR/logs"
fi

if [ "x$SERVER_JVMFLAGS" != "x" ]; then
    JVMFLAGS="$SERVER_JVMFLAGS $JVMFLAGS"
fi

if [ "x$2" != "x" ]; then
    ZOOCFG="$ZOOCFGDIR/$2"
fi

# a path with a directory in it is used as given, not looked up in $ZOOCFGDIR
if [ "x$(dirname "$ZOOCFG")" != "x$ZOOCFGDIR" ]; then
    ZOOCFG="$2"
fi

if $_ZOO_DEFAULT_CFG && [ ! -f "$ZOOCFG" ]; then
    if [ -f "$ZOOBINDIR/zoo.cfg" ]; then
        ZOOCFG="$ZOOBINDIR/zoo.cfg"
    else
        ZOOCFG="$ZOOCFGDIR/zoo.cfg.sample"
    fi
fi

echo "Using config: $ZOOCFG" >&2

GREP=grep
ZOO_DATADIR="$($GREP "^[[:space:]]*dataDir" "$ZOOCFG" | sed -e 's/.*=//')"
ZOO_DATADIR="$(echo -e "${ZOO_DATADIR}" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')"
ZOO_DATALOGDIR="$($GREP "^[[:space:]]*dataLogDir" "$ZOOCFG" | sed -e 's/.*=//')"

# with autocreate turned off the data directories must already exist
if [ -n "$ZOO_DATADIR_AUTOCREATE_DISABLE" ]; then
    if [ ! -d "$ZOO_DATADIR/version-2" ]; then
        echo "ZooKeeper data directory is missing at $ZOO_DATADIR fix the path or run initialize"
        exit 1
    fi

    if [ -n "$ZOO_DATALOGDIR" ] && [ ! -d "$ZOO_DATALOGDIR/version-2" ]; then
        echo "ZooKeeper txnlog directory is missing at $ZOO_DATALOGDIR fix the path or run initialize"
        exit 1
    fi
    ZOO_DATADIR_AUTOCREATE="-Dzookeeper.datadir.autocreate=false"
fi

if [ -z "$ZOOPIDFILE" ]; then
    if [ ! -d "$ZOO_DATADIR" ]; then
        mkdir -p "$ZOO_DATADIR"
    fi
    ZOOPIDFILE="$ZOO_DATADIR/zookeeper_server.pid"
else
    # ensure it exists, otw stop will fail
    mkdir -p "$(dirname "$ZOOPIDFILE")"
fi

if [ ! -w "$ZOO_LOG_DIR" ] ; then
    mkdir -p "$ZOO_LOG_DIR"
fi

_ZOO_USER="${USER:-$(id -un)}"
ZOO_LOG_FILE=${ZOO_LOG_FILE:-zookeeper-$_ZOO_USER-server-$HOSTNAME.log}
_ZOO_DAEMON_OUT="$ZOO_LOG_DIR/zookeeper-$_ZOO_USER-server-$HOSTNAME.out"

ZOO_VENV="$ZOOBINDIR/.venv"
PYTHON="$ZOO_VENV/bin/python"
ZOOMAIN="pyzookeeper.server.quorum.QuorumPeerMain"

# the -Dname=value words of the JVM flags, split as the JVM command line splits them
ZOO_SYSPROPS=()
set -f
for _flag in $JVMFLAGS; do
    case "$_flag" in
        -D?*) ZOO_SYSPROPS+=("$_flag") ;;
    esac
done
set +f

# Create .venv and install the package there when it is missing or older
# than setup.py/setup.cfg. `make test` uses the same .venv and adds the test
# extras (its marker is .venv/.installed); this one only installs the package.
zoo_bootstrap() {
    local marker fresh=false base="${ZOO_BOOTSTRAP_PYTHON:-python3}"
    for marker in "$ZOO_VENV/.installed" "$ZOO_VENV/.zkserver-installed"; do
        if [ -f "$marker" ] && [ ! "$ZOOBINDIR/setup.py" -nt "$marker" ] \
                && [ ! "$ZOOBINDIR/setup.cfg" -nt "$marker" ]; then
            fresh=true
        fi
    done
    if $fresh && "$PYTHON" -c 'import pyzookeeper' > /dev/null 2>&1; then
        return 0
    fi
    if ! type -p "$base" > /dev/null 2>&1; then
        echo "Error: $base could not be found in PATH (pyzookeeper needs Python >= 3.10)." >&2
        exit 1
    fi
    if ! "$base" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
        echo "Error: pyzookeeper needs Python >= 3.10; $base is $("$base" -V 2>&1)." >&2
        exit 1
    fi
    local setup_log="$ZOO_LOG_DIR/zkserver-setup.log"
    echo "Setting up $ZOO_VENV (python -m venv; pip install -e .), output in $setup_log ..." >&2
    if [ ! -x "$PYTHON" ] && ! "$base" -m venv "$ZOO_VENV" > "$setup_log" 2>&1; then
        echo "Error: '$base -m venv $ZOO_VENV' failed (on Debian/Ubuntu: apt-get install python3-venv); see $setup_log" >&2
        exit 1
    fi
    if ! "$PYTHON" -m pip install --quiet -e "$ZOOBINDIR" >> "$setup_log" 2>&1; then
        echo "Error: 'pip install -e .' into $ZOO_VENV failed; see $setup_log" >&2
        exit 1
    fi
    touch "$ZOO_VENV/.zkserver-installed"
}

# The client address and port of the configured server, as Java's status finds them:
# sets clientPortAddress, clientPort and isSSL, or exits 1.
zoo_client_port() {
    isSSL="false"
    clientPortAddress=`$GREP "^[[:space:]]*clientPortAddress[^[:alpha:]]" "$ZOOCFG" | sed -e 's/.*=//'`
    if ! [ $clientPortAddress ]
    then
        clientPortAddress="localhost"
    fi
    clientPort=`$GREP "^[[:space:]]*clientPort[^[:alpha:]]" "$ZOOCFG" | sed -e 's/.*=//'`
    if ! [[ "$clientPort" =~ ^[0-9]+$ ]]
    then
        dataDir=`$GREP "^[[:space:]]*dataDir" "$ZOOCFG" | sed -e 's/.*=//'`
        myid=`cat "$dataDir/myid" 2> /dev/null`
        if ! [[ "$myid" =~ ^[0-9]+$ ]] ; then
            echo "myid could not be determined, will not able to locate clientPort in the server configs."
        else
            clientPortAndAddress=`$GREP "^[[:space:]]*server.$myid=.*;.*" "$ZOOCFG" | sed -e 's/.*=//' | sed -e 's/.*;//'`
            if [ ! "$clientPortAndAddress" ] ; then
                echo "Client port not found in static config file. Looking in dynamic config file."
                dynamicConfigFile=`$GREP "^[[:space:]]*dynamicConfigFile" "$ZOOCFG" | sed -e 's/.*=//'`
                clientPortAndAddress=`$GREP "^[[:space:]]*server.$myid=.*;.*" "$dynamicConfigFile" | sed -e 's/.*=//' | sed -e 's/.*;//'`
            fi
            if [ ! "$clientPortAndAddress" ] ; then
                echo "Client port not found in the server configs"
            else
                if [[ "$clientPortAndAddress" =~ ^.*:[0-9]+ ]] ; then
                    if [[ "$clientPortAndAddress" =~ \[.*\]:[0-9]+ ]] ; then
                        # [127::1]:2181 -> 127::1
                        clientPortAddress=`echo "$clientPortAndAddress" | sed -e 's|\[||' | sed -e 's|\]:.*||'`
                    else
                        clientPortAddress=`echo "$clientPortAndAddress" | sed -e 's/:.*//'`
                    fi
                fi
                clientPort=`echo "$clientPortAndAddress" | sed -e 's/.*://'`
            fi
        fi
    fi
    if [ ! "$clientPort" ] ; then
        echo "Client port not found. Looking for secureClientPort in the static config."
        secureClientPort=`$GREP "^[[:space:]]*secureClientPort[^[:alpha:]]" "$ZOOCFG" | sed -e 's/.*=//'`
        if [ "$secureClientPort" ] ; then
            isSSL="true"
            clientPort=$secureClientPort
            clientPortAddress=`$GREP "^[[:space:]]*secureClientPortAddress[^[:alpha:]]" "$ZOOCFG" | sed -e 's/.*=//'`
            if ! [ $clientPortAddress ]
            then
                clientPortAddress="localhost"
            fi
        else
            echo "Unable to find either secure or unsecure client port in any configs. Terminating."
            exit 1
        fi
    fi
}

# Send a four-letter word and print the reply (FourLetterWordMain's part).
# Uses the python3 on PATH: it needs nothing but the standard library.
zoo_four_letter_word() {
    python3 - "$1" "$2" "$3" "$4" <<'EOF'
import socket, ssl, sys
host, port, cmd, secure = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "true"
try:
    with socket.create_connection((host.strip("[]"), port), timeout=5) as sock:
        if secure:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        sock.sendall(cmd.encode())
        chunks = []
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
except OSError:
    sys.exit(1)
sys.stdout.write(b"".join(chunks).decode("utf-8", "replace"))
EOF
}

zoo_require_config() {
    if [ ! -f "$ZOOCFG" ]; then
        echo "Error: config file $ZOOCFG not found." >&2
        exit 1
    fi
}

zoo_abs_dir() {
    (cd "$1" 2> /dev/null && pwd -P) || echo "$1"
}

zoo_where() {
    echo "Data directory: $(zoo_abs_dir "${ZOO_DATADIR:-.}")" >&2
    case ",${ZOO_LOG4J_PROP:-INFO,CONSOLE}," in
        *,ROLLINGFILE,*) echo "Log: $(zoo_abs_dir "$ZOO_LOG_DIR")/$ZOO_LOG_FILE" >&2 ;;
    esac
}

case $1 in
start)
    zoo_require_config
    zoo_bootstrap
    zoo_where
    echo "Server output: $(zoo_abs_dir "$ZOO_LOG_DIR")/$(basename "$_ZOO_DAEMON_OUT")" >&2
    echo  -n "Starting zookeeper ... "
    if [ -f "$ZOOPIDFILE" ]; then
      if kill -0 `cat "$ZOOPIDFILE"` > /dev/null 2>&1; then
         echo $command already running as process `cat "$ZOOPIDFILE"`.
         exit 1
      fi
    fi
    nohup "$PYTHON" -m $ZOOMAIN $ZOO_DATADIR_AUTOCREATE "-Dzookeeper.log.dir=${ZOO_LOG_DIR}" \
    "-Dzookeeper.log.file=${ZOO_LOG_FILE}" \
    "${ZOO_SYSPROPS[@]}" "$ZOOCFG" > "$_ZOO_DAEMON_OUT" 2>&1 < /dev/null &
    if [ $? -eq 0 ]
    then
      if printf '%s' $! > "$ZOOPIDFILE";
      then
        pid=$(cat "${ZOOPIDFILE}")
        if (zoo_client_port > /dev/null); then
          # wait until the client port answers, or the server has exited
          zoo_client_port > /dev/null
          deadline=$((SECONDS + ${ZOO_START_TIMEOUT:-30}))
          while ps -p "${pid}" > /dev/null 2>&1 && [ $SECONDS -lt $deadline ]; do
            if [ -n "$(zoo_four_letter_word "$clientPortAddress" "$clientPort" srvr "$isSSL" 2> /dev/null)" ]; then
              break
            fi
            sleep 0.2
          done
        else
          sleep 1
        fi
        if ps -p "${pid}" > /dev/null 2>&1; then
          echo STARTED
        else
          echo FAILED TO START
          rm -f "$ZOOPIDFILE"
          tail -n 5 "$_ZOO_DAEMON_OUT" >&2
          exit 1
        fi
      else
        echo FAILED TO WRITE PID
        exit 1
      fi
    else
      echo SERVER DID NOT START
      exit 1
    fi
    ;;
start-foreground)
    zoo_require_config
    zoo_bootstrap
    ZOO_CMD=(exec "$PYTHON")
    if [ "${ZOO_NOEXEC}" != "" ]; then
      ZOO_CMD=("$PYTHON")
    fi
    "${ZOO_CMD[@]}" -m $ZOOMAIN $ZOO_DATADIR_AUTOCREATE "-Dzookeeper.log.dir=${ZOO_LOG_DIR}" \
    "-Dzookeeper.log.file=${ZOO_LOG_FILE}" \
    "${ZOO_SYSPROPS[@]}" "$ZOOCFG"
    ;;
print-cmd)
    echo "\"$PYTHON\" -m $ZOOMAIN $ZOO_DATADIR_AUTOCREATE -Dzookeeper.log.dir=\"${ZOO_LOG_DIR}\" \
    -Dzookeeper.log.file=\"${ZOO_LOG_FILE}\" \
    ${ZOO_SYSPROPS[*]} \"$ZOOCFG\" > \"$_ZOO_DAEMON_OUT\" 2>&1 < /dev/null"
    ;;
stop)
    echo -n "Stopping zookeeper ... "
    if [ ! -f "$ZOOPIDFILE" ]
    then
      echo "no zookeeper to stop (could not find file $ZOOPIDFILE)"
    else
      pid=$(cat "$ZOOPIDFILE")
      kill $pid
      rm "$ZOOPIDFILE"
      deadline=$((SECONDS + ${ZOO_STOP_TIMEOUT:-30}))
      while kill -0 $pid > /dev/null 2>&1 && [ $SECONDS -lt $deadline ]; do
        sleep 0.1
      done
      if kill -0 $pid > /dev/null 2>&1; then
        echo "process $pid is still running after ${ZOO_STOP_TIMEOUT:-30} seconds" >&2
      fi
      echo STOPPED
    fi
    exit 0
    ;;
version)
    zoo_bootstrap
    "$PYTHON" -m pyzookeeper.version.VersionInfoMain 2> /dev/null
    ;;
restart)
    shift
    "$0" stop ${@}
    "$0" start ${@}
    ;;
status)
    zoo_client_port
    echo "Client port found: $clientPort. Client address: $clientPortAddress. Client SSL: $isSSL."
    STAT=`zoo_four_letter_word "$clientPortAddress" "$clientPort" srvr "$isSSL" 2> /dev/null | $GREP Mode`
    if [ "x$STAT" = "x" ]
    then
      if [ "$isSSL" = "true" ] ; then
        echo " "
        echo "Note: We used secureClientPort ($secureClientPort) to establish connection, but we failed. The 'status'"
        echo "  command establishes a client connection to the server to execute diagnostic commands. Please make sure"
        echo "  the server's certificate is trusted by this machine's default certificate store."
        echo " "
      fi
      echo "Error contacting service. It is probably not running."
      exit 1
    else
      echo $STAT
      exit 0
    fi
    ;;
*)
    echo "Usage: $0 [--config <conf-dir>] {start|start-foreground|stop|version|restart|status|print-cmd}" >&2

esac
