"""The mrkdwn renderer: Slack formatting, mentions and links, and nothing unsafe ever reaches the page."""

import pytest

from mock_apps.chat.mrkdwn import Resolver, from_composer, mentioned_user_ids, plain_text, render

USERS = {"U01": ("Dana Whitfield", "/team/U01")}
CHANNELS = {"C01": ("finance", "/archives/C01")}
R = Resolver(user=USERS.get, channel=CHANNELS.get)


@pytest.mark.parametrize("text, html", [
    ("*bold*", "<strong>bold</strong>"),
    ("_italic_", "<em>italic</em>"),
    ("~strike~", "<del>strike</del>"),
    ("*_both_*", "<strong><em>both</em></strong>"),
    ("`a *b* <c>`", "<code>a *b* &lt;c&gt;</code>"),
    ("2*3*4", "2*3*4"),  # no emphasis inside words
    ("snake_case_name", "snake_case_name"),
    ("* not bold *", "* not bold *"),
    ("a\nb", "a<br>b"),
    ("```\nx = *1*\n<b>\n```", '<pre class="code-block"><code>x = *1*\n&lt;b&gt;</code></pre>'),
    ("&gt; quoted\n&gt; more\nafter", "<blockquote>quoted<br>more</blockquote>after"),
    ("done :white_check_mark:", "done \u2705"),
    (":not_an_emoji:", ":not_an_emoji:"),
    ("Tom &amp; Jerry &lt;3", "Tom &amp; Jerry &lt;3"),
    ("<@U01> ok", '<a class="mention" href="/team/U01" data-user-id="U01">@Dana Whitfield</a> ok'),
    ("<@U99>", '<span class="mention" data-user-id="U99">@unknown user</span>'),
    ("<#C01|finance>", '<a class="channel-link" href="/archives/C01">#finance</a>'),
    ("<!here>", '<span class="mention mention-special">@here</span>'),
    ("<https://example.com/a?b=1&amp;c=2|the *doc*>",
     '<a href="https://example.com/a?b=1&amp;c=2" class="mrkdwn-link" rel="noopener noreferrer nofollow" '
     'target="_blank">the *doc*</a>'),
    ("see https://example.com/x_y_z.",
     'see <a href="https://example.com/x_y_z" class="mrkdwn-link" rel="noopener noreferrer nofollow" '
     'target="_blank">https://example.com/x_y_z</a>.'),
])
def test_formatting(text, html):
    assert str(render(text, R)) == html


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<img src=x onerror=alert(1)>",
    "<javascript:alert(1)|click me>",
    "<JaVaScRiPt:alert(1)>",
    "<data:text/html;base64,PHNjcmlwdD4=|x>",
    '<http://x" onmouseover="alert(1)|x>',
    "<https://ok.example|<b>label</b>>",
    "`</code><script>alert(1)</script>`",
    "```</pre><script>alert(1)</script>```",
    "*<iframe src=javascript:alert(1)>*",
    "&#xe000;0&#xe001; <http://a.example|&#xe000;0&#xe001;>",
    "\ue0000\ue001 <http://a.example|x>",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "<@U01|<script>> <#C9|<svg onload=alert(1)>>",
])
def test_hostile_text_is_inert(hostile):
    out = str(render(hostile, R))
    lowered = out.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<iframe" not in lowered and "<svg" not in lowered
    assert 'href="javascript' not in lowered and 'href="data' not in lowered
    assert "onmouseover=\"" not in lowered and "onerror=" not in lowered.replace("&lt;img src=x onerror=", "")
    assert "\ue000" not in out and "\ue001" not in out


def test_javascript_link_shows_as_text():
    assert str(render("<javascript:alert(1)|click me>", R)) == "&lt;javascript:alert(1)|click me&gt;"


def test_plain_text_and_mentions():
    text = "Thanks <@U01>, see <#C01|finance> and <https://x.example|the doc> &amp; more"
    assert plain_text(text, R) == "Thanks @Dana Whitfield, see #finance and the doc & more"
    assert mentioned_user_ids("<@U01> <@U02|x> <@U01>") == ["U01", "U02"]


def test_composer_encoding():
    users = {"dana.whitfield": "U01"}
    channels = {"finance": ("C01", "finance")}
    encoded = from_composer("@dana.whitfield. see #finance & <b>, mail a@b.com, #nope @nobody", users, channels)
    assert encoded == "<@U01>. see <#C01|finance> &amp; &lt;b&gt;, mail a@b.com, #nope @nobody"
    assert str(render(encoded, R)).startswith('<a class="mention" href="/team/U01"')


def test_search_highlight_marks_text_only():
    from markupsafe import Markup

    from mock_apps.chat.views import highlight

    marked = str(highlight(Markup('<a href="/x?amp=1" title="amp">Tom &amp; amp</a> AMP'), ["amp"]))
    assert marked == ('<a href="/x?amp=1" title="amp">Tom &amp; <mark class="chat-hit">amp</mark></a> '
                      '<mark class="chat-hit">AMP</mark>')
    assert str(highlight(render("<script>x</script> BL-20931", R), ["bl-20931", "<script>"])) == (
        '&lt;script&gt;x&lt;/script&gt; <mark class="chat-hit">BL-20931</mark>')
