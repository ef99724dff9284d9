"""Canonical URLs: one spelling per article, so tracking parameters and host variants fold
together; and the links shown to a reader, with the same tracking parameters removed.

``TRACKING_PARAMS`` and ``TRACKING_PREFIXES`` are the one list of tracking parameters:
``canonical_url`` (duplicate detection) and ``strip_tracking`` (every link in a briefing) both
ask ``is_tracking_param``.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

# Query parameters that identify a campaign, a click or a syndication channel, never the article.
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
        "maca",
        "traffic_source",
        "tracking_source",
        "ttclid",
        "twclid",
        "ysclid",
        "_gl",
        "rb_clickid",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "vero_conv",
    }
)
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "at_", "hsa_", "ns_", "itm_", "__")


def is_tracking_param(name: str) -> bool:
    """True for a query parameter that tracks a click or campaign (case-insensitive)."""
    key = name.lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def strip_tracking(url: str) -> str:
    """``url`` without its tracking parameters, otherwise exactly as written (order, case,
    encoding and a meaningful fragment are kept). A fragment made only of tracking parameters
    (``#xtor=RSS-1``) goes too. Anything that is not a parseable URL is returned unchanged."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    query = _without_trackers(parts.query)
    fragment = parts.fragment
    if fragment and "=" in fragment and not _without_trackers(fragment):
        fragment = ""
    if query == parts.query and fragment == parts.fragment:
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, fragment))


def _without_trackers(query: str) -> str:
    kept = [
        piece
        for piece in query.split("&")
        if piece and not is_tracking_param(unquote_plus(piece.partition("=")[0]))
    ]
    return "&".join(kept)


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
        if not is_tracking_param(k)
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
