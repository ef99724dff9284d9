"""The network: the one HTTP fetch (timeouts, deadline, size cap, vetted validators), the address
guard against server-side request forgery, and canonical URLs. (URLs are redacted for display by
``digest.sanitize.redact_url``.)"""

from digest.net.http import DEFAULT_USER_AGENT, FetchLimits, FetchResult, display_url, fetch
from digest.net.urls import canonical_url, strip_tracking
from digest.net.validators import Validators, valid_etag, valid_last_modified

__all__ = [
    "DEFAULT_USER_AGENT",
    "FetchLimits",
    "FetchResult",
    "Validators",
    "canonical_url",
    "display_url",
    "fetch",
    "strip_tracking",
    "valid_etag",
    "valid_last_modified",
]
