"""Mirrors org.apache.zookeeper.KeeperException: the error codes of the protocol
and one exception class per code."""

from __future__ import annotations

import enum


class Code(enum.IntEnum):
    """KeeperException.Code: the ``err`` values of ReplyHeader."""

    OK = 0
    SYSTEMERROR = -1
    RUNTIMEINCONSISTENCY = -2
    DATAINCONSISTENCY = -3
    CONNECTIONLOSS = -4
    MARSHALLINGERROR = -5
    UNIMPLEMENTED = -6
    OPERATIONTIMEOUT = -7
    BADARGUMENTS = -8
    UNKNOWNSESSION = -12
    NEWCONFIGNOQUORUM = -13
    RECONFIGINPROGRESS = -14
    APIERROR = -100
    NONODE = -101
    NOAUTH = -102
    BADVERSION = -103
    NOCHILDRENFOREPHEMERALS = -108
    NODEEXISTS = -110
    NOTEMPTY = -111
    SESSIONEXPIRED = -112
    INVALIDCALLBACK = -113
    INVALIDACL = -114
    AUTHFAILED = -115
    SESSIONMOVED = -118
    NOTREADONLY = -119
    EPHEMERALONLOCALSESSION = -120
    NOWATCHER = -121
    REQUESTTIMEOUT = -122
    RECONFIGDISABLED = -123
    SESSIONCLOSEDREQUIRESASLAUTH = -124
    QUOTAEXCEEDED = -125
    THROTTLEDOP = -127

    def intValue(self) -> int:
        return int(self)

    @staticmethod
    def get(code: int) -> "Code":
        return Code(code)


_CODE_MESSAGES = {
    Code.OK: "ok",
    Code.SYSTEMERROR: "SystemError",
    Code.RUNTIMEINCONSISTENCY: "RuntimeInconsistency",
    Code.DATAINCONSISTENCY: "DataInconsistency",
    Code.CONNECTIONLOSS: "ConnectionLoss",
    Code.MARSHALLINGERROR: "MarshallingError",
    Code.NEWCONFIGNOQUORUM: "NewConfigNoQuorum",
    Code.RECONFIGINPROGRESS: "ReconfigInProgress",
    Code.UNIMPLEMENTED: "Unimplemented",
    Code.OPERATIONTIMEOUT: "OperationTimeout",
    Code.BADARGUMENTS: "BadArguments",
    Code.APIERROR: "APIError",
    Code.NONODE: "NoNode",
    Code.NOAUTH: "NoAuth",
    Code.BADVERSION: "BadVersion",
    Code.NOCHILDRENFOREPHEMERALS: "NoChildrenForEphemerals",
    Code.NODEEXISTS: "NodeExists",
    Code.INVALIDACL: "InvalidACL",
    Code.AUTHFAILED: "AuthFailed",
    Code.NOTEMPTY: "Directory not empty",
    Code.SESSIONEXPIRED: "Session expired",
    Code.INVALIDCALLBACK: "Invalid callback",
    Code.SESSIONMOVED: "Session moved",
    Code.NOTREADONLY: "Not a read-only call",
    Code.EPHEMERALONLOCALSESSION: "Ephemeral node on local session",
    Code.NOWATCHER: "No such watcher",
    Code.RECONFIGDISABLED: "Reconfig is disabled",
    Code.SESSIONCLOSEDREQUIRESASLAUTH: "Session closed because client failed to authenticate",
    Code.QUOTAEXCEEDED: "Quota has exceeded",
    Code.THROTTLEDOP: "Op throttled due to high load",
}


def getCodeMessage(code: Code) -> str:
    return _CODE_MESSAGES.get(code, f"Unknown error {code.name}")


class KeeperException(Exception):
    """Base of the ZooKeeper errors; ``code()`` is the protocol error code."""

    CODE: Code | None = None

    def __init__(self, code: Code | int | None = None, path: str | None = None) -> None:
        # the message is built when asked for (str, getMessage): some requests
        # raise and catch one of these as a matter of course
        self._code = self.CODE if code is None else code if type(code) is Code else Code(code)
        self._path = path

    def code(self) -> Code:
        return self._code

    def getPath(self) -> str | None:
        return self._path

    def getMessage(self) -> str:
        if not self._path:
            return "KeeperErrorCode = " + getCodeMessage(self._code)
        return "KeeperErrorCode = " + getCodeMessage(self._code) + " for " + self._path

    def __str__(self) -> str:
        return f"{type(self).__module__.rsplit('.', 1)[-1]}.{type(self).__name__}: {self.getMessage()}"

    @staticmethod
    def create(code: Code | int, path: str | None = None) -> "KeeperException":
        code = Code(code)
        cls = _BY_CODE.get(code)
        if cls is None:
            raise ValueError(f"Invalid exception code: {int(code)}")
        return cls(path=path)


def _exception(name: str, code: Code) -> type[KeeperException]:
    def __init__(self, path: str | None = None) -> None:
        KeeperException.__init__(self, code, path)

    return type(name, (KeeperException,), {"CODE": code, "__init__": __init__, "__module__": __name__,
                                           "__qualname__": f"KeeperException.{name}"})


_NAMES = {
    Code.APIERROR: "APIErrorException",
    Code.AUTHFAILED: "AuthFailedException",
    Code.BADARGUMENTS: "BadArgumentsException",
    Code.BADVERSION: "BadVersionException",
    Code.CONNECTIONLOSS: "ConnectionLossException",
    Code.DATAINCONSISTENCY: "DataInconsistencyException",
    Code.INVALIDACL: "InvalidACLException",
    Code.INVALIDCALLBACK: "InvalidCallbackException",
    Code.MARSHALLINGERROR: "MarshallingErrorException",
    Code.NOAUTH: "NoAuthException",
    Code.NEWCONFIGNOQUORUM: "NewConfigNoQuorum",
    Code.RECONFIGINPROGRESS: "ReconfigInProgress",
    Code.NOCHILDRENFOREPHEMERALS: "NoChildrenForEphemeralsException",
    Code.NODEEXISTS: "NodeExistsException",
    Code.NONODE: "NoNodeException",
    Code.NOTEMPTY: "NotEmptyException",
    Code.OPERATIONTIMEOUT: "OperationTimeoutException",
    Code.RUNTIMEINCONSISTENCY: "RuntimeInconsistencyException",
    Code.SESSIONEXPIRED: "SessionExpiredException",
    Code.UNKNOWNSESSION: "UnknownSessionException",
    Code.SESSIONMOVED: "SessionMovedException",
    Code.NOTREADONLY: "NotReadOnlyException",
    Code.EPHEMERALONLOCALSESSION: "EphemeralOnLocalSessionException",
    Code.SYSTEMERROR: "SystemErrorException",
    Code.UNIMPLEMENTED: "UnimplementedException",
    Code.NOWATCHER: "NoWatcherException",
    Code.RECONFIGDISABLED: "ReconfigDisabledException",
    Code.SESSIONCLOSEDREQUIRESASLAUTH: "SessionClosedRequireAuthException",
    Code.REQUESTTIMEOUT: "RequestTimeoutException",
    Code.QUOTAEXCEEDED: "QuotaExceededException",
    Code.THROTTLEDOP: "ThrottledOpException",
}

_BY_CODE: dict[Code, type[KeeperException]] = {}
for _code, _name in _NAMES.items():
    _cls = _exception(_name, _code)
    _BY_CODE[_code] = _cls
    setattr(KeeperException, _name, _cls)
    globals()[_name] = _cls
KeeperException.Code = Code
del _code, _name, _cls
