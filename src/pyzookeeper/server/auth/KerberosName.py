"""Mirrors org.apache.zookeeper.server.auth.KerberosName: principal names and
the ``zookeeper.security.auth_to_local`` rules that shorten them.

The rules' match and substitution patterns are Java regular expressions; they
are run with Python's ``re``, which agrees with Java on the constructs such
rules use. The default realm comes from ``java.security.krb5.realm`` or the
``default_realm`` of the krb5.conf that Java would read.
"""

from __future__ import annotations

import re
import threading

from pyzookeeper import system_properties

_nameParser = re.compile(r"([^/@]*)(/([^/@]*))?@([^/@]*)")
_parameterPattern = re.compile(r"([^$]*)(\$(\d*))?")
_ruleParser = re.compile(
    r"\s*((DEFAULT)|(RULE:\[(\d*):([^\]]*)](\(([^)]*)\))?"
    r"(s/([^/]*)/([^/]*)/(g)?)?))"
)
_nonSimplePattern = re.compile(r"[/@]")


def _java_replacement(template: str, groups: int) -> str:
    """A ``Matcher.replaceAll`` replacement string as an ``re.sub`` template."""
    out: list[str] = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch == "\\":
            i += 1
            if i == len(template):
                raise ValueError("character to be escaped is missing")
            out.append(template[i].replace("\\", "\\\\"))
            i += 1
        elif ch == "$":
            i += 1
            if i < len(template) and template[i] == "{":
                end = template.index("}", i)
                out.append("\\g<" + template[i + 1:end] + ">")
                i = end + 1
                continue
            if i == len(template) or not template[i].isdigit():
                raise ValueError("Illegal group reference")
            number = int(template[i])
            i += 1
            while i < len(template) and template[i].isdigit() and number * 10 + int(template[i]) <= groups:
                number = number * 10 + int(template[i])
                i += 1
            if number > groups:
                raise IndexError("No group " + str(number))
            out.append("\\g<" + str(number) + ">")
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _default_realm() -> str:
    """``KerberosUtil.getDefaultRealm``; raises LookupError when none is configured."""
    realm = system_properties.getProperty("java.security.krb5.realm")
    if realm:
        return realm
    path = system_properties.getProperty("java.security.krb5.conf", "/etc/krb5.conf")
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise LookupError("Cannot locate default realm") from e
    section = None
    for line in lines:
        text = line.strip()
        if text.startswith("[") and text.endswith("]"):
            section = text[1:-1].strip()
        elif section == "libdefaults":
            key, sep, value = text.partition("=")
            if sep and key.strip() == "default_realm" and value.strip():
                return value.strip()
    raise LookupError("Cannot locate default realm")


class KerberosName:
    """A principal ``service/host@REALM``, split into its three parts."""

    __slots__ = ("serviceName", "hostName", "realm")

    rules: list[KerberosName.Rule] | None = None
    defaultRealm: str | None = None
    _class_lock = threading.Lock()

    def __init__(self, name: str) -> None:
        match = _nameParser.fullmatch(name)
        if match is None:
            if "@" in name:
                raise ValueError("Malformed Kerberos name: " + name)
            self.serviceName = name
            self.hostName = None
            self.realm = None
        else:
            self.serviceName = match.group(1)
            self.hostName = match.group(3)
            self.realm = match.group(4)

    @staticmethod
    def _classInit() -> None:
        cls = KerberosName
        if cls.rules is not None:
            return
        with cls._class_lock:
            if cls.rules is not None:
                return
            try:
                cls.defaultRealm = _default_realm()
            except LookupError as e:
                if system_properties.getProperty("zookeeper.requireKerberosConfig") == "true":
                    raise ValueError("Can't get Kerberos configuration") from e
                cls.defaultRealm = ""
            KerberosName.setConfiguration()

    def getDefaultRealm(self) -> str:
        KerberosName._classInit()
        return KerberosName.defaultRealm

    def __str__(self) -> str:
        result = self.serviceName
        if self.hostName is not None:
            result += "/" + self.hostName
        if self.realm is not None:
            result += "@" + self.realm
        return result

    toString = __str__

    def getServiceName(self) -> str:
        return self.serviceName

    def getHostName(self) -> str | None:
        return self.hostName

    def getRealm(self) -> str | None:
        return self.realm

    class BadFormatString(OSError):
        pass

    class NoMatchingRule(OSError):
        pass

    class Rule:
        __slots__ = ("isDefault", "numOfComponents", "format", "match", "fromPattern", "toPattern", "repeat")

        def __init__(self, numOfComponents: int = 0, format: str | None = None, match: str | None = None,
                     fromPattern: str | None = None, toPattern: str | None = None, repeat: bool = False,
                     isDefault: bool = False) -> None:
            self.isDefault = isDefault
            self.numOfComponents = numOfComponents
            self.format = format
            self.match = None if match is None else re.compile(match)
            self.fromPattern = None if fromPattern is None else re.compile(fromPattern)
            self.toPattern = toPattern
            self.repeat = repeat

        def __str__(self) -> str:
            if self.isDefault:
                return "DEFAULT"
            text = "RULE:[" + str(self.numOfComponents) + ":" + self.format + "]"
            if self.match is not None:
                text += "(" + self.match.pattern + ")"
            if self.fromPattern is not None:
                text += "s/" + self.fromPattern.pattern + "/" + self.toPattern + "/"
                if self.repeat:
                    text += "g"
            return text

        toString = __str__

        @staticmethod
        def replaceParameters(format: str, params: list[str]) -> str:
            start = 0
            result: list[str] = []
            while start < len(format):
                match = _parameterPattern.search(format, start)
                if match is None:
                    break
                result.append(match.group(1))
                paramNum = match.group(3)
                if paramNum is not None:
                    if paramNum == "":
                        raise KerberosName.BadFormatString("bad format in username mapping in " + paramNum)
                    num = int(paramNum)
                    if num < 0 or num > len(params):
                        raise KerberosName.BadFormatString(
                            "index %d from %s is outside of the valid range 0 to %d" % (num, format, len(params) - 1))
                    result.append(params[num])
                start = match.end()
            return "".join(result)

        @staticmethod
        def replaceSubstitution(base: str, fromPattern: re.Pattern, to: str, repeat: bool) -> str:
            template = _java_replacement(to, fromPattern.groups)
            return fromPattern.sub(template, base, count=0 if repeat else 1)

        def apply(self, params: list[str]) -> str | None:
            result = None
            if self.isDefault:
                if KerberosName.defaultRealm == params[0]:
                    result = params[1]
            elif len(params) - 1 == self.numOfComponents:
                base = self.replaceParameters(self.format, params)
                if self.match is None or self.match.fullmatch(base):
                    if self.fromPattern is None:
                        result = base
                    else:
                        result = self.replaceSubstitution(base, self.fromPattern, self.toPattern, self.repeat)
            if result is not None and _nonSimplePattern.search(result):
                raise KerberosName.NoMatchingRule("Non-simple name " + result + " after auth_to_local rule " + str(self))
            return result

    @staticmethod
    def parseRules(rules: str) -> list[KerberosName.Rule]:
        result: list[KerberosName.Rule] = []
        remaining = rules.strip()
        while remaining:
            matcher = _ruleParser.match(remaining)
            if matcher is None:
                raise ValueError("Invalid rule: " + remaining)
            if matcher.group(2) is not None:
                result.append(KerberosName.Rule(isDefault=True))
            else:
                result.append(KerberosName.Rule(
                    int(matcher.group(4)), matcher.group(5), matcher.group(7),
                    matcher.group(9), matcher.group(10), matcher.group(11) == "g"))
            remaining = remaining[matcher.end():]
        return result

    @staticmethod
    def setConfiguration() -> None:
        ruleString = system_properties.getProperty("zookeeper.security.auth_to_local", "DEFAULT")
        KerberosName.rules = KerberosName.parseRules(ruleString)

    def getShortName(self) -> str:
        KerberosName._classInit()
        if self.hostName is None:
            if self.realm is None:
                return self.serviceName
            params = [self.realm, self.serviceName]
        else:
            params = [self.realm, self.serviceName, self.hostName]
        for r in KerberosName.rules:
            result = r.apply(params)
            if result is not None:
                return result
        raise KerberosName.NoMatchingRule("No rules applied to " + str(self))

    @staticmethod
    def _resetForTesting() -> None:
        with KerberosName._class_lock:
            KerberosName.rules = None
            KerberosName.defaultRealm = None


def main(argv: list[str] | None = None) -> int:
    import sys

    for arg in sys.argv[1:] if argv is None else argv:
        name = KerberosName(arg)
        print("Name: " + str(name) + " to " + name.getShortName())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
