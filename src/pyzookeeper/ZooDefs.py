"""Mirrors org.apache.zookeeper.ZooDefs: op codes, permissions, well-known ids and ACLs."""

from __future__ import annotations

from pyzookeeper.data.ACL import ACL
from pyzookeeper.data.Id import Id


CONFIG_NODE = "/zookeeper/config"
ZOOKEEPER_NODE_SUBTREE = "/zookeeper/"


class OpCode:
    notification = 0
    create = 1
    delete = 2
    exists = 3
    getData = 4
    setData = 5
    getACL = 6
    setACL = 7
    getChildren = 8
    sync = 9
    ping = 11
    getChildren2 = 12
    check = 13
    multi = 14
    create2 = 15
    reconfig = 16
    checkWatches = 17
    removeWatches = 18
    createContainer = 19
    deleteContainer = 20
    createTTL = 21
    multiRead = 22
    auth = 100
    setWatches = 101
    sasl = 102
    getEphemerals = 103
    getAllChildrenNumber = 104
    setWatches2 = 105
    addWatch = 106
    whoAmI = 107
    createSession = -10
    closeSession = -11
    error = -1


class Perms:
    READ = 1 << 0
    WRITE = 1 << 1
    CREATE = 1 << 2
    DELETE = 1 << 3
    ADMIN = 1 << 4
    ALL = READ | WRITE | CREATE | DELETE | ADMIN


class Ids:
    """Well-known ids and ACL lists. Treat the lists as read-only."""

    ANYONE_ID_UNSAFE = Id("world", "anyone")
    AUTH_IDS = Id("auth", "")
    OPEN_ACL_UNSAFE = [ACL(Perms.ALL, ANYONE_ID_UNSAFE)]
    CREATOR_ALL_ACL = [ACL(Perms.ALL, AUTH_IDS)]
    READ_ACL_UNSAFE = [ACL(Perms.READ, ANYONE_ID_UNSAFE)]


class AddWatchModes:
    persistent = 0
    persistentRecursive = 1


opNames = ["notification", "create", "delete", "exists", "getData", "setData", "getACL", "setACL",
           "getChildren", "getChildren2", "getMaxChildren", "setMaxChildren", "ping", "reconfig",
           "getConfig"]
