"""Hostile HTML and text bodies are rendered inert."""

from mock_apps.mail.sanitizer import CLIP_CHARS, sanitize_html, text_to_html


def test_scripts_handlers_and_javascript_links_removed():
    out, clipped = sanitize_html('<p onclick="x()">hi<script>alert(1)</script><a href="javascript:alert(1)">l</a>'
                                 '<img src=x onerror="alert(1)"><iframe src="//evil"></iframe><style>p{}</style></p>')
    lowered = str(out).lower()
    for bad in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<style", "alert(1)"):
        assert bad not in lowered
    assert "hi" in out and not clipped


def test_links_keep_href_with_safe_rel():
    out, _ = sanitize_html('<a href="https://example.com/x">x</a>')
    assert 'href="https://example.com/x"' in out and "noopener" in out


def test_text_is_escaped_linkified_and_clipped():
    out, clipped = text_to_html('<b>x</b> see https://a.test/?q=1&r=2 javascript:alert(1)')
    assert "<b>" not in out and "&lt;b&gt;" in out
    assert '<a href="https://a.test/?q=1&amp;r=2"' in out
    assert 'href="javascript' not in out and not clipped
    big, clipped = text_to_html("x" * (2 * 1024 * 1024))
    assert clipped and len(big) == CLIP_CHARS
