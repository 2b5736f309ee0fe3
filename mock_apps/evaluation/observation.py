"""What an agent sees of a page: stable element ids stamped into the DOM, the accessibility tree as text with
those ids, per-element properties, the focused element, and optionally a screenshot and set-of-marks.

Ids are stamped by injected JavaScript as a `data-mockapps-id` attribute on every element that has none yet
(numbered in document order, the counter kept on the window), so an element keeps its id across observations
of the same document and actions find it with a CSS attribute selector.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

ID_ATTRIBUTE = "data-mockapps-id"

# Stamps ids on elements that have none, then walks the rendered DOM once: the accessibility tree as text lines
# (ARIA roles, explicit or implied by the tag, and accessible names as assistive technology computes them for
# these pages) and every element's properties. Built in the page: Chromium's own tree over CDP costs seconds on
# a 2,000-cell sheet; this costs milliseconds.
OBSERVE_JS = r"""(apps) => {
  const ATTR = "%s";
  const root = document.body;
  const result = {lines: [], elements: [], focused: null, scroll: [window.scrollX, window.scrollY], title: document.title};
  if (!root) return JSON.stringify(result);
  let next = window.__mockappsNextId || 0;
  for (const el of [root, ...root.querySelectorAll("*")]) if (!el.hasAttribute(ATTR)) el.setAttribute(ATTR, "a" + (++next));
  window.__mockappsNextId = next;

  const squash = (s) => (s || "").replace(/\s+/g, " ").trim();
  const clip = (s, n) => (s.length > n ? s.slice(0, n) : s);
  const TEXTY = new Set(["text", "email", "tel", "url", "password", ""]);
  const SKIP = new Set(["script", "style", "template", "noscript", "head", "meta", "link"]);
  const NAME_FROM_CONTENT = new Set(["link", "button", "heading", "cell", "gridcell", "columnheader", "rowheader",
    "option", "menuitem", "menuitemcheckbox", "menuitemradio", "tab", "treeitem", "tooltip", "switch", "checkbox",
    "radio"]);
  const CELLS = new Set(["cell", "gridcell", "columnheader", "rowheader"]);
  const LANDMARK = {nav: "navigation", main: "main", aside: "complementary", header: "banner", footer: "contentinfo"};
  const FLATTEN = new Set(["generic", "none", "presentation", "paragraph", "group", "form", "region"]);

  function roleOf(el, tag) {
    const explicit = el.getAttribute("role");
    if (explicit) return explicit.split(" ")[0];
    const type = (el.getAttribute("type") || "").toLowerCase();
    switch (tag) {
      case "a": return el.hasAttribute("href") ? "link" : "generic";
      case "button": case "summary": return "button";
      case "input":
        if (["submit", "button", "reset", "image", "file"].includes(type)) return "button";
        if (type === "checkbox") return "checkbox";
        if (type === "radio") return "radio";
        if (type === "search") return "searchbox";
        if (type === "number") return "spinbutton";
        if (type === "range") return "slider";
        if (type === "hidden") return null;
        if (TEXTY.has(type)) return "textbox";
        return type;  // date, time, month, color ...
      case "textarea": return "textbox";
      case "select": return el.multiple || el.size > 1 ? "listbox" : "combobox";
      case "option": return "option";
      case "img": return el.getAttribute("alt") === "" ? "presentation" : "img";
      case "ul": case "ol": case "menu": return "list";
      case "li": return "listitem";
      case "table": return "table";
      case "tr": return "row";
      case "td": return el.closest("[role=grid],[role=treegrid]") ? "gridcell" : "cell";
      case "th": return el.getAttribute("scope") === "row" ? "rowheader" : "columnheader";
      case "form": return "form";
      case "dialog": return "dialog";
      case "p": return "paragraph";
      case "label": return "LabelText";
      case "fieldset": return "group";
      case "section": return "region";
      case "iframe": return "iframe";
      case "progress": return "progressbar";
      case "hr": return "separator";
      case "details": return "group";
      default:
        if (/^h[1-6]$/.test(tag)) return "heading";
        if (LANDMARK[tag]) return (tag === "header" || tag === "footer") && el.closest("main,article,section,aside,nav")
          ? "generic" : LANDMARK[tag];
        if (tag === "search") return "search";
        return "generic";
    }
  }

  function labelOf(el) {
    const ids = el.getAttribute("aria-labelledby");
    if (ids) return squash(ids.split(/\s+/).map((id) => (document.getElementById(id) || {}).textContent || "").join(" "));
    if (el.labels && el.labels.length) return squash(el.labels[0].textContent);
    return null;
  }

  function nameOf(el, tag, role) {
    const aria = el.getAttribute("aria-label");
    if (aria && squash(aria)) return squash(aria);
    const label = labelOf(el);
    if (label) return label;
    if (tag === "input") {
      const type = (el.getAttribute("type") || "").toLowerCase();
      if (["submit", "button", "reset"].includes(type)) return squash(el.value);
      return squash(el.getAttribute("title") || el.getAttribute("placeholder") || "");
    }
    if (tag === "img") return squash(el.getAttribute("alt") || el.getAttribute("title") || "");
    if (tag === "select" || tag === "textarea") return squash(el.getAttribute("title") || el.getAttribute("placeholder") || "");
    if (tag === "option") return squash(el.label || el.textContent);
    if (tag === "table") { const caption = el.querySelector(":scope > caption"); if (caption) return squash(caption.textContent); }
    if (tag === "fieldset") { const legend = el.querySelector(":scope > legend"); if (legend) return squash(legend.textContent); }
    // a cell holding a form control is named by nothing but its label (its content is the control's)
    if (NAME_FROM_CONTENT.has(role) && !(CELLS.has(role) && el.querySelector("input,select,textarea,button")))
      return squash(el.innerText || el.textContent || "") || squash(el.getAttribute("title") || "");
    return squash(el.getAttribute("title") || "");
  }

  function rendered(el) {
    if (el.hidden || el.getAttribute("aria-hidden") === "true") return false;
    // checkVisibility is cheap; only a box-less element needs its style read (display: contents is rendered)
    if (el.checkVisibility({visibilityProperty: true})) return true;
    return getComputedStyle(el).display === "contents";
  }

  const quote = (s, n = 300) => "'" + clip(squash(s), n).replace(/\\/g, "\\\\").replace(/'/g, "\\'") + (squash(s).length > n ? "…" : "") + "'";
  const relative = (href) => {
    try {
      const u = new URL(href, location.href);
      const app = apps[u.origin];
      return app ? app + ":" + u.pathname + u.search : u.href;
    } catch (e) { return href; }
  };
  const active = document.activeElement;
  result.focused = active && active !== document.body ? active.getAttribute(ATTR) : null;
  const lines = result.lines;
  lines.push("RootWebArea " + quote(document.title) + (active === document.body || !active ? " focused" : ""));

  // `folded`: the element is inside a closed <details> (not its summary). Not rendered, and known to be so without
  // asking: the browser lays such an element out anew for each question about its box or style (a chat page's
  // message menus made that most of an observation's time), so it has no box here.
  const NO_BOX = {x: 0, y: 0, width: 0, height: 0};
  function walk(el, depth, contentName, inSelect, folded) {
    const tag = el.tagName.toLowerCase();
    if (SKIP.has(tag)) return;
    const shownHere = !folded && (inSelect || rendered(el));
    const id = el.getAttribute(ATTR);
    const rect = shownHere ? el.getBoundingClientRect() : NO_BOX;
    const visible = rect.width > 0 && rect.height > 0 && shownHere;
    let leaf = true;
    for (const child of el.children) if (child.tagName !== "BR") { leaf = false; break; }
    const role = shownHere ? roleOf(el, tag) : null;
    const name = role ? nameOf(el, tag, role) : null;
    const text = leaf ? clip(squash(shownHere ? el.innerText : el.textContent), 200) : null;
    // only what is there: most elements have no test id, label or placeholder
    const entry = {id, tag, role, name: name || null, visible, bbox: [rect.x, rect.y, rect.width, rect.height]};
    const testid = el.getAttribute("data-testid"), label = labelOf(el), placeholder = el.getAttribute("placeholder");
    if (testid) entry.testid = testid;
    if (el.id) entry.html_id = el.id;
    if (label) entry.label = label;
    if (placeholder) entry.placeholder = placeholder;
    if (text) entry.text = text;
    result.elements.push(entry);
    if (!shownHere) return;
    const focusable = el.tabIndex >= 0 && (el.hasAttribute("tabindex") || el.isContentEditable);
    let shown = !!role && !(FLATTEN.has(role) && !name && !focusable);
    if (role === "LabelText") shown = false;
    if (shown) {
      const parts = ["[" + id + "]", role];
      if (name) parts.push(quote(name));
      if (tag === "input" || tag === "textarea") {
        const type = (el.type || "").toLowerCase();
        if (type === "file") parts.push("value=" + quote(el.files && el.files.length ? [...el.files].map((f) => f.name).join(", ") : "No file chosen"));
        else if (type !== "checkbox" && type !== "radio" && el.value) parts.push("value=" + quote(el.value, 1000));
      }
      if (tag === "select") { const chosen = [...el.selectedOptions].map((o) => o.label).join(", "); if (chosen) parts.push("value=" + quote(chosen)); }
      if (el.isContentEditable && !el.parentElement.isContentEditable) parts.push("editable");
      const checked = el.getAttribute("aria-checked") || (("checked" in el && (el.type === "checkbox" || el.type === "radio")) ? String(el.checked) : null);
      if (checked === "true") parts.push("checked"); else if (checked === "mixed") parts.push("checked=mixed");
      if ((tag === "option" && el.selected) || el.getAttribute("aria-selected") === "true") parts.push("selected");
      const expanded = el.getAttribute("aria-expanded") || (tag === "summary" && el.parentElement.tagName === "DETAILS" ? String(el.parentElement.open) : null);
      if (expanded === "true") parts.push("expanded"); else if (expanded === "false") parts.push("collapsed");
      if (el.getAttribute("aria-pressed") === "true") parts.push("pressed");
      if (el.disabled || el.getAttribute("aria-disabled") === "true") parts.push("disabled");
      if (el.required) parts.push("required");
      if (el.readOnly) parts.push("readonly");
      if (el === active) parts.push("focused");
      if (role === "heading") parts.push("level=" + (el.getAttribute("aria-level") || (tag[0] === "h" ? tag[1] : 2)));
      if (role === "link" && el.getAttribute("href")) parts.push("url=" + quote(relative(el.getAttribute("href")), 1000));
      lines.push("  ".repeat(depth) + parts.join(" "));
    }
    const childDepth = shown ? depth + 1 : depth;
    // text already said by an ancestor's name (a link's words) is not repeated under it
    const childName = shown && name && (NAME_FROM_CONTENT.has(role) || role === "heading") ? name : contentName;
    if (tag === "select" || tag === "textarea" || (tag === "input")) {
      if (tag === "select") for (const child of el.children) walk(child, childDepth, childName, true, false);
      return;
    }
    const summary = tag === "details" && !el.open ? el.querySelector(":scope > summary") : undefined;
    for (const child of el.childNodes) {
      if (child.nodeType === 1) walk(child, childDepth, childName, inSelect, summary !== undefined && child !== summary);
      else if (child.nodeType === 3) {
        const t = squash(child.textContent);
        if (t && !(childName && squash(childName).toLowerCase().includes(t.toLowerCase())))
          lines.push("  ".repeat(childDepth) + "StaticText " + quote(t, 1000));
      }
    }
  }
  walk(root, 1, null, false, false);
  return JSON.stringify(result);
}""" % ID_ATTRIBUTE

INTERACTIVE_ROLES = {"button", "link", "textbox", "searchbox", "combobox", "checkbox", "radio", "menuitem",
                     "option", "tab", "switch", "spinbutton", "slider", "gridcell", "date", "listbox", "menuitemcheckbox",
                     "menuitemradio", "treeitem"}


@dataclass
class PageView:
    """One observation of a page: the tree as text, element properties by id, the focused element."""

    axtree: str
    elements: dict[str, dict] = field(default_factory=dict)
    focused: str | None = None
    scroll: tuple[float, float] = (0.0, 0.0)


class PageObserver:
    """Observes the pages of one browser context: ids stamped, tree and element properties read in one call."""

    def __init__(self, app_urls: dict[str, str] | None = None):
        # origin -> app name, so links show app-relative URLs ("books:/bills") as goto accepts them
        self.origins = {url.rstrip("/"): app for app, url in (app_urls or {}).items()}

    def observe(self, page) -> PageView:
        """Stamp ids on new elements, then read the tree and every element's properties."""
        if page.url == "about:blank":
            return PageView(axtree="RootWebArea ''")
        data = json.loads(page.evaluate(OBSERVE_JS, self.origins))
        elements = {}
        for element in data["elements"]:
            elements[element.pop("id")] = element
        return PageView(axtree="\n".join(data["lines"]), elements=elements, focused=data["focused"],
                        scroll=tuple(data["scroll"]))


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
