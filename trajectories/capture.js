// Injected into every page and frame of a recorded browser: reports trusted user actions, with a
// description of their target and a ranked list of selectors verified to match exactly that element.
// Two transports, one script: a browser the Playwright recorder drives (added as an init script, reports to
// a URL the recorder answers from inside the browser), or any browser with an active recording, whose pages the
// apps serve with this script (data-endpoint: the app's own /_capture/events, reports over plain HTTP, sent
// without holding the page up and put in order at the server).
(() => {
  if (window.__mockappsCapture) return;
  window.__mockappsCapture = {};
  const served = document.currentScript && document.currentScript.dataset.endpoint;
  // a served page whose own request changed the world: the token under which the server holds those changes
  const load = (document.currentScript && document.currentScript.dataset.load) || null;
  const endpoint = served || "http://mockapps-recorder.invalid/event";
  // A served page names its tab: window.name outlives navigations within the tab (across the apps' ports too,
  // they are one site), so the server tells tabs apart and knows which one acted.
  if (served && !/^mockrec-tab-[a-z0-9]+$/.test(window.name))
    window.name = "mockrec-tab-" + Math.random().toString(36).slice(2, 12);
  const openerTab = () => {
    if (!window.opener) return null;
    try { return window.opener.name || "?"; } catch (e) { return "?"; }  // another origin's window: unreadable
  };
  const envelope = (event, n) => JSON.stringify(served ? { tab: window.name, doc, n, opener: openerTab(),
    referrer: document.referrer, viewport: { width: innerWidth, height: innerHeight }, event } : event);

  const TEXTY = new Set(["text", "email", "search", "tel", "url", "number", "password", ""]);
  // Values typed into date, time, colour and range inputs arrive as input events like text.
  const VALUED = new Set(["date", "time", "datetime-local", "month", "week", "color", "range"]);
  const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
  const clip = (s, n = 200) => (s.length > n ? s.slice(0, n) : s);

  function roleOf(el) {
    const explicit = el.getAttribute("role");
    if (explicit) return explicit.split(" ")[0];
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (tag === "a") return el.hasAttribute("href") ? "link" : null;
    if (tag === "button" || tag === "summary") return "button";
    if (tag === "input") {
      if (["submit", "button", "reset", "image"].includes(type)) return "button";
      if (type === "checkbox") return "checkbox";
      if (type === "radio") return "radio";
      if (type === "search") return "searchbox";
      if (TEXTY.has(type)) return "textbox";
      return null;
    }
    if (tag === "textarea") return "textbox";
    if (tag === "select") return el.multiple || el.size > 1 ? "listbox" : "combobox";
    if (/^h[1-6]$/.test(tag)) return "heading";
    if (tag === "img") return "img";
    if (tag === "option") return "option";
    if (tag === "li") return "listitem";
    if (tag === "td") return "cell";
    if (tag === "th") return "columnheader";
    return null;
  }

  function labelOf(el) {
    const ids = el.getAttribute("aria-labelledby");
    if (ids) return norm(ids.split(/\s+/).map((id) => document.getElementById(id)?.textContent || "").join(" "));
    if (el.labels && el.labels.length) return norm(el.labels[0].textContent);
    return null;
  }

  function nameOf(el) {
    const label = el.getAttribute("aria-label");
    if (label) return norm(label);
    const fromLabel = labelOf(el);
    if (fromLabel) return fromLabel;
    const tag = el.tagName.toLowerCase();
    if (tag === "input") {
      const type = (el.getAttribute("type") || "").toLowerCase();
      if (["submit", "button", "reset"].includes(type)) return norm(el.value);
      return norm(el.getAttribute("title") || el.getAttribute("placeholder") || "");
    }
    if (tag === "img") return norm(el.getAttribute("alt") || "");
    if (tag === "select" || tag === "textarea") return norm(el.getAttribute("title") || el.getAttribute("placeholder") || "");
    return norm(el.innerText || el.textContent || "") || norm(el.getAttribute("title") || "");
  }

  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const ROLE_TAGS = { link: "a[href]", button: "button,summary,input[type=submit],input[type=button],input[type=reset],input[type=image]",
    checkbox: "input[type=checkbox]", radio: "input[type=radio]", searchbox: "input[type=search]",
    textbox: "input,textarea", combobox: "select", listbox: "select", heading: "h1,h2,h3,h4,h5,h6",
    img: "img", option: "option", listitem: "li", cell: "td", columnheader: "th" };

  function only(candidates, el, test) {
    let found = 0, same = false;
    for (const c of candidates) { if (test(c)) { found += 1; same = same || c === el; if (found > 1) return false; } }
    return found === 1 && same;
  }

  function cssPath(el) {
    const parts = [];
    let node = el;
    while (node && node.nodeType === 1 && node !== document.documentElement) {
      if (node.id && /^[A-Za-z][\w-]*$/.test(node.id) && document.querySelectorAll("#" + node.id).length === 1) {
        parts.unshift("#" + node.id);
        break;
      }
      let index = 1, sib = node;
      while ((sib = sib.previousElementSibling)) if (sib.tagName === node.tagName) index += 1;
      parts.unshift(node.tagName.toLowerCase() + ":nth-of-type(" + index + ")");
      node = node.parentElement;
    }
    return parts.join(" > ");
  }

  function describe(el) {
    const tag = el.tagName.toLowerCase();
    const role = roleOf(el);
    const name = nameOf(el);
    const label = labelOf(el);
    const placeholder = el.getAttribute("placeholder");
    const testid = el.getAttribute("data-testid");
    const text = clip(norm(el.innerText || ""));
    const r = el.getBoundingClientRect();
    const selectors = [];
    if (testid && only(document.querySelectorAll("[data-testid]"), el, (c) => c.getAttribute("data-testid") === testid))
      selectors.push({ kind: "testid", value: testid });
    if (role && name) {
      const pool = document.querySelectorAll(`[role=${role}],${ROLE_TAGS[role] || "[role=" + role + "]"}`);
      if (only(pool, el, (c) => roleOf(c) === role && nameOf(c) === name && visible(c)))
        selectors.push({ kind: "role", value: role, name });
    }
    if (label && only(document.querySelectorAll("input,select,textarea,[aria-labelledby]"), el, (c) => labelOf(c) === label))
      selectors.push({ kind: "label", value: label });
    if (placeholder && only(document.querySelectorAll("[placeholder]"), el, (c) => c.getAttribute("placeholder") === placeholder))
      selectors.push({ kind: "placeholder", value: placeholder });
    if (text && text.length <= 80 && !el.querySelector("*:not(br)")) {
      const pool = document.body.querySelectorAll(tag);
      if (only(pool, el, (c) => norm(c.innerText || "") === text && !c.querySelector("*:not(br)")))
        selectors.push({ kind: "text", value: text });
    }
    if (el.id && /^[A-Za-z][\w-]*$/.test(el.id) && document.querySelectorAll("#" + el.id).length === 1)
      selectors.push({ kind: "css", value: "#" + el.id });
    const path = cssPath(el);
    if (!selectors.some((s) => s.kind === "css" && s.value === path)) selectors.push({ kind: "css", value: path });
    return { role, name: name || null, label, placeholder, text: text || null, tag, testid, id: el.id || null,
             box: { x: r.x, y: r.y, width: r.width, height: r.height }, selectors };
  }

  // A browser the Playwright recorder drives: a synchronous request, answered by the recorder inside the browser
  // (Playwright routing, no network), so the action is delivered before the page acts on it.
  const post = (body) => {
    try {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", endpoint, false);
      xhr.setRequestHeader("Content-Type", "text/plain");
      xhr.send(body);
      return xhr.status;
    } catch (e) { return 0; }  // not recording (or stopped): never break the page
  };
  // A served page: reports go over the network without holding the page up (a synchronous request costs the
  // trainer a frame on most clicks). They are numbered in this document and sent one at a time, in order. While
  // report n is on its way, the cookie mockrecwait_<doc>=n makes any request this browser sends meanwhile (the
  // page acting on the click: a form posted, a fetch, the next document) wait at the server until report n is
  // taken, so a step's changes are still exactly the ones its action caused. A report the network lost (offline a
  // moment, a server restarting: no answer or a 5xx) is sent again; the server takes each number once.
  const doc = Math.random().toString(36).slice(2, 12);
  const waitCookie = "mockrecwait_" + doc;
  const queue = [];  // reports not yet taken, oldest first: {n, body, sending}
  const idle = [];  // drained() promises to resolve once the queue is empty
  let numbered = 0, retry = null;
  const mark = (n) => { document.cookie = `${waitCookie}=${n}; path=/; max-age=10; samesite=lax`; };
  const deliver = (item) => {
    item.sending = true;
    const keepalive = item.body.length < 60000;  // a keepalive request outlives its page, up to 64 KB in all
    fetch(endpoint, { method: "POST", body: item.body, keepalive, credentials: "same-origin",
                      headers: { "Content-Type": "text/plain" } })
      .then((r) => r.status, () => 0)
      .then((status) => {
        item.sending = false;
        if (status === 0 || status >= 500) {  // not taken: again in a second
          retry = retry || setTimeout(() => { retry = null; pump(); }, 1000);
          return;
        }
        const at = queue.indexOf(item);  // taken, or refused for good (a 4xx says so)
        if (at >= 0) queue.splice(at, 1);  // (gone already when the queue overflowed meanwhile)
        if (!queue.length) {
          document.cookie = `${waitCookie}=; path=/; max-age=0; samesite=lax`;
          idle.splice(0).forEach((resolve) => resolve(true));
        }
        pump();
      });
  };
  const pump = () => { if (queue.length && !queue[0].sending && !retry) deliver(queue[0]); };
  const report = (event) => {
    if (!served) { post(envelope(event)); return; }
    numbered += 1;
    queue.push({ n: numbered, body: envelope(event, numbered), sending: false });
    if (queue.length > 200) queue.splice(0, queue.length - 200);
    mark(numbered);
    pump();
  };
  // Leaving a served page (before the next document is requested): the step before is at rest, so what the next
  // document's own request changes is that document's. Everything still queued goes now, each report on its own
  // (the server puts them back in order): the page will not be there to send them one by one.
  const flush = () => queue.filter((item) => !item.sending).forEach(deliver);
  if (served && window.top === window)
    addEventListener("beforeunload", () => { report({ type: "leave", args: {}, target: null, url: location.href }); flush(); });
  if (served) addEventListener("pagehide", flush);  // a tab closed without asking its page first
  // For a program driving this browser (a test, `mockapps record` before it finishes the recording): resolves
  // once every report of this page has been taken.
  window.__mockappsCapture = { drained: () => (queue.length ? new Promise((resolve) => idle.push(resolve))
                                                               : Promise.resolve(true)) };
  // A document the person asked for (address bar, reload, back/forward) rather than one an action led to:
  // the recorder decides which, knowing when the tab's last action was.
  if (window.top === window && location.href !== "about:blank") {
    const nav = performance.getEntriesByType("navigation")[0];
    report({ type: "navigate", args: { url: location.href, via: nav ? nav.type : "navigate", ...(load ? { load } : {}) },
             target: null, url: location.href });
  }

  const send = (type, el, args) => report({ type, args: args || {}, target: el ? describe(el) : null, url: location.href });
  const editable = (el) => el && (el.isContentEditable || el.tagName === "TEXTAREA" ||
    (el.tagName === "INPUT" && TEXTY.has((el.getAttribute("type") || "").toLowerCase())));
  const actionable = (el) => el.closest("a,button,input,select,textarea,summary,label,[role],[data-testid],[tabindex],[onclick]") || el;
  const modifiers = (e) => ["Alt", "Control", "Meta", "Shift"].filter((m) => e.getModifierState(m));

  document.addEventListener("click", (e) => {
    if (!e.isTrusted || !(e.target instanceof Element)) return;
    if (e.detail === 0) return;  // a click made by the keyboard (Enter submits, Space presses): the press is the step
    const el = actionable(e.target);
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (el.tagName === "INPUT" && ["checkbox", "radio", "file"].includes(type)) return;  // check/upload follow
    if (el.tagName === "SELECT" || el.tagName === "OPTION") return;  // select follows
    send("click", el, { button: ["left", "middle", "right"][e.button] || "left", modifiers: modifiers(e), click_count: e.detail || 1 });
  }, true);

  document.addEventListener("input", (e) => {
    const valued = e.target.tagName === "INPUT" && VALUED.has(e.target.type);
    if (!(e.isTrusted || valued) || !(editable(e.target) || valued)) return;
    const el = e.target;
    send("fill", el, { value: el.isContentEditable ? el.innerText : el.value });
  }, true);

  document.addEventListener("change", async (e) => {
    const el = e.target;
    // Selecting an option or a file from automation (Playwright's select_option, set_input_files) dispatches
    // untrusted events; no page script can pick files, and ours do not change selects behind the user's back.
    if (!e.isTrusted && !(el.tagName === "SELECT" || (el.tagName === "INPUT" && el.type === "file"))) return;
    if (el.tagName === "SELECT") {
      send("select", el, { values: Array.from(el.selectedOptions).map((o) => o.value) });
    } else if (el.tagName === "INPUT" && ["checkbox", "radio"].includes(el.type)) {
      send(el.checked ? "check" : "uncheck", el, {});
    } else if (el.tagName === "INPUT" && el.type === "file") {
      const target = describe(el);
      const files = [];
      for (const f of el.files) {
        const bytes = new Uint8Array(await f.arrayBuffer());
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
        let bin = "";
        for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
        files.push({ name: f.name, size: f.size, mime: f.type, sha256: Array.from(digest).map((b) => b.toString(16).padStart(2, "0")).join(""), base64: btoa(bin) });
      }
      report({ type: "upload", args: { files }, target, url: location.href });
    }
  }, true);

  const KEYS = new Set(["Enter", "Tab", "Escape", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "PageUp",
    "PageDown", "Home", "End", "F2", "Delete", "Backspace"]);
  document.addEventListener("keydown", (e) => {
    if (!e.isTrusted || ["Shift", "Control", "Alt", "Meta"].includes(e.key)) return;
    const inText = editable(e.target);
    const combo = e.ctrlKey || e.metaKey || e.altKey;
    if (combo && ["c", "v", "x"].includes(e.key.toLowerCase())) return;  // copy/paste events carry the text
    if (inText && !combo && !["Enter", "Tab", "Escape", "ArrowUp", "ArrowDown", "PageUp", "PageDown"].includes(e.key)) return;
    if (!inText && !combo && !KEYS.has(e.key) && e.key.length !== 1) return;
    const key = [...(e.ctrlKey ? ["Control"] : []), ...(e.metaKey ? ["Meta"] : []), ...(e.altKey ? ["Alt"] : []),
                 ...(e.shiftKey && e.key.length > 1 ? ["Shift"] : []), e.key].join("+");
    send("press", e.target instanceof Element ? e.target : document.body, { key });
  }, true);

  document.addEventListener("copy", (e) => {
    if (!e.isTrusted) return;
    const sel = window.getSelection();
    send("copy", e.target instanceof Element ? e.target : document.body, { text: sel ? sel.toString() : "" });
  }, true);
  document.addEventListener("paste", (e) => {
    if (!e.isTrusted) return;
    send("paste", e.target instanceof Element ? e.target : document.body, { text: e.clipboardData?.getData("text") || "" });
  }, true);

  let dragSource = null;
  document.addEventListener("dragstart", (e) => { if (e.isTrusted) dragSource = describe(actionable(e.target)); }, true);
  document.addEventListener("drop", (e) => {
    if (!e.isTrusted || !dragSource || !(e.target instanceof Element)) return;
    const to = describe(actionable(e.target));
    report({ type: "drag", args: { to }, target: dragSource, url: location.href });
    dragSource = null;
  }, true);
})();
