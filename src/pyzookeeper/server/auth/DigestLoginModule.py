"""Mirrors org.apache.zookeeper.server.auth.DigestLoginModule, the JAAS login
module of DIGEST-MD5 SASL: it logs nobody in, it only keeps the ``username``
and ``password`` options of a client section as the subject's credentials."""

from __future__ import annotations


class DigestLoginModule:

    def __init__(self) -> None:
        self.subject = None

    def abort(self) -> bool:
        return False

    def commit(self) -> bool:
        return True

    def initialize(self, subject, callbackHandler, sharedState: dict, options: dict) -> None:
        if "username" in options:
            self.subject = subject
            self.subject.getPublicCredentials().add(options["username"])
            password = options.get("password")
            if password is not None:
                self.subject.getPrivateCredentials().add(password)

    def logout(self) -> bool:
        return True

    def login(self) -> bool:
        return True
