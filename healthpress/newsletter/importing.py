"""CSV import and export of subscribers, for the admin."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .forms import normalise_email
from .models import Subscriber
from .subscriptions import claim_email_slot
from .tasks import send_subscription_email

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# A cell starting with one of these is a formula to a spreadsheet: exports defuse it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


@dataclass
class ImportResult:
    added: int = 0
    already_known: int = 0
    invalid: list = field(default_factory=list)  # (line number, reason)


def read_addresses(upload):
    """Email addresses from a CSV file: the column headed "email", else the first column."""
    raw = upload.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise ValidationError("The file is larger than 5 MB; split it into smaller files.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError("The file is not UTF-8 text; save it as CSV (UTF-8).") from error
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ValidationError("The file is empty.")
    header = [cell.strip().lower() for cell in rows[0]]
    column, start = (header.index("email"), 1) if "email" in header else (0, 0)
    for number, row in enumerate(rows[start:], start=start + 1):
        if any(cell.strip() for cell in row):
            yield number, row[column] if column < len(row) else ""


def import_subscribers(upload, source, consented, user_label=""):
    """Add the file's addresses. `consented`: they agreed, so they are confirmed now; otherwise
    each gets a confirmation email and stays pending until they confirm."""
    result = ImportResult()
    now = timezone.now()
    label = f"import: {source}" + (f" (by {user_label})" if user_label else "")
    for number, value in read_addresses(upload):
        try:
            email = normalise_email(value)
        except ValidationError as error:
            result.invalid.append((number, error.messages[0]))
            continue
        if Subscriber.objects.filter(email__iexact=email).exists():
            result.already_known += 1
            continue
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(
                    email=email,
                    consent_at=now,
                    consent_wording="import" if consented else "import, to be confirmed",
                    consent_source=label[:200],
                )
        except IntegrityError:
            result.already_known += 1
            continue
        if consented:
            subscriber.confirm(now)
        elif claim_email_slot(subscriber, now):
            send_subscription_email.enqueue(subscriber.pk)
        result.added += 1
    return result
