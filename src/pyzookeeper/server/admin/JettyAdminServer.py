"""Mirrors org.apache.zookeeper.server.admin.JettyAdminServer with the standard
library's ThreadingHTTPServer in place of Jetty.

GET (and HEAD) ``<commandURL>/<command>?name=value`` runs a command and
answers its JSON; ``<commandURL>`` alone lists the commands as links; TRACE is
forbidden and other methods are not allowed, as with Jetty's servlet. HTTPS
(``zookeeper.admin.forceHttps``, ``zookeeper.admin.portUnification``) is not
available: asking for it makes construction fail, so AdminServerFactory falls
back to the DummyAdminServer with a warning, as Java does when Jetty is absent.
"""

from __future__ import annotations

import html
import io
import itertools
import logging
import socket
import socketserver
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pyzookeeper import system_properties
from pyzookeeper.server.admin.AdminServer import AdminServer, AdminServerException
from pyzookeeper.server.admin.Commands import Commands
from pyzookeeper.server.admin.JsonOutputter import JsonOutputter

LOG = logging.getLogger(__name__)


class _CommandHttpServer(ThreadingHTTPServer):
    """One thread per request, named like Jetty's pool threads."""

    daemon_threads = True

    def __init__(self, address: tuple, family: int, adminServer: JettyAdminServer) -> None:
        self.address_family = family
        self.adminServer = adminServer
        self._threadIds = itertools.count(1)
        super().__init__(address, _CommandServlet, bind_and_activate=False)

    def server_bind(self) -> None:
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = self.server_address[1]

    def process_request(self, request, client_address) -> None:
        thread = threading.Thread(target=self.process_request_thread, args=(request, client_address),
                                  name=f"qtp{id(self) & 0x7FFFFFFF}-{next(self._threadIds)}", daemon=True)
        thread.start()

    def handle_error(self, request, client_address) -> None:
        LOG.warning("Problem handling admin request from %s", client_address, exc_info=True)


class _CommandServlet(BaseHTTPRequestHandler):
    """The CommandServlet: ``commandUrl`` and everything below it."""

    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "pyzookeeper"

    def setup(self) -> None:
        idleTimeout = self.server.adminServer.idleTimeout
        self.timeout = idleTimeout / 1000.0 if idleTimeout > 0 else None
        super().setup()

    def log_message(self, format: str, *args) -> None:
        LOG.debug("%s - %s", self.address_string(), format % args)

    def _pathInfo(self) -> str | None:
        """The path below the command URL, or None if the request is not for it."""
        commandUrl = self.server.adminServer.commandUrl.rstrip("/")
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if path == commandUrl:
            return ""
        if path.startswith(commandUrl + "/"):
            return path[len(commandUrl):]
        return None

    def do_GET(self) -> None:
        self._serve(withBody=True)

    def do_HEAD(self) -> None:
        self._serve(withBody=False)

    def do_OPTIONS(self) -> None:
        if self._pathInfo() is None:
            self._error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Allow", "GET, HEAD, TRACE, OPTIONS")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_TRACE(self) -> None:
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_allowed(self) -> None:
        if self._pathInfo() is None:
            self._error(404, "Not Found")
        else:
            self._error(405, f"HTTP method {self.command} is not supported by this URL")

    do_POST = do_PUT = do_DELETE = do_PATCH = _not_allowed

    def _serve(self, withBody: bool) -> None:
        adminServer = self.server.adminServer
        cmd = self._pathInfo()
        if cmd is None:
            self._error(404, "Not Found", withBody)
            return
        if cmd in ("", "/"):
            body = "".join(link + "\n<br/>\n" for link in adminServer.commandLinks())
            self._send(200, None, body, withBody)
            return
        cmd = cmd[1:]
        query = urllib.parse.urlsplit(self.path).query
        kwargs = {key: values[0] for key, values in urllib.parse.parse_qs(query, keep_blank_values=True).items()}
        try:
            cmdResponse = Commands.runCommand(cmd, adminServer.zkServer, kwargs)
        except Exception:
            LOG.warning("Exception running command %s", cmd, exc_info=True)
            self._error(500, "Server Error", withBody)
            return
        outputter = JsonOutputter()
        text = io.StringIO()
        outputter.output(cmdResponse, text)
        self._send(200, outputter.getContentType(), text.getvalue(), withBody)

    def _send(self, status: int, contentType: str | None, body: str, withBody: bool = True) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        if contentType is not None:
            self.send_header("Content-Type", contentType)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if withBody:
            self.wfile.write(data)

    def _error(self, status: int, message: str, withBody: bool = True) -> None:
        uri = html.escape(urllib.parse.urlsplit(self.path).path)
        body = (f"<html>\n<head>\n<title>Error {status} {html.escape(message)}</title>\n</head>\n"
                f"<body><h2>HTTP ERROR {status} {html.escape(message)}</h2>\n<table>\n"
                f"<tr><th>URI:</th><td>{uri}</td></tr>\n<tr><th>STATUS:</th><td>{status}</td></tr>\n"
                f"<tr><th>MESSAGE:</th><td>{html.escape(message)}</td></tr>\n</table>\n</body>\n</html>\n")
        self._send(status, "text/html;charset=utf-8", body, withBody)


class JettyAdminServer(AdminServer):
    """The HTTP AdminServer on ``zookeeper.admin.serverAddress``:``zookeeper.admin.serverPort``."""

    DEFAULT_PORT = 8080
    DEFAULT_IDLE_TIMEOUT = 30000
    DEFAULT_COMMAND_URL = "/commands"
    DEFAULT_ADDRESS = "0.0.0.0"
    DEFAULT_STS_MAX_AGE = 1 * 24 * 60 * 60
    DEFAULT_HTTP_VERSION = 11

    def __init__(self, address: str | None = None, port: int | None = None, timeout: int | None = None,
                 commandUrl: str | None = None, httpVersion: int | None = None,
                 portUnification: bool | None = None, forceHttps: bool | None = None) -> None:
        """With no arguments, the ``zookeeper.admin.*`` properties and Java's defaults."""
        self.address = address if address is not None else system_properties.getProperty(
            "zookeeper.admin.serverAddress", self.DEFAULT_ADDRESS)
        self.port = port if port is not None else system_properties.getInteger(
            "zookeeper.admin.serverPort", self.DEFAULT_PORT)
        self.idleTimeout = timeout if timeout is not None else system_properties.getInteger(
            "zookeeper.admin.idleTimeout", self.DEFAULT_IDLE_TIMEOUT)
        self.commandUrl = commandUrl if commandUrl is not None else system_properties.getProperty(
            "zookeeper.admin.commandURL", self.DEFAULT_COMMAND_URL)
        self.httpVersion = httpVersion if httpVersion is not None else system_properties.getInteger(
            "zookeeper.admin.httpVersion", self.DEFAULT_HTTP_VERSION)
        if portUnification is None:
            portUnification = system_properties.getBoolean("zookeeper.admin.portUnification")
        if forceHttps is None:
            forceHttps = system_properties.getBoolean("zookeeper.admin.forceHttps")
        if portUnification or forceHttps:
            raise OSError("HTTPS for the AdminServer (zookeeper.admin.forceHttps, zookeeper.admin.portUnification)"
                          " is not supported by this server")
        self.zkServer = None
        self.server: _CommandHttpServer | None = None
        self._thread: threading.Thread | None = None

    def _startMessage(self, verb: str) -> str:
        return "Problem %s AdminServer on address %s, port %d and command URL %s" % (
            verb, self.address, self.port, self.commandUrl)

    def start(self) -> None:
        try:
            infos = socket.getaddrinfo(self.address, self.port, 0, socket.SOCK_STREAM, 0, socket.AI_PASSIVE)
            family, _, _, _, sockaddr = infos[0]
            server = _CommandHttpServer(sockaddr, family, self)
            try:
                server.server_bind()
                server.server_activate()
            except BaseException:
                server.server_close()
                raise
        except (OSError, ValueError, OverflowError) as e:
            raise AdminServerException(self._startMessage("starting"), e) from e
        self.server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.5},
                                        name=f"qtp{id(server) & 0x7FFFFFFF}-acceptor", daemon=True)
        self._thread.start()
        LOG.info("Started AdminServer on address %s, port %s and command URL %s",
                 self.address, self.port, self.commandUrl)

    def shutdown(self) -> None:
        server, self.server = self.server, None
        if server is None:
            return
        try:
            server.shutdown()
            server.server_close()
        except OSError as e:
            raise AdminServerException(self._startMessage("stopping"), e) from e
        if self._thread is not None:
            self._thread.join()

    def setZooKeeperServer(self, zkServer) -> None:
        self.zkServer = zkServer

    def getLocalPort(self) -> int:
        """The bound port (useful with port 0)."""
        return self.server.server_address[1] if self.server is not None else self.port

    def commandLinks(self) -> list[str]:
        return ['<a href="%s">%s</a>' % (self.commandUrl + "/" + command, command)
                for command in sorted(Commands.getPrimaryNames())]
