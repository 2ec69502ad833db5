"""Who is asking: the client address, kept only truncated, and a key for rate limits."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address. Behind N trusted proxies (TRUSTED_PROXY_COUNT), the Nth from the right
    of X-Forwarded-For; otherwise REMOTE_ADDR, which a client cannot forge."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [p.strip() for p in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def truncated_ip(ip):
    """The network the address belongs to, /24 for IPv4 and /48 for IPv6: enough for spam
    decisions, not enough to identify a household. Unparseable input gives ""."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def client_key(request):
    """Rate-limit key: the truncated network, so one client cannot dodge limits by rotating
    addresses within its own /64 or /24."""
    return truncated_ip(client_ip(request)) or "unknown"
