"""Outgoing mail, behind a protocol: the job handlers send through a :class:`Mailer`.

The default :class:`LoggingMailer` only logs the message, so the app runs without an SMTP
server; a deployment plugs in an SMTP or API-based mailer with the same ``send`` method.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    body: str


class Mailer(Protocol):
    def send(self, mail: OutgoingMail) -> None: ...


class LoggingMailer:
    """Writes the mail to the log instead of sending it (development default)."""

    def send(self, mail: OutgoingMail) -> None:
        logger.info("mail sent", extra={"to": mail.to, "subject": mail.subject})
