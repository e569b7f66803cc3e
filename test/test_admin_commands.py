"""The admin command framework without a server: the command table against
Java's Commands, CommandResponse, and the JSON writer against Java's
JsonOutputter (Jackson) on the same responses, through JPype."""

from __future__ import annotations

import datetime
import io
import json
import math
import random

import pytest

from pyzookeeper.common.inet_address import InetSocketAddress
from pyzookeeper.server.admin.CommandBase import CommandBase
from pyzookeeper.server.admin.CommandResponse import CommandResponse
from pyzookeeper.server.admin.Commands import Commands
from pyzookeeper.server.admin.JsonOutputter import JsonOutputter, java_double, snake_case, write_json
from pyzookeeper.server.quorum.BufferStats import BufferStats
from pyzookeeper.server.ServerStats import ServerStats
from pyzookeeper.server.ZooKeeperServerConf import ZooKeeperServerConf


def output(response: CommandResponse) -> str:
    text = io.StringIO()
    JsonOutputter().output(response, text)
    return text.getvalue()


def java_output(jvm, response) -> str:
    from java.io import PrintWriter, StringWriter
    from org.apache.zookeeper.server.admin import JsonOutputter as JJsonOutputter

    writer = StringWriter()
    pw = PrintWriter(writer)
    JJsonOutputter().output(response, pw)
    pw.flush()
    return str(writer.toString())


@pytest.mark.java
def test_command_names_and_aliases_match_java(jvm):
    from org.apache.zookeeper.server.admin import Commands as JCommands

    assert Commands.getPrimaryNames() == {str(n) for n in JCommands.getPrimaryNames()}
    for primary in Commands.getPrimaryNames():
        java = JCommands.getCommand(primary)
        ours = Commands.getCommand(primary)
        assert ours.getNames() == {str(n) for n in java.getNames()}, primary
        assert ours.isServerRequired() == bool(java.isServerRequired()), primary
        for alias in ours.getNames():
            assert Commands.getCommand(alias) is ours


def test_run_command_errors_without_a_server():
    response = Commands.runCommand("nope", None, {})
    assert response.toMap() == {"command": "nope", "error": "Unknown command: nope"}
    response = Commands.runCommand("srvr", None, {})
    assert response.toMap() == {"command": "srvr",
                                "error": "This ZooKeeper instance is not currently serving requests"}
    assert Commands.runCommand("ruok", None, {}).getError() is not None
    response = Commands.runCommand("gtmk", None, {})
    assert response.getError() is None and isinstance(response.toMap()["tracemask"], int)


def test_set_trace_mask_arguments():
    from pyzookeeper.server.ZooTrace import ZooTrace

    before = ZooTrace.getTextTraceLevel()
    try:
        assert Commands.runCommand("stmk", None, {}).toMap() == {
            "error": "setTraceMask requires long traceMask argument", "command": "set_trace_mask"}
        assert Commands.runCommand("stmk", None, {"traceMask": "0x10"}).toMap()["error"] == (
            "setTraceMask requires long traceMask argument, got 0x10")
        assert Commands.runCommand("stmk", None, {"traceMask": "99999999999999999999"}).toMap()["error"].endswith(
            "got 99999999999999999999")
        assert Commands.runCommand("set_trace_mask", None, {"traceMask": "-5"}).toMap()["tracemask"] == -5
        assert ZooTrace.getTextTraceLevel() == -5
        assert Commands.runCommand("gtmk", None, {}).toMap()["tracemask"] == -5
    finally:
        ZooTrace.setTextTraceLevel(before)


def test_register_command_and_response_key_order(caplog):
    class Echo(CommandBase):
        def __init__(self) -> None:
            super().__init__(["echo_test", "ecto"], False, "echoes")

        def run(self, zkServer, kwargs):
            response = self.initializeResponse()
            response.putAll(kwargs)
            return response

    Commands.registerCommand(Echo())
    try:
        response = Commands.runCommand("ecto", None, {"b": "1", "error": "x", "a": "2"})
        assert list(response.toMap().items()) == [("b", "1"), ("error", "x"), ("a", "2"), ("command", "echo_test")]
        Commands.registerCommand(Echo())
        assert "Re-registering command" in caplog.text
    finally:
        for name in ("echo_test", "ecto"):
            Commands.commands.pop(name, None)
        Commands.primaryNames.discard("echo_test")


def sample_values():
    rng = random.Random(5)
    doubles = [0.0, -0.0, 1.0, 8.25, 1e-5, 0.001, 0.00099, 9999999.0, 1e7, 12345678.9, -3.5e-10, 1e300, 123.456,
               2.0 / 3, 100.0] + [rng.uniform(-1e9, 1e9) for _ in range(30)] + [10 ** rng.uniform(-12, 12)
                                                                              for _ in range(30)]
    strings = ["", "plain", "é中😀", "quote\" back\\ slash/", "ctl\u0001\u001f\t\n\r\b\f", "\u2028\u007f"]
    return doubles, strings


@pytest.mark.java
def test_json_equals_jackson_for_the_same_response(jvm):
    from java.lang import Boolean, Double, Integer, Long
    from java.util import ArrayList, LinkedHashMap
    from org.apache.zookeeper.server.admin import CommandResponse as JCommandResponse

    doubles, strings = sample_values()
    ours = CommandResponse("cmd_name")
    java = JCommandResponse("cmd_name")

    def both(key, py_value, java_value):
        ours.put(key, py_value)
        java.put(key, java_value)

    for i, d in enumerate(doubles):
        both(f"double_{i}", d, Double(d))
    for i, s in enumerate(strings):
        both(f"string_{i}", s, s)
    both("int", 7, Integer(7))
    both("long", -(2**63), Long(-(2**63)))
    both("true", True, Boolean(True))
    both("null", None, None)
    both("empty_list", [], ArrayList())
    both("empty_map", {}, LinkedHashMap())
    nested = LinkedHashMap()
    inner = ArrayList()
    for v in (1, 2, 3):
        inner.add(Long(v))
    nested.put(Long(72057638399442944), inner)
    nested.put(Long(5), ArrayList())
    both("nested", {72057638399442944: [1, 2, 3], 5: []}, nested)
    objects = ArrayList()
    for n in range(2):
        m = LinkedHashMap()
        m.put("a", Long(n))
        m.put("b", ArrayList([LinkedHashMap()]))
        objects.add(m)
    both("objects", [{"a": 0, "b": [{}]}, {"a": 1, "b": [{}]}], objects)
    both("error", "overrides the error key", "overrides the error key")
    assert output(ours) == java_output(jvm, java)

    assert output(CommandResponse("x", "bad")) == java_output(jvm, JCommandResponse("x", "bad"))


@pytest.mark.java
def test_double_text_equals_java(jvm):
    from java.lang import Double

    doubles, _ = sample_values()
    for d in doubles:
        assert java_double(d) == str(Double.toString(d)), d
    assert write_json(math.nan) == '"NaN"' and write_json(-math.inf) == '"-Infinity"'


@pytest.mark.java
def test_snake_case_equals_jackson(jvm):
    from com.fasterxml.jackson.databind import PropertyNamingStrategies

    strategy = PropertyNamingStrategies.SnakeCaseStrategy()
    for name in ["nonMTLSRemoteConnCount", "providerNull", "lastBufferSize", "x", "URL", "_private", "a_b", "aBC",
                 "numAliveClientConnections", "", "allReachableAddressesOrAll", "ABcD"]:
        assert snake_case(name) == str(strategy.translate(name)), name


@pytest.mark.java
def test_beans_serialize_like_jackson(jvm):
    from org.apache.zookeeper.server import ZooKeeperServerConf as JConf
    from org.apache.zookeeper.server.quorum import BufferStats as JBufferStats

    java_stats = JBufferStats()
    ours = BufferStats()
    for size in (100, 7, 350):
        java_stats.setLastBufferSize(size)
        ours.setLastBufferSize(size)
    java_response = jvm.JClass("org.apache.zookeeper.server.admin.CommandResponse")("beans")
    java_response.put("buffer", java_stats)
    response = CommandResponse("beans")
    response.put("buffer", ours)
    assert json.loads(output(response)) == json.loads(java_output(jvm, java_response))

    ctor = JConf.class_.getDeclaredConstructors()[0]
    ctor.setAccessible(True)
    args = (2181, "/d", "/l", 2000, 60, 4000, 40000, 3, -1)
    java_conf = ctor.newInstance(*[jvm.JInt(a) if isinstance(a, int) and i != 7 else
                                   jvm.JLong(a) if i == 7 else a for i, a in enumerate(args)])
    conf = ZooKeeperServerConf(*args)
    assert conf.toMap() == {str(k): (str(v) if isinstance(v, jvm.JString) else int(v))
                            for k, v in dict(java_conf.toMap()).items()}
    java_response = jvm.JClass("org.apache.zookeeper.server.admin.CommandResponse")("conf")
    java_response.put("conf_bean", java_conf)
    response = CommandResponse("conf")
    response.put("conf_bean", conf)
    assert json.loads(output(response)) == json.loads(java_output(jvm, java_response))


@pytest.mark.java
def test_server_stats_bean_has_javas_properties(jvm):
    from org.apache.zookeeper.server import ServerStats as JServerStats

    values = {"getOutstandingRequests": 3, "getLastProcessedZxid": 0x100000005, "getState": "standalone",
              "getNumAliveConnections": 2, "getDataDirSize": 1000, "getLogDirSize": 2000}

    @jvm.JImplements(JServerStats.Provider)
    class JavaProvider:
        @jvm.JOverride
        def getOutstandingRequests(self):
            return values["getOutstandingRequests"]

        @jvm.JOverride
        def getLastProcessedZxid(self):
            return values["getLastProcessedZxid"]

        @jvm.JOverride
        def getState(self):
            return values["getState"]

        @jvm.JOverride
        def getNumAliveConnections(self):
            return values["getNumAliveConnections"]

        @jvm.JOverride
        def getDataDirSize(self):
            return values["getDataDirSize"]

        @jvm.JOverride
        def getLogDirSize(self):
            return values["getLogDirSize"]

    Provider = type("Provider", (ServerStats.Provider,),
                    {name: (lambda self, v=value: v) for name, value in values.items()})
    java_response = jvm.JClass("org.apache.zookeeper.server.admin.CommandResponse")("srvr")
    java_response.put("server_stats", JServerStats(JavaProvider()))
    response = CommandResponse("srvr")
    response.put("server_stats", ServerStats(Provider()))
    java = json.loads(java_output(jvm, java_response))
    ours = json.loads(output(response))
    for side in (java, ours):
        side["server_stats"].pop("uptime")
    assert ours == java


def test_json_of_python_values():
    when = datetime.datetime.fromtimestamp(1795308994.394)
    assert write_json({"t": when, "b": b"\x00\xff", "s": {3}, "a": InetSocketAddress("127.0.0.1", 2181),
                       "g": (i for i in range(2))}) == (
        '{\n  "t" : 1795308994394,\n  "b" : "AP8=",\n  "s" : [ 3 ],\n  "a" : "127.0.0.1:2181",\n  "g" : [ 0, 1 ]\n}')

    class Broken:
        def getValue(self):
            raise RuntimeError("boom")

    response = CommandResponse("broken")
    response.put("bean", Broken())
    assert output(response) == JsonOutputter.ERROR_RESPONSE
