"""A real SMTP server on a loopback port that keeps what it is sent: the recipients' mailboxes, for
the tests and the fault run where the notifications leave another process (a Celery worker) over
SMTP, as in production. Enough of RFC 5321 for Django's SMTP backend (EHLO/HELO, MAIL, RCPT, DATA,
RSET, NOOP, QUIT); no TLS, no authentication.

`view(recipient)` is what the recipient's mail program shows: one message per Message-ID.
"""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
from collections import Counter
from dataclasses import dataclass
from email.message import EmailMessage


@dataclass(frozen=True)
class Delivery:
    recipients: tuple[str, ...]
    message: EmailMessage


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self._reply("220 mailbox ready")
        recipients: list[str] = []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 mailbox")
            elif verb == "MAIL":
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>").split(">")[0])
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 end with <CRLF>.<CRLF>")
                lines: list[bytes] = []
                while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(line[1:] if line.startswith(b"..") else line)
                message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                assert isinstance(message, EmailMessage)
                self.server.mailbox.receive(Delivery(tuple(recipients), message))
                self._reply("250 OK queued")
            elif verb == "RSET":
                recipients = []
                self._reply("250 OK")
            elif verb == "NOOP":
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("502 not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    mailbox: Mailbox


class Mailbox:
    """Start with `with Mailbox() as box:`; `box.port` is where to send."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.deliveries: list[Delivery] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.mailbox = self
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, name="mailbox", daemon=True)

    def __enter__(self) -> Mailbox:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def receive(self, delivery: Delivery) -> None:
        with self._lock:
            self.deliveries.append(delivery)

    def clear(self) -> None:
        with self._lock:
            self.deliveries.clear()

    def all(self) -> list[Delivery]:
        with self._lock:
            return list(self.deliveries)

    def view(self, recipient: str) -> list[EmailMessage]:
        """The recipient's inbox as a mail program shows it: one message per Message-ID."""
        seen: dict[str, EmailMessage] = {}
        for delivery in self.all():
            if recipient in delivery.recipients:
                seen.setdefault(str(delivery.message["Message-ID"]), delivery.message)
        return list(seen.values())

    def repeats(self) -> Counter[str]:
        """Message-IDs received more than once (at-least-once delivery's repeats)."""
        counts = Counter(str(d.message["Message-ID"]) for d in self.all())
        return Counter({k: v for k, v in counts.items() if v > 1})
