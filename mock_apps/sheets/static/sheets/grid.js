// The grid page: selection, keyboard, in-cell editing, formula bar, clipboard and toolbar actions.
// Every change goes to the server's edit endpoint; edits update the changed cells in place.
(function () {
  "use strict";
  const page = document.getElementById("sheet-page");
  const grid = document.getElementById("grid");
  if (!page || !grid) return;
  const nameBox = document.getElementById("name-box");
  const bar = document.getElementById("formula-bar");
  const status = document.getElementById("status");
  const cellNote = document.getElementById("cell-note");
  const ROWS = +grid.dataset.rows, COLS = +grid.dataset.cols;
  const USED_R = +page.dataset.usedRows, USED_C = +page.dataset.usedCols, FROZEN = +page.dataset.frozen;
  let anchor = { r: 1, c: 1 }, focus = { r: 1, c: 1 };
  let editing = null, dragging = false, busy = false;

  function colName(c) { let s = ""; while (c > 0) { const m = (c - 1) % 26; s = String.fromCharCode(65 + m) + s; c = Math.floor((c - 1) / 26); } return s; }
  function colIndex(s) { let n = 0; for (const ch of s.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64; return n; }
  function a1(r, c) { return colName(c) + r; }
  function cellEl(r, c) { return document.getElementById("c-" + a1(r, c)); }
  function parseA1(text) {
    const m = /^\s*\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?\s*$/.exec(text || "");
    if (!m) return null;
    const r1 = +m[2], c1 = colIndex(m[1]);
    const r2 = m[3] ? +m[4] : r1, c2 = m[3] ? colIndex(m[3]) : c1;
    return { r1: Math.min(r1, r2), c1: Math.min(c1, c2), r2: Math.max(r1, r2), c2: Math.max(c1, c2) };
  }
  function range() {
    return { r1: Math.min(anchor.r, focus.r), c1: Math.min(anchor.c, focus.c), r2: Math.max(anchor.r, focus.r), c2: Math.max(anchor.c, focus.c) };
  }
  function rangeText(g) { g = g || range(); return (g.r1 === g.r2 && g.c1 === g.c2) ? a1(g.r1, g.c1) : a1(g.r1, g.c1) + ":" + a1(g.r2, g.c2); }
  function inputOf(el) { return el ? (el.dataset.input !== undefined ? el.dataset.input : "") : ""; }

  let marked = [];
  function paint() {
    for (const el of marked) { el.classList.remove("sel", "active", "hl"); el.removeAttribute("aria-selected"); }
    marked = [];
    const g = range();
    const many = (g.r2 - g.r1 + 1) * (g.c2 - g.c1 + 1) <= 20000;
    if (many) for (let r = g.r1; r <= g.r2; r++) for (let c = g.c1; c <= g.c2; c++) {
      const el = cellEl(r, c); if (el) { el.classList.add("sel"); el.setAttribute("aria-selected", "true"); marked.push(el); }
    }
    const act = cellEl(anchor.r, anchor.c);
    if (act) { act.classList.add("active"); marked.push(act); act.setAttribute("aria-selected", "true"); }
    for (let c = g.c1; c <= g.c2 && c <= COLS; c++) { const h = document.getElementById("h-" + colName(c)); if (h) { h.classList.add("hl"); marked.push(h); } }
    nameBox.value = rangeText(g);
    bar.value = inputOf(act);
    // An error cell explains itself (parse error, circular reference ...) without hovering.
    cellNote.textContent = act && act.classList.contains("err") && act.title ? a1(anchor.r, anchor.c) + ": " + act.title : "";
    const boldBtn = document.querySelector('[data-act="bold"]');
    if (boldBtn) boldBtn.setAttribute("aria-pressed", act && act.classList.contains("bold") ? "true" : "false");
  }
  function select(r, c, extend) {
    r = Math.max(1, Math.min(ROWS, r)); c = Math.max(1, Math.min(COLS, c));
    focus = { r, c };
    if (!extend) anchor = { r, c };
    paint();
    const el = cellEl(focus.r, focus.c);
    if (el) el.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function say(msg) { status.textContent = msg || ""; }
  async function post(body) {
    if (busy) return null;
    busy = true; say("");
    try {
      const resp = await fetch(page.dataset.editUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "same-origin" });
      let data = null;
      try { data = await resp.json(); } catch (e) { data = { ok: false, error: "The server answered " + resp.status + "." }; }
      if (!data.ok) { say(data.error || "That did not work."); return null; }
      if (data.reload) {
        const url = new URL(location.href); url.searchParams.set("cell", rangeText());
        location.replace(url.toString());
        return data;
      }
      apply(data.cells || []);
      const u = document.querySelector('[data-act="undo"]'), d = document.querySelector('[data-act="redo"]');
      if (u && "can_undo" in data) u.disabled = !data.can_undo;
      if (d && "can_redo" in data) d.disabled = !data.can_redo;
      page.dataset.saved = String((+page.dataset.saved || 0) + 1);
      return data;
    } catch (e) { say("Could not reach the server; nothing was saved."); return null; }
    finally { busy = false; }
  }
  function apply(cells) {
    for (const cell of cells) {
      const el = document.getElementById("c-" + cell.a1);
      if (!el) continue;
      el.textContent = cell.display;
      if (cell.input) el.dataset.input = cell.input; else delete el.dataset.input;
      el.className = "cell";
      if (cell.kind === "number") el.classList.add("n");
      if (cell.kind === "bool") el.classList.add("b");
      if (cell.kind === "error") el.classList.add("err");
      if (cell.bold) el.classList.add("bold");
      if (el.closest("tr.frozen-row")) el.classList.add("frozen");
      el.style.background = cell.fill || "";
      if (cell.note) el.title = cell.note; else el.removeAttribute("title");
    }
    paint();
  }

  // ---- editing ----
  function startEdit(initial) {
    const el = cellEl(anchor.r, anchor.c);
    if (!el) return;
    focus = { r: anchor.r, c: anchor.c }; paint();
    editing = el;
    const input = document.createElement("input");
    input.type = "text"; input.setAttribute("aria-label", "Edit " + a1(anchor.r, anchor.c));
    input.value = initial === null ? inputOf(el) : initial;
    el.dataset.shown = el.textContent;
    el.textContent = ""; el.classList.add("editing"); el.appendChild(input);
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
    input.addEventListener("input", () => { bar.value = input.value; });
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") { e.preventDefault(); finishEdit(true, e.shiftKey ? -1 : 1, 0); }
      else if (e.key === "Tab") { e.preventDefault(); finishEdit(true, 0, e.shiftKey ? -1 : 1); }
      else if (e.key === "Escape") { e.preventDefault(); finishEdit(false, 0, 0); }
    });
    input.addEventListener("blur", () => { if (editing === el) finishEdit(true, 0, 0); });
  }
  async function finishEdit(save, dr, dc) {
    const el = editing; if (!el) return;
    editing = null;
    const input = el.querySelector("input");
    const value = input ? input.value : "";
    const old = inputOf(el);
    el.classList.remove("editing");
    el.textContent = el.dataset.shown || ""; delete el.dataset.shown;
    const r = +el.dataset.r, c = +el.dataset.c;
    grid.focus();
    if (save && value !== old) await post({ action: "set", cell: a1(r, c), input: value });
    if (dr || dc) select(r + dr, c + dc, false); else paint();
  }

  // ---- mouse ----
  grid.addEventListener("mousedown", (e) => {
    const el = e.target.closest("td[role=gridcell]");
    if (!el || el === editing || el.contains(editing)) return;
    if (editing) finishEdit(true, 0, 0);
    e.preventDefault();
    page.querySelector("#grid-wrap").focus({ preventScroll: true });
    select(+el.dataset.r, +el.dataset.c, e.shiftKey);
    dragging = true;
  });
  grid.addEventListener("mouseover", (e) => {
    if (!dragging) return;
    const el = e.target.closest("td[role=gridcell]");
    if (el) select(+el.dataset.r, +el.dataset.c, true);
  });
  document.addEventListener("mouseup", () => { dragging = false; });

  // ---- headers: click selects a whole column or row (shift extends); a column's right edge drags its width ----
  function selectLines(a, b) {
    anchor = a; focus = b; paint();
  }
  grid.addEventListener("mousedown", (e) => {
    const handle = e.target.closest(".col-resize");
    if (handle) { e.preventDefault(); startResize(+handle.dataset.c, e.clientX); return; }
    const colHead = e.target.closest("th[role=columnheader]");
    const rowHead = e.target.closest("th[role=rowheader]");
    if (!colHead && !rowHead) return;
    e.preventDefault();
    if (editing) finishEdit(true, 0, 0);
    page.querySelector("#grid-wrap").focus({ preventScroll: true });
    if (colHead) {
      const c = +colHead.dataset.c, from = e.shiftKey ? anchor.c : c;
      selectLines({ r: 1, c: from }, { r: ROWS, c });
    } else {
      const r = +rowHead.dataset.r, from = e.shiftKey ? anchor.r : r;
      selectLines({ r: from, c: 1 }, { r, c: COLS });
    }
  });
  function startResize(c, startX) {
    const col = grid.querySelectorAll("colgroup col")[c];  // the first <col> is the row headers'
    const startWidth = col.getBoundingClientRect().width || parseInt(col.style.width, 10);
    const tableWidth = parseInt(grid.style.width, 10);
    let width = Math.round(startWidth);
    const move = (ev) => {
      width = Math.max(20, Math.min(1000, Math.round(startWidth + ev.clientX - startX)));
      col.style.width = width + "px";
      grid.style.width = (tableWidth + width - startWidth) + "px";
    };
    const up = () => {
      document.removeEventListener("mousemove", move);
      document.removeEventListener("mouseup", up);
      if (width !== Math.round(startWidth)) post({ action: "width", column: c, width });
    };
    document.addEventListener("mousemove", move);
    document.addEventListener("mouseup", up);
  }
  grid.addEventListener("dblclick", (e) => { if (e.target.closest("td[role=gridcell]")) startEdit(null); });

  // ---- keyboard ----
  function inForm(t) { return t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA" || t.tagName === "BUTTON" || t.tagName === "SUMMARY" || t.tagName === "A"); }
  document.addEventListener("keydown", (e) => {
    if (editing || inForm(e.target)) return;
    const mod = e.ctrlKey || e.metaKey;
    const k = e.key;
    if (mod && (k === "z" || k === "Z")) { e.preventDefault(); post({ action: e.shiftKey ? "redo" : "undo" }); return; }
    if (mod && (k === "y" || k === "Y")) { e.preventDefault(); post({ action: "redo" }); return; }
    if (mod && (k === "b" || k === "B")) { e.preventDefault(); act("bold"); return; }
    if (mod && (k === "d" || k === "D")) { e.preventDefault(); act("fill-down"); return; }
    if (mod) return;
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (moves[k]) {
      e.preventDefault();
      const base = e.shiftKey ? focus : anchor;
      select(base.r + moves[k][0], base.c + moves[k][1], e.shiftKey);
    } else if (k === "Tab") { e.preventDefault(); select(anchor.r, anchor.c + (e.shiftKey ? -1 : 1), false); }
    else if (k === "Enter") { e.preventDefault(); if (e.shiftKey) select(anchor.r - 1, anchor.c, false); else startEdit(null); }
    else if (k === "F2") { e.preventDefault(); startEdit(null); }
    else if (k === "Delete" || k === "Backspace") { e.preventDefault(); post({ action: "clear", range: rangeText() }); }
    else if (k.length === 1 && !e.altKey) { e.preventDefault(); startEdit(k); }
  });

  // ---- formula bar and name box ----
  bar.addEventListener("keydown", async (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      const r = anchor.r, c = anchor.c;
      if (bar.value !== inputOf(cellEl(r, c))) await post({ action: "set", cell: a1(r, c), input: bar.value });
      grid.closest("#grid-wrap").focus({ preventScroll: true });
      select(r + 1, c, false);
    } else if (e.key === "Escape") { e.preventDefault(); bar.value = inputOf(cellEl(anchor.r, anchor.c)); grid.closest("#grid-wrap").focus(); }
  });
  nameBox.addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    const g = parseA1(nameBox.value);
    if (!g) { say("'" + nameBox.value + "' is not a cell or range, like B7 or A1:C10."); return; }
    if (g.r2 > ROWS || g.c2 > COLS) {
      const url = new URL(location.href); url.searchParams.set("cell", nameBox.value.trim().toUpperCase()); location.assign(url.toString()); return;
    }
    anchor = { r: g.r1, c: g.c1 }; select(g.r2, g.c2, true);
    grid.closest("#grid-wrap").focus({ preventScroll: true });
  });

  // ---- clipboard ----
  function tsv(g) {
    const lines = [];
    for (let r = g.r1; r <= g.r2; r++) {
      const row = [];
      for (let c = g.c1; c <= g.c2; c++) { const el = cellEl(r, c); row.push(el ? el.textContent : ""); }
      lines.push(row.join("\t"));
    }
    return lines.join("\n");
  }
  document.addEventListener("copy", (e) => {
    if (editing || inForm(document.activeElement)) return;
    const g = range(), text = tsv(g);
    e.clipboardData.setData("text/plain", text);
    e.preventDefault();
    sessionStorage.setItem("sheets-clip", JSON.stringify({ text, spreadsheet: page.dataset.spreadsheet, sheet: page.dataset.sheet, source: rangeText(g) }));
    say("Copied " + rangeText(g) + ".");
  });
  document.addEventListener("paste", (e) => {
    if (editing || inForm(document.activeElement)) return;
    const text = (e.clipboardData || window.clipboardData).getData("text/plain");
    if (!text) return;
    e.preventDefault();
    let clip = null;
    try { clip = JSON.parse(sessionStorage.getItem("sheets-clip") || "null"); } catch (err) { clip = null; }
    if (clip && clip.text === text && clip.spreadsheet === page.dataset.spreadsheet) {
      post({ action: "paste_cells", source_sheet: +clip.sheet, source: clip.source, cell: a1(anchor.r, anchor.c) });
    } else {
      post({ action: "paste_text", cell: a1(anchor.r, anchor.c), text });
    }
  });

  // ---- toolbar ----
  function tableRange() {
    // A single selected cell stands for the whole used table (like Sheets' sort/filter of "the data").
    const g = range();
    if (g.r1 === g.r2 && g.c1 === g.c2) return { r1: 1, c1: 1, r2: Math.max(USED_R, 1), c2: Math.max(USED_C, 1) };
    return g;
  }
  function act(name) {
    const g = range();
    const act_ = cellEl(anchor.r, anchor.c);
    switch (name) {
      case "undo": case "redo": return post({ action: name });
      case "bold": return post({ action: "format", range: rangeText(g), bold: !(act_ && act_.classList.contains("bold")) });
      case "fill": return post({ action: "format", range: rangeText(g), fill: document.getElementById("fill-colour").value });
      case "nofill": return post({ action: "format", range: rangeText(g), fill: null });
      case "row-above": return post({ action: "insert_rows", at: g.r1, count: g.r2 - g.r1 + 1 });
      case "row-below": return post({ action: "insert_rows", at: g.r2 + 1, count: g.r2 - g.r1 + 1 });
      case "row-delete": return post({ action: "delete_rows", at: g.r1, count: g.r2 - g.r1 + 1 });
      case "col-left": return post({ action: "insert_cols", at: g.c1, count: g.c2 - g.c1 + 1 });
      case "col-delete": return post({ action: "delete_cols", at: g.c1, count: g.c2 - g.c1 + 1 });
      case "fill-down": {
        const f = { ...g };
        if (f.r1 === f.r2 && f.r1 > 1) f.r1 -= 1;  // one row selected: copy the cell above into it
        return post({ action: "fill_down", range: rangeText(f) });
      }
      case "sort-asc": case "sort-desc": {
        const t = tableRange();
        if (FROZEN && t.r1 <= FROZEN) t.r1 = FROZEN + 1;  // the frozen header row stays on top
        if (t.r1 > t.r2) { say("Nothing to sort below the header row."); return null; }
        return post({ action: "sort", range: rangeText(t), column: anchor.c, ascending: name === "sort-asc" });
      }
      case "freeze": return post({ action: "freeze", rows: FROZEN ? 0 : 1 });
      case "width": return post({ action: "width", column: anchor.c, width: +document.getElementById("col-width").value });
      case "filter-clear": return post({ action: "filter", clear: true });
    }
    return null;
  }
  document.querySelectorAll(".toolbar [data-act], .filterbar [data-act=filter-clear]").forEach((b) => {
    b.addEventListener("click", (e) => { e.preventDefault(); act(b.dataset.act); });
  });
  document.getElementById("number-format").addEventListener("change", (e) => {
    post({ action: "format", range: rangeText(), number_format: e.target.value || null });
  });
  document.getElementById("filter-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const t = tableRange();
    post({ action: "filter", range: rangeText(t), column: anchor.c, criterion: document.getElementById("filter-criterion").value });
  });

  const start = parseA1(page.dataset.start) || { r1: 1, c1: 1, r2: 1, c2: 1 };
  anchor = { r: Math.min(start.r1, ROWS), c: Math.min(start.c1, COLS) };
  select(Math.min(start.r2, ROWS), Math.min(start.c2, COLS), true);
  page.dataset.ready = "1";
})();
