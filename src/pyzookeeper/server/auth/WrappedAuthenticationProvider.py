"""Mirrors org.apache.zookeeper.server.auth.WrappedAuthenticationProvider."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyzookeeper.server.auth.AuthenticationProvider import AuthenticationProvider
from pyzookeeper.server.auth.ServerAuthenticationProvider import ServerAuthenticationProvider

if TYPE_CHECKING:
    from pyzookeeper.KeeperException import Code


class WrappedAuthenticationProvider(ServerAuthenticationProvider):
    """Presents a plain AuthenticationProvider as a ServerAuthenticationProvider."""

    @staticmethod
    def wrap(provider: AuthenticationProvider | None) -> ServerAuthenticationProvider | None:
        if provider is None:
            return None
        if isinstance(provider, ServerAuthenticationProvider):
            return provider
        return WrappedAuthenticationProvider(provider)

    def __init__(self, implementation: AuthenticationProvider) -> None:
        self.implementation = implementation

    def handleAuthentication(self, serverObjs: ServerAuthenticationProvider.ServerObjs, authData: bytes) -> Code:
        return self.implementation.handleAuthentication(serverObjs.getCnxn(), authData)

    def matches(self, serverObjs: ServerAuthenticationProvider.ServerObjs,
                matchValues: ServerAuthenticationProvider.MatchValues) -> bool:
        return self.implementation.matches(matchValues.getId(), matchValues.getAclExpr())

    def getScheme(self) -> str:
        return self.implementation.getScheme()

    def isAuthenticated(self) -> bool:
        return self.implementation.isAuthenticated()

    def isValid(self, id: str) -> bool:
        return self.implementation.isValid(id)
