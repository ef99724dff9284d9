"""Canonical URLs: one spelling per article, so tracking parameters and host variants fold
together."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that identify a campaign or a click, never the article.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_hsenc",
        "_hsmi",
        "ref",
        "ref_src",
        "ref_url",
        "cmpid",
        "ncid",
        "ocid",
        "smid",
        "smtyp",
        "mkt_tok",
        "spm",
        "s_cid",
        "sr_share",
        "guccounter",
        "taid",
        "utm",
        "hp",
        "pgtype",
        "clicksource",
        "wt.nav",
        "contentcollection",
        "rref",
        "xtor",
        "_ga",
        "ito",
        "cmp",
    }
)
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "at_", "hsa_", "ns_", "__")


def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme and host, no ``www.``, no default port, no fragment, no tracking
    parameters, sorted remaining parameters, no trailing slash. ``None`` for non-web URLs."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return None
    host = host.removeprefix("www.")
    port = parts.port if parts.port not in (None, 80, 443) else None
    netloc = f"{host}:{port}" if port else host
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    path = parts.path or "/"
    while "//" in path:
        path = path.replace("//", "/")
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    for suffix in ("/index.html", "/index.htm", "/index.php"):
        if path.endswith(suffix):
            path = path[: -len(suffix)] or "/"
    return urlunsplit(("https", netloc, path, urlencode(sorted(query)), ""))
