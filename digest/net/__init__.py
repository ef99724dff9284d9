"""The network: the one HTTP fetch (timeouts, deadline, size cap), the address guard against
server-side request forgery, and canonical URLs."""

from digest.net.http import fetch
from digest.net.urls import canonical_url, strip_tracking

__all__ = [
    "canonical_url",
    "fetch",
    "strip_tracking",
]
