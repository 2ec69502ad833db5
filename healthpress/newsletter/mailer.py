"""One reused connection to the mail server, with retry and backoff for temporary failures.

Works with any Django email backend (SMTP, console, django-anymail): SMTP replies are classified
by code; anything else that raises is treated as temporary, so nothing is marked failed by guess.
"""

import contextlib
import enum
import smtplib
import time

from django.conf import settings
from django.core.mail import get_connection


class Outcome(enum.Enum):
    SENT = "sent"
    PERMANENT = "permanent"  # 5xx: this address will not take it
    TEMPORARY = "temporary"  # 4xx or connection trouble that outlasted every retry


class Mailer:
    def __init__(self, sleep=time.sleep):
        self.connection = get_connection(fail_silently=False)
        self.sleep = sleep
        self.retries = 0
        self.last_error = ""

    def close(self):
        # The connection may already be gone; there is nothing to save from it.
        with contextlib.suppress(Exception):
            self.connection.close()
        if hasattr(self.connection, "connection"):
            self.connection.connection = None

    def send(self, message):
        """Hand one message to the server: SENT once it answered 250, else why not."""
        max_retries = settings.NEWSLETTER_MAX_RETRIES
        for attempt in range(max_retries + 1):
            if attempt:
                self.retries += 1
                delay = settings.NEWSLETTER_RETRY_BACKOFF * 2 ** (attempt - 1)
                self.sleep(min(delay, settings.NEWSLETTER_RETRY_BACKOFF_MAX))
            outcome = self._try(message)
            if outcome is not Outcome.TEMPORARY:
                return outcome
        return Outcome.TEMPORARY

    def _try(self, message):
        try:
            self.connection.open()
            sent = self.connection.send_messages([message])
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            self.last_error = "; ".join(f"{c} {m!r}" for c, m in error.recipients.values())[:500]
            return Outcome.PERMANENT if codes and min(codes) >= 500 else Outcome.TEMPORARY
        except smtplib.SMTPSenderRefused as error:
            # Our own From address refused: never the subscriber's fault, so never a bounce.
            self.last_error = f"sender refused: {error.smtp_code} {error.smtp_error!r}"[:500]
            return Outcome.TEMPORARY
        except smtplib.SMTPResponseException as error:
            self.last_error = f"{error.smtp_code} {error.smtp_error!r}"[:500]
            if 500 <= error.smtp_code < 600:
                return Outcome.PERMANENT
            if error.smtp_code == 421:  # the server is closing the connection
                self.close()
            return Outcome.TEMPORARY
        except Exception as error:  # noqa: BLE001 - dropped connection, refused, timeout, API
            self.last_error = f"{type(error).__name__}: {error}"[:500]
            self.close()
            return Outcome.TEMPORARY
        if sent != 1:
            self.last_error = "the backend reported the message as not sent"
            return Outcome.TEMPORARY
        return Outcome.SENT
