"""Mirrors org.apache.zookeeper.server.auth.ServerAuthenticationProvider.

Java overloads ``handleAuthentication`` and ``matches``; Python cannot, so here
they take only the server-side forms (``ServerObjs`` and ``MatchValues``).
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING

from pyzookeeper.server.auth.AuthenticationProvider import AuthenticationProvider

if TYPE_CHECKING:
    from pyzookeeper.KeeperException import Code


class ServerAuthenticationProvider(AuthenticationProvider):
    """A provider that sees the server and the connection, and the path,
    permission and ACLs of the operation being checked."""

    class ServerObjs:
        __slots__ = ("zks", "cnxn")

        def __init__(self, zks, cnxn) -> None:
            self.zks = zks
            self.cnxn = cnxn

        def getZks(self):
            return self.zks

        def getCnxn(self):
            return self.cnxn

    class MatchValues:
        __slots__ = ("path", "id", "aclExpr", "perm", "setAcls")

        def __init__(self, path: str | None, id: str, aclExpr: str, perm: int, setAcls: list | None) -> None:
            self.path = path
            self.id = id
            self.aclExpr = aclExpr
            self.perm = perm
            self.setAcls = setAcls

        def getPath(self) -> str | None:
            return self.path

        def getId(self) -> str:
            return self.id

        def getAclExpr(self) -> str:
            return self.aclExpr

        def getPerm(self) -> int:
            return self.perm

        def getSetAcls(self) -> list | None:
            return self.setAcls

    @abstractmethod
    def handleAuthentication(self, serverObjs: ServerAuthenticationProvider.ServerObjs, authData: bytes) -> Code:
        """Add the ids that ``authData`` proves to ``serverObjs.getCnxn()``."""

    @abstractmethod
    def matches(self, serverObjs: ServerAuthenticationProvider.ServerObjs,
                matchValues: ServerAuthenticationProvider.MatchValues) -> bool:
        """Whether ``matchValues.getId()`` satisfies ``matchValues.getAclExpr()``."""


ServerObjs = ServerAuthenticationProvider.ServerObjs
MatchValues = ServerAuthenticationProvider.MatchValues
