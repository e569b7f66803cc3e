"""Mirrors org.apache.zookeeper.server.auth.AuthenticationProvider."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyzookeeper.KeeperException import Code


class AuthenticationProvider(ABC):
    """A pluggable authentication scheme: it turns the data of an ``auth``
    packet into ids on the connection and matches ids against ACL entries."""

    @abstractmethod
    def getScheme(self) -> str:
        """The scheme name, as used in ``addauth <scheme>`` and ACL ids."""

    @abstractmethod
    def handleAuthentication(self, cnxn, authData: bytes) -> Code:
        """Add the ids that ``authData`` proves to ``cnxn`` (``cnxn.addAuthInfo``)."""

    @abstractmethod
    def matches(self, id: str, aclExpr: str) -> bool:
        """Whether the authenticated ``id`` satisfies the ACL entry ``aclExpr``."""

    @abstractmethod
    def isAuthenticated(self) -> bool:
        """Whether the scheme's ids stand for an authenticated principal."""

    @abstractmethod
    def isValid(self, id: str) -> bool:
        """Whether ``id`` is well formed for this scheme."""

    def getUserName(self, id: str) -> str:
        return id
