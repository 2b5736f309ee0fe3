"""What an agent sees of a page: stable element ids stamped into the DOM, the accessibility tree as text with
those ids, per-element properties, the focused element, and optionally a screenshot and set-of-marks.

Ids are stamped by injected JavaScript as a `data-mockapps-id` attribute on every element that has none yet
(numbered in document order, the counter kept on the window), so an element keeps its id across observations
of the same document and actions find it with a CSS attribute selector. The tree is Chromium's own
accessibility tree (CDP `Accessibility.getFullAXTree`): roles and names are what assistive technology gets.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

ID_ATTRIBUTE = "data-mockapps-id"

# Stamps ids and describes every element of the body: what a recorded selector or an agent can match on.
STAMP_JS = """() => {
  const ATTR = "%s";
  const root = document.body;
  if (!root) return JSON.stringify({elements: [], focused: null, scroll: [window.scrollX, window.scrollY]});
  let next = window.__mockappsNextId || 0;
  const all = [root, ...root.querySelectorAll("*")];
  for (const el of all) if (!el.hasAttribute(ATTR)) el.setAttribute(ATTR, "a" + (++next));
  window.__mockappsNextId = next;
  const squash = (s) => (s || "").replace(/\\s+/g, " ").trim();
  const labelOf = (el) => {
    const byAria = el.getAttribute("aria-label");
    if (byAria) return squash(byAria);
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
    if (ids.length) return squash(ids.map((i) => (document.getElementById(i) || {}).textContent || "").join(" "));
    if (el.labels && el.labels.length) return squash(el.labels[0].textContent);
    return null;
  };
  const SKIP = new Set(["script", "style", "template", "noscript"]);
  const texts = new Map(all.map((el) => [el, squash(el.textContent).slice(0, 200)]));
  const elements = [];
  for (const el of all) {
    const tag = el.tagName.toLowerCase();
    if (SKIP.has(tag)) continue;
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const visible = rect.width > 0 && rect.height > 0 && style.visibility !== "hidden" && style.display !== "none";
    const text = texts.get(el);
    const childHasText = [...el.children].some((c) => texts.get(c) === text);
    elements.push({
      id: el.getAttribute(ATTR), tag, visible,
      testid: el.getAttribute("data-testid"), html_id: el.id || null,
      label: labelOf(el), placeholder: el.getAttribute("placeholder"),
      text: text || null, owns_text: !!text && !childHasText,
      bbox: [rect.x, rect.y, rect.width, rect.height],
    });
  }
  const active = document.activeElement;
  // one JSON string: Playwright's per-value serialization of a large object costs far more
  return JSON.stringify({elements, focused: active && active !== document.body ? active.getAttribute(ATTR) : null,
                         scroll: [window.scrollX, window.scrollY]});
}""" % ID_ATTRIBUTE

# Roles shown only through their children unless they carry a name (they add tokens, not meaning).
FLATTENED = {"generic", "none", "presentation", "LabelText", "paragraph", "strong", "emphasis", "Section",
             "MenuListPopup", "rowgroup", "InlineTextBox", "LineBreak", "Abbr", "time", "subscript",
             "superscript", "mark", "code", "ListMarker", "Canvas", "DescriptionListDetail"}
VALUE_ROLES = {"textbox", "searchbox", "combobox", "spinbutton", "Date", "DateTime", "InputTime", "slider",
               "button", "progressbar", "meter", "textbox-multiline"}
INTERACTIVE_ROLES = {"button", "link", "textbox", "searchbox", "combobox", "checkbox", "radio", "menuitem",
                     "option", "tab", "switch", "spinbutton", "slider", "gridcell", "Date", "DateTime",
                     "menuitemcheckbox", "menuitemradio", "treeitem", "columnheader", "rowheader"}
SHOWN_STATES = ("checked", "selected", "expanded", "pressed", "disabled", "required", "focused", "readonly")


@dataclass
class PageView:
    """One observation of a page: the tree as text, element properties by id, the focused element."""

    axtree: str
    elements: dict[str, dict] = field(default_factory=dict)
    focused: str | None = None
    scroll: tuple[float, float] = (0.0, 0.0)


def _value(holder: dict | None):
    return None if not holder else holder.get("value")


def _properties(node: dict) -> dict:
    return {p["name"]: _value(p.get("value")) for p in node.get("properties", [])}


def _dom_ids(snapshot: dict) -> dict[int, str]:
    """backendNodeId -> stamped element id, from a CDP DOMSnapshot."""
    strings = snapshot["strings"]
    found = {}
    for document in snapshot["documents"][:1]:  # the main frame; frames are not observed
        nodes = document["nodes"]
        for backend, attributes in zip(nodes["backendNodeId"], nodes.get("attributes", [])):
            for i in range(0, len(attributes), 2):
                if strings[attributes[i]] == ID_ATTRIBUTE:
                    found[backend] = strings[attributes[i + 1]]
                    break
    return found


def _quote(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[:limit] + "…"
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def render_axtree(nodes: list[dict], ids: dict[int, str], relative_url=None) -> tuple[str, dict[str, dict]]:
    """The accessibility tree as indented text lines `[a12] role 'name' states`, and role/name per element id."""
    by_id = {n["nodeId"]: n for n in nodes}
    children_of = {n["nodeId"]: n.get("childIds", []) for n in nodes}
    roots = [n for n in nodes if not n.get("parentId")]
    lines: list[str] = []
    semantics: dict[str, dict] = {}

    def visit(node_id: str, depth: int, parent_name: str | None) -> None:
        node = by_id.get(node_id)
        if node is None:
            return
        role = _value(node.get("role")) or ""
        name = _value(node.get("name")) or ""
        element_id = ids.get(node.get("backendDOMNodeId"))
        props = _properties(node)
        if element_id and not node.get("ignored"):
            semantics.setdefault(element_id, {"role": role, "name": name})
        shown = not node.get("ignored") and role not in ("InlineTextBox",) and not (
            role in FLATTENED and not name and not (props.get("focusable") and element_id and role == "generic"))
        if role == "StaticText":
            shown = bool(name.strip()) and " ".join(name.split()) != " ".join((parent_name or "").split())
        if shown:
            parts = [f"[{element_id}]"] if element_id else []
            parts.append(role)
            if name:
                parts.append(_quote(name))
            value = _value(node.get("value"))
            if value not in (None, "") and role in VALUE_ROLES:
                parts.append(f"value={_quote(value)}")
            for state in SHOWN_STATES:
                if state in props and props[state] not in (False, None, "false"):
                    parts.append(state if props[state] is True else f"{state}={props[state]}")
            if role == "link" and props.get("url") and relative_url is not None:
                parts.append(f"url={_quote(relative_url(props['url']))}")
            if role == "heading" and props.get("level"):
                parts.append(f"level={props['level']}")
            lines.append("  " * depth + " ".join(parts))
        for child in children_of.get(node_id, []):
            visit(child, depth + 1 if shown else depth, name if shown and name else parent_name)

    for root in roots:
        visit(root["nodeId"], 0, None)
    return "\n".join(lines), semantics


class PageObserver:
    """Observes pages of one browser context through Playwright and a CDP session per page."""

    def __init__(self, context, relative_url=None):
        self.context = context
        self.relative_url = relative_url
        self._sessions: dict[object, object] = {}

    def _cdp(self, page):
        session = self._sessions.get(page)
        if session is None:
            session = self._sessions[page] = self.context.new_cdp_session(page)
            page.on("close", lambda closed: self._sessions.pop(closed, None))
        return session

    def stamp(self, page) -> dict:
        """Stamp ids on elements that have none; return the elements' properties and the focused id."""
        return json.loads(page.evaluate(STAMP_JS))

    def observe(self, page) -> PageView:
        """Stamp ids, then read the accessibility tree and join it to the stamped elements."""
        if page.url == "about:blank":
            stamped = {"elements": [], "focused": None, "scroll": [0, 0]}
        else:
            stamped = self.stamp(page)
        cdp = self._cdp(page)
        snapshot = cdp.send("DOMSnapshot.captureSnapshot", {"computedStyles": []})
        tree = cdp.send("Accessibility.getFullAXTree")
        axtree, semantics = render_axtree(tree["nodes"], _dom_ids(snapshot), self.relative_url)
        elements = {}
        for element in stamped["elements"]:
            element_id = element.pop("id")
            element.update(semantics.get(element_id, {"role": None, "name": None}))
            elements[element_id] = element
        return PageView(axtree=axtree, elements=elements, focused=stamped["focused"],
                        scroll=tuple(stamped.get("scroll") or (0, 0)))


def screenshot_array(page):
    """The page's viewport as an RGB numpy array (height, width, 3) of uint8."""
    import numpy as np
    from PIL import Image

    png = page.screenshot(type="png", timeout=10_000)
    return np.array(Image.open(io.BytesIO(png)).convert("RGB"))


def set_of_marks(image, view: PageView):
    """The screenshot with every visible interactive element boxed and labelled with its id."""
    import numpy as np
    from PIL import Image, ImageDraw

    picture = Image.fromarray(image)
    draw = ImageDraw.Draw(picture)
    height, width = image.shape[:2]
    for element_id, element in view.elements.items():
        if not element.get("visible") or element.get("role") not in INTERACTIVE_ROLES:
            continue
        x, y, w, h = element["bbox"]
        if x + w < 0 or y + h < 0 or x > width or y > height or w < 2 or h < 2:
            continue
        draw.rectangle([x, y, x + w, y + h], outline=(230, 30, 30), width=1)
        label_box = draw.textbbox((x, y), element_id)
        draw.rectangle([label_box[0] - 1, label_box[1] - 1, label_box[2] + 1, label_box[3] + 1], fill=(230, 30, 30))
        draw.text((x, y), element_id, fill=(255, 255, 255))
    return np.array(picture)
