"""The action language: every action parses into its typed form; anything else is refused with a message that
says exactly what is wrong, and nothing is ever evaluated."""

from __future__ import annotations

import pytest

from mock_apps.evaluation.actions import ACTION_SPACE_DOC, SPECS, ActionError, action_text, parse_action


@pytest.mark.parametrize("text, name, args", [
    ('click("a12")', "click", {"element": "a12", "button": "left"}),
    ('click("a12", button="right")', "click", {"element": "a12", "button": "right"}),
    ('dblclick("a3")', "dblclick", {"element": "a3"}),
    ('fill("a12", "ACME, \\"Corp\\"")', "fill", {"element": "a12", "text": 'ACME, "Corp"'}),
    ("fill('a12', text='')", "fill", {"element": "a12", "text": ""}),
    ('press("a12", "Control+a")', "press", {"element": "a12", "key": "Control+a"}),
    ('select_option("a7", "Brightline Logistics")', "select_option", {"element": "a7", "options": "Brightline Logistics"}),
    ('select_option("a7", ["A", "B"])', "select_option", {"element": "a7", "options": ["A", "B"]}),
    ('check("a1")', "check", {"element": "a1"}),
    ('hover("a1")', "hover", {"element": "a1"}),
    ('drag_and_drop("a1", "a2")', "drag_and_drop", {"from_element": "a1", "to_element": "a2"}),
    ('upload_file("a9", "/tmp/x.pdf")', "upload_file", {"element": "a9", "paths": "/tmp/x.pdf"}),
    ('upload_file("a9", ["/tmp/x.pdf", "/tmp/y.png"])', "upload_file", {"element": "a9", "paths": ["/tmp/x.pdf", "/tmp/y.png"]}),
    ("scroll(0, -250.5)", "scroll", {"dx": 0, "dy": -250.5}),
    ('goto("mail:/search?q=invoice")', "goto", {"url": "mail:/search?q=invoice"}),
    ("go_back()", "go_back", {}),
    ("new_tab()", "new_tab", {}),
    ("tab_focus(2)", "tab_focus", {"index": 2}),
    ("tab_close()", "tab_close", {}),
    ('send_msg_to_user("Done.")', "send_msg_to_user", {"text": "Done."}),
    ('report_infeasible("no such invoice")', "report_infeasible", {"reason": "no such invoice"}),
    ("  noop()  ", "noop", {"wait_ms": 0}),
    ("noop(500)", "noop", {"wait_ms": 500}),
])
def test_valid_actions_parse_into_typed_arguments(text, name, args):
    action = parse_action(text)
    assert (action.name, action.args) == (name, args)
    assert parse_action(str(action)) == action  # the canonical text parses back to the same action


@pytest.mark.parametrize("text, message", [
    ('__import__("os")', "unknown action '__import__'"),
    ('__import__("os").system("touch /tmp/pwned")', "actions are plain function calls such as click(\"a12\"), not "
                                                    "__import__('os').system(...)"),
    ('os.system("ls")', "not os.system(...)"),
    ('clik("a1")', "unknown action 'clik'; did you mean click?"),
    ("click(a12)", "click: argument 1 (element) is the bare name a12; quote it: \"a12\""),
    ("click(12)", "click: argument 1 (element) must be an element id string such as \"a12\", not 12"),
    ('click("submit")', "click: argument 1 (element): 'submit' is not an element id"),
    ('click("a1", "up")', "click: argument 2 (button) must be one of left, middle, right, not 'up'"),
    ('fill("a1")', "fill is missing its argument 'text'"),
    ('fill("a1", 42)', "fill: argument 2 (text) must be a string, not int 42"),
    ('fill("a1", "x", "y")', "fill takes 2 argument(s), got 3"),
    ('fill("a1", txt="x")', "fill has no argument 'txt'"),
    ('fill("a1", "x", text="y")', "fill: argument 'text' given twice"),
    ('fill("a1", "a" + "b")', "fill: argument 2 (text) must be a literal value, not the expression 'a' + 'b'"),
    ('fill(*["a1", "x"])', "fill: * and ** arguments are not allowed"),
    ("tab_focus(1.5)", "tab_focus: argument 1 (index) must be a whole number, not 1.5"),
    ("tab_focus(True)", "tab_focus: argument 1 (index) must be a whole number, not True"),
    ('scroll("down", 1)', "scroll: argument 1 (dx) must be a number"),
    ("noop(99999)", "noop: argument 1 (wait_ms) must be from 0 to 10000 milliseconds"),
    ('select_option("a1", [])', "must be a string or a non-empty list of strings"),
    ('press("a1", "")', "press: argument 2 (key) must not be empty"),
    ('click("a1"); click("a2")', "not a function call"),
    ("x = 1", "not a function call"),
    ("lambda: 1", "not a function call"),
    ("", "empty action"),
    ("[" * 500, "not a function call"),
])
def test_bad_actions_are_refused_with_a_precise_message(text, message):
    with pytest.raises(ActionError) as refused:
        parse_action(text)
    assert message in refused.value.message


def test_nothing_is_evaluated(tmp_path):
    marker = tmp_path / "pwned"
    for text in (f'__import__("os").system("touch {marker}")', f'fill("a1", open("{marker}", "w").name)',
                 f'fill("a1", __import__("os").system("touch {marker}"))'):
        with pytest.raises(ActionError):
            parse_action(text)
    assert not marker.exists()


def test_overlong_and_non_text_actions_are_refused():
    with pytest.raises(ActionError, match="at most"):
        parse_action('fill("a1", "' + "x" * 30_000 + '")')
    with pytest.raises(ActionError, match="not list"):
        parse_action(["click", "a1"])


def test_the_documentation_names_every_action_with_an_example_that_parses():
    for name, spec in SPECS.items():
        assert f"{name}(" in ACTION_SPACE_DOC
        assert parse_action(spec.example).name == name


def test_action_text_quotes_what_it_must():
    text = action_text("fill", "a3", 'He said "hi"\nthen left')
    assert parse_action(text).args["text"] == 'He said "hi"\nthen left'
    assert action_text("click", "a3") == 'click("a3")'
    assert action_text("noop", 250) == "noop(250)"
