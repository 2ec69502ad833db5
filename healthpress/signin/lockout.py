"""The password step's lockout, as django-axes keeps it (settings: AXES_* in settings/security.py).

django-axes counts wrong passwords per (username, address) pair (AXES_LOCKOUT_PARAMETERS) and
compares the count with AXES_FAILURE_LIMIT, which may be a callable of the request: that callable
is `failure_limit` below, which adds the second rule, a higher limit for one address across every
username. So:
- ten wrong passwords (ADMIN_LOGIN_FAILURES) for one username from one address pause that
  username there, and only there: a sprayer cannot keep the owner out from another address;
- fifty (ADMIN_ADDRESS_FAILURES) from one address, whatever the usernames, pause the address;
- a good sign-in clears its own pair only (AXES_RESET_ON_SUCCESS with the pair as the only
  lockout parameter), never the failures recorded for other usernames;
- a failure during a pause is not recorded (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off),
  so the pause ends ADMIN_LOCKOUT_MINUTES after it began, whatever is tried meanwhile.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

from healthpress.core.clients import client_ip, truncated_ip


def client_address(request):
    """AXES_CLIENT_IP_CALLABLE: the address a failure is counted against. The client address as
    the rate limits read it behind TRUSTED_PROXY_COUNT proxies (core/clients.py); for IPv6 its
    /48 network, since one subscriber holds a whole /48 (a free tunnel gives one) and could
    otherwise try ten passwords from each of its addresses."""
    ip = client_ip(request)
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip or None
    if address.version == 6 and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return truncated_ip(ip) if address.version == 6 else ip


def address_failures(request):
    """Wrong passwords from this request's address within the cool-off, every username."""
    recent = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,
        attempt_time__gte=get_cool_off_threshold(request),
    )
    return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0


def failure_limit(request, credentials):
    """AXES_FAILURE_LIMIT: how many failures the pair may have before it is paused. None more
    once the address has had ADMIN_ADDRESS_FAILURES: django-axes asks one limit per request,
    so the address-wide rule is said here as "no more for anyone from there"."""
    if address_failures(request) >= settings.ADMIN_ADDRESS_FAILURES:
        return 0
    return settings.ADMIN_LOGIN_FAILURES
