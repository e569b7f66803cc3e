"""Mirrors org.apache.zookeeper.server.util.AuthUtil (static methods as module functions)."""

from __future__ import annotations

from pyzookeeper.data.ClientInfo import ClientInfo
from pyzookeeper.data.Id import Id
from pyzookeeper.server.auth.ProviderRegistry import ProviderRegistry


def getUser(id: Id) -> str | None:
    """The user name the provider of ``id``'s scheme reads from it, or None."""
    provider = ProviderRegistry.getProvider(id.scheme)
    return None if provider is None else provider.getUserName(id.id)


def getUsers(authInfo: list[Id] | None) -> str | None:
    """The comma-separated user names of ``authInfo``, or None if there are none."""
    if authInfo is None:
        return None
    names = [name for name in map(getUser, authInfo) if name is not None and name.strip()]
    return ",".join(names) if names else None


def getClientInfos(authInfo: list[Id]) -> list[ClientInfo]:
    """One ClientInfo (scheme, user or "") per id, for the ``whoAmI`` reply."""
    infos = []
    for id in authInfo:
        user = getUser(id)
        infos.append(ClientInfo(id.scheme, "" if user is None else user))
    return infos


class AuthUtil:
    getUser = staticmethod(getUser)
    getUsers = staticmethod(getUsers)
    getClientInfos = staticmethod(getClientInfos)
