"""The sanitiser: known payloads, URL policy, Markdown escaping, and hypothesis invariants."""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

import markdown
import markupsafe
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from digest.sanitize import (
    escape_markdown,
    html_to_text,
    markdown_link,
    safe_url,
    sanitize_html,
    strip_control_chars,
)
from digest.sanitize import markup as sanitize_module

BASE = "https://news.example/world/item.html"

# Inert when: no dangerous element, no event handler / style / srcdoc attribute, and every URL
# attribute an http(s) or mailto URL. Feed *text* (and an https URL's path) may well contain the
# letters "javascript:" or "onclick=": there they are inert, so they are not searched for.
DANGEROUS_ELEMENT = re.compile(
    r"<\s*/?\s*(script|style|svg|math|iframe|object|embed|form|input|base|meta|link|noscript)\b",
    re.IGNORECASE,
)
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "cite", "background", "poster", "srcset", "to"}
)
ALLOWED_URL = re.compile(r"^(https?://[^/?#\s]+(?:[/?#]\S*)?|mailto:\S+)$")
ALLOWED_TAGS = frozenset(sanitize_module._ALLOWED_TAGS)


class _Collector(HTMLParser):
    """Collects the tags and attributes of an HTML string."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)


def collect(fragment: str) -> _Collector:
    collector = _Collector()
    collector.feed(fragment)
    collector.close()
    return collector


def assert_inert(output: str) -> None:
    assert not DANGEROUS_ELEMENT.search(output), output
    parsed = collect(output)
    assert set(parsed.tags) <= ALLOWED_TAGS, parsed.tags
    for tag, name, value in parsed.attributes:
        assert not name.startswith("on") and name not in {"style", "srcdoc"}, (tag, name)
        if name in URL_ATTRIBUTES:
            assert ALLOWED_URL.match(value), (tag, name, value)


PAYLOADS = [
    "<script>alert(1)</script>text",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#9;script:alert(1)">x</a>',
    '<a href="java&#x0A;script:alert(1)">x</a>',
    '<a href="java&Tab;script:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zy8+">',
    "<svg onload=alert(1)><circle/></svg>",
    '<svg><a><set attributeName="href" to="javascript:alert(1)"/><text>y</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><annotation-xml encoding="text/html"><img src=x onerror=alert(1)></annotation-xml>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//"><a href="rel">r</a>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<form action="https://evil.example"><input name="password"><button>Go</button></form>',
    '<p style="position:fixed;top:0;width:100%;height:100%">cover</p>',
    '<div style="background:url(javascript:alert(1))">x</div><style>body{display:none}</style>',
    "sa<!-- -- nonwhitespace >fe<script>alert(1)</script>",
    "<!-- unclosed comment <script>alert(1)</script>",
    '<a href="https://ok.example/" target="_blank" rel="opener">tab</a>',
    '<a href="vbscript:msgbox(1)">v</a>',
    '<img src="x" srcset="javascript:alert(1) 1x">',
    '<a href="&#106;avascript:alert(1)">e</a>',
    '<a href="javascript&colon;alert(1)">c</a>',
    "<scr<script>ipt>alert(1)</script>",
    '<table><tr><td background="javascript:alert(1)">t</td></tr></table>',
    '<blockquote cite="javascript:alert(1)">q</blockquote>',
    "<template><script>alert(1)</script></template>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_known_payloads_come_out_inert(payload: str) -> None:
    output = sanitize_html(payload, base_url=BASE)

    assert isinstance(output, markupsafe.Markup)
    assert_inert(str(output))


def test_allowed_markup_survives_and_links_are_hardened() -> None:
    fragment = (
        "<h1>Top</h1><p>A <strong>strong</strong> <em>claim</em> and a "
        '<a href="/world/2" title="next">relative link</a>.</p>'
        '<ul><li>one</li></ul><img src="pics/a.png" alt="A harbour" width="640">'
    )

    output = str(sanitize_html(fragment, base_url=BASE))

    assert "<h1>" not in output and "Top" in output  # top-level headings dropped, text kept
    assert "<strong>strong</strong> <em>claim</em>" in output
    assert (
        '<a href="https://news.example/world/2" title="next" rel="noopener noreferrer nofollow">'
        in output
    )
    assert 'src="https://news.example/world/pics/a.png"' in output
    assert 'referrerpolicy="no-referrer"' in output


def test_mis_nested_links_are_cleaned_to_a_fixed_point() -> None:
    """Nested <a> serialises to markup a browser re-parses differently; we clean until stable."""
    once = sanitize_html("<a href='/x'><table><a href='/x'>", base_url=BASE)
    assert sanitize_html(str(once), base_url=BASE) == once


def test_output_is_deterministic() -> None:
    fragment = '<img src="a.png" alt="x" width="2" height="3"><a href="/b" title="t">b</a>'
    outputs = {str(sanitize_html(fragment, base_url=BASE)) for _ in range(50)}
    assert len(outputs) == 1


def test_relative_urls_are_dropped_without_a_base() -> None:
    output = str(sanitize_html('<a href="/x">x</a><img src="y.png">'))
    assert "href" not in output and "src" not in output


def test_non_http_base_does_not_resolve_relative_urls() -> None:
    output = str(sanitize_html('<a href="/x">x</a>', base_url="javascript:alert(1)//"))
    assert "href" not in output


def test_mailto_links_are_kept_but_not_as_image_sources() -> None:
    output = str(sanitize_html('<a href="mailto:desk@news.example">m</a><img src="mailto:a@b.c">'))
    assert 'href="mailto:desk@news.example"' in output
    assert "src=" not in output


def test_html_to_text_strips_tags_and_script_content() -> None:
    text = html_to_text("<b>Bold</b> &amp; <img src=x onerror=alert(1)><script>bad()</script> end")
    assert text == "Bold &  end"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example/a", "https://news.example/a"),
        ("HTTP://News.Example/A", "http://news.example/A"),
        ("  https://news.example/a  ", "https://news.example/a"),
        ("https://news.example/a b", "https://news.example/a%20b"),
        ("https://news.example/wiki/Foo_(bar)", "https://news.example/wiki/Foo_%28bar%29"),
        ('https://news.example/"><script>', "https://news.example/%22%3E%3Cscript%3E"),
        ("//cdn.example/x.png", "https://cdn.example/x.png"),
        ("/world/3", "https://news.example/world/3"),
        ("?page=2", "https://news.example/world/item.html?page=2"),
        ("https://bücher.example/ä", "https://xn--bcher-kva.example/%C3%A4"),
        ("https://news.example/a?x=1&amp;y=2", "https://news.example/a?x=1&y=2"),
        ("mailto:desk@news.example", "mailto:desk@news.example"),
        ("https:\\\\evil.example", "https://evil.example/"),
        ("javascript:alert(1)", None),
        (" JAVASCRIPT:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("java&#9;script:alert(1)", None),
        ("java&amp;#9;script:alert(1)", None),
        ("\x00javascript:alert(1)", None),
        ("java\u200bscript:alert(1)", None),
        ("data:text/html,x", None),
        ("vbscript:x", None),
        ("file:///etc/passwd", None),
        ("ftp://files.example/x", None),
        ("https://user:secret@news.example/", None),
        ("https://", None),
        ("//<script>", None),
        ("https://-bad.example/", None),
        ("https://a..b/", None),
        ("https://[::1]/x", "https://[::1]/x"),
        ("mailto:not-an-address", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url, base=BASE) == expected


def test_safe_url_mailto_can_be_excluded() -> None:
    assert safe_url("mailto:a@b.example", allow_mailto=False) is None


def test_safe_url_needs_a_web_base_for_relative_urls() -> None:
    assert safe_url("/a") is None
    assert safe_url("/a", base="file:///etc/") is None


# --- Markdown ---------------------------------------------------------------------------------


def render_python_markdown(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "fenced_code"])


def render_commonmark_with_html(text: str) -> str:
    return MarkdownIt("commonmark").render(text)  # html=True: the permissive preset


def assert_plain_paragraph(rendered: str, original: str) -> None:
    """The rendered Markdown is one paragraph of exactly the original text, nothing active."""
    expected = " ".join(original.split())
    if not expected:
        assert rendered.strip() == ""
        return
    match = re.fullmatch(r"<p>(.*)</p>", rendered.strip(), re.DOTALL)
    assert match, rendered
    inner = match.group(1)
    assert "<" not in inner, rendered  # no tag of any kind: no link, emphasis, code or HTML
    assert html.unescape(inner) == expected


TRICKY_TITLES = [
    "[click](javascript:alert(1))",
    "![](https://tracker.example/p.gif)",
    "# Breaking: <script>alert(1)</script>",
    "<!-- hidden --> visible",
    "| a | b |\n|---|---|\n| c | d |",
    "`code` and ``more``",
    "*emph* _under_ **strong** __strong__ ~~strike~~",
    "1. not a list\n- nor this\n+ nor this",
    "> not a quote",
    "    indented code?",
    "line one\n\nline two\r\nline three",
    "<https://autolink.example> and <a@b.example>",
    "[ref]: https://evil.example\n[ref]",
    "AT&T &amp; &lt;b&gt; &#60;i&#62;",
    "Title\n=====",
    "trailing backslash \\",
    "{{ 7*7 }} {% include '/etc/passwd' %}",
    "\\[escaped\\](x)",
    "<img src=x onerror=alert(1)>",
    "***",
]


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_escaped_titles_render_as_plain_text(title: str) -> None:
    escaped = escape_markdown(title)

    assert "\n" not in escaped
    assert_plain_paragraph(render_python_markdown(escaped), title)
    assert_plain_paragraph(render_commonmark_with_html(escaped), title)


def test_markdown_link_for_a_safe_url() -> None:
    link = markdown_link("Ferry [changes] *today*", "https://harbour.example/a_(b) c")

    assert link == r"[Ferry \[changes\] \*today\*](<https://harbour.example/a_%28b%29%20c>)"
    rendered = render_python_markdown(link)
    assert rendered == (
        '<p><a href="https://harbour.example/a_%28b%29%20c">Ferry [changes] *today*</a></p>'
    )
    assert 'href="https://harbour.example/a_%28b%29%20c"' in render_commonmark_with_html(link)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", None, "/relative"])
def test_markdown_link_for_a_refused_url_is_text_only(url: str | None) -> None:
    link = markdown_link("Read [more]", url)

    assert link == r"Read \[more\]"
    assert "<a" not in render_python_markdown(link)


def test_markdown_link_with_empty_text_shows_the_url() -> None:
    link = markdown_link("  ", "https://harbour.example/x")
    assert link == "[https://harbour.example/x](<https://harbour.example/x>)"


# --- properties -------------------------------------------------------------------------------

_HTML_PIECES = st.sampled_from(
    [
        "<script>", "</script>", "<svg>", "<math>", "<a href=\"", "javascript:", "java&#9;script:",
        "\" onclick=\"x()\"", " onerror=alert(1) ", "<img src=", "<iframe srcdoc=\"", "<style>",
        "<p>", "</p>", "<b>", "</a>", "<!--", "-->", "<noscript>", "</noscript>", "\"", "'", ">",
        "<", "&", "&#x6a;", "data:", "<form>", "<input>", "style=\"", "<table>", "<td>",
        "<![CDATA[",
        "]]>", "<base href=", "<meta ", "\x00", "\t", "\n", "<a href='/x'>", "<plaintext>",
        "<xmp>", "<title>", "<textarea>", "</textarea>", "<select>", "<template>", "<object>",
    ]
)  # fmt: skip
_HTMLISH = st.lists(st.one_of(_HTML_PIECES, st.text(max_size=8)), max_size=30).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_HTMLISH)
def test_sanitize_html_output_is_always_inert(fragment: str) -> None:
    assert_inert(str(sanitize_html(fragment, base_url=BASE)))


@settings(max_examples=400, deadline=None)
@given(_HTMLISH)
def test_sanitize_html_is_idempotent(fragment: str) -> None:
    once = sanitize_html(fragment, base_url=BASE)
    assert sanitize_html(str(once), base_url=BASE) == once


_MD_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("\\`*_{}[]()#+-.!|~<>&:;/\"' \n\t=^$%@0123456789ahjptsx")),
        st.characters(codec="utf-8"),
    ),
    max_size=60,
)


@settings(max_examples=500, deadline=None)
@given(_MD_TEXT)
def test_escape_markdown_renders_as_exactly_the_text(text: str) -> None:
    """Whatever the text, both renderers show exactly it (as escape_markdown normalises it)."""
    escaped = escape_markdown(text)
    normal = unicodedata.normalize("NFC", strip_control_chars(text))

    assert "\n" not in escaped
    assert_plain_paragraph(render_python_markdown(escaped), normal)
    assert_plain_paragraph(render_commonmark_with_html(escaped), normal)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_HTMLISH, _MD_TEXT), st.one_of(st.none(), _MD_TEXT))
def test_safe_url_only_ever_returns_web_or_mail_urls(url: str, base: str | None) -> None:
    result = safe_url(url, base=base)
    if result is not None:
        assert re.match(r"^(https?://[^/?#\s]+|mailto:)", result)
        assert not re.search(r"[\s<>\"()\x00-\x1f]", result)
        assert safe_url(result) == result  # idempotent
