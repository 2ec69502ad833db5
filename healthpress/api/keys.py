"""API keys: Wagtail's `APIToken`, each owned by a partner user made for it.

Why Wagtail's model: it already stores only a keyed hash of the key (HMAC-SHA-256 with the
SECRET_KEY, its fallbacks accepted during a rotation), shows the key once, checks a key's format
and checksum offline, and records revocation and last use. What it does not give us is kept here:

- Every key belongs to a user of its own in the "API partners" group: no password, not staff, no
  permission of any kind. A key that leaks opens nothing but the public reads below; and if
  someone later mounted Wagtail's own API (which this project never does), a partner's key could
  change nothing there either.
- Only such keys open the partner API. A token of a staff account (Wagtail lets editors make
  tokens for themselves where its API is installed) is refused with 403: staff credentials do not
  belong in a partner's app.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import APIToken

PARTNER_GROUP = "API partners"
USERNAME_PREFIX = "api-partner-"


def partner_group():
    return Group.objects.get_or_create(name=PARTNER_GROUP)[0]


def partner_tokens():
    """Every partner key, revoked ones included (the admin page lists both)."""
    return APIToken.objects.filter(user__groups__name=PARTNER_GROUP)


def free_username(name):
    User = get_user_model()
    base = (USERNAME_PREFIX + slugify(name))[:140].rstrip("-")
    username, n = base, 2
    while User.objects.filter(username=username).exists():
        username, n = f"{base}-{n}", n + 1
    return username


@transaction.atomic
def create_key(name):
    """A new partner and its key: returns (token, plaintext). The plaintext exists only here:
    the database keeps its hash, so show it once and forget it."""
    name = " ".join(str(name).split())
    if not name:
        raise ValueError("A key needs a name: the partner's, so you know whose it is.")
    User = get_user_model()
    user = User(username=free_username(name), first_name=name[:150], is_active=True)
    user.set_unusable_password()  # never signs in: it exists to own the key
    user.save()
    user.groups.add(partner_group())
    return APIToken.create_token(user=user, name=name[:255])


def revoke_key(token):
    """Revoke a key for good (Wagtail keeps the row for the record) and retire its user."""
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoke()
        get_user_model().objects.filter(pk=token.user_id).update(is_active=False)


@dataclass
class KeyCheck:
    token: APIToken | None  # the key's row when it is a current partner key
    refused: str = ""  # why not: "unknown" (401) or "not_partner" (403)


def check_key(plaintext):
    """Which partner key `plaintext` is: one query for a partner's key, a second only for a key
    that is not one (to tell a staff token, 403, from an unknown key, 401); a malformed key costs
    none."""
    if not plaintext or not APIToken.validate_token_format(plaintext):
        return KeyCheck(None, "unknown")
    current = APIToken.objects.filter(
        key_hash__in=APIToken.candidate_key_hashes(plaintext), revoked_at__isnull=True
    )
    token = (
        current.filter(user__groups__name=PARTNER_GROUP, user__is_active=True)
        .select_related("user")
        .first()
    )
    if token is not None and not (token.user.is_staff or token.user.is_superuser):
        return KeyCheck(token)
    if token is not None or current.filter(user__is_active=True).exists():
        return KeyCheck(None, "not_partner")
    return KeyCheck(None, "unknown")
