// Mail UI behaviour: select-all, recipient autocomplete, draft autosave. Plain JS, no framework.
(function () {
  "use strict";

  var selectAll = document.getElementById("select-all");
  if (selectAll) {
    selectAll.addEventListener("change", function () {
      document.querySelectorAll('#bulk input[name="t"]').forEach(function (box) { box.checked = selectAll.checked; });
    });
  }

  // Recipient autocomplete: suggests contacts for the address being typed after the last comma.
  function lastToken(value) {
    var parts = value.split(",");
    return parts[parts.length - 1].trim();
  }
  function replaceLastToken(value, address) {
    var parts = value.split(",");
    parts[parts.length - 1] = " " + address;
    return parts.map(function (p) { return p.trim(); }).filter(Boolean).join(", ") + ", ";
  }
  document.querySelectorAll(".mail-recipients-input").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var items = [];
    var active = -1;
    var seq = 0;
    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
    }
    function choose(i) {
      if (!items[i]) return;
      input.value = replaceLastToken(input.value, items[i].address);
      close();
      input.focus();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function render() {
      list.innerHTML = "";
      items.forEach(function (c, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = list.id + "-" + i;
        li.textContent = (c.name ? c.name + " <" + c.email + ">" : c.email);
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      if (active >= 0) input.setAttribute("aria-activedescendant", list.id + "-" + active);
    }
    input.addEventListener("input", function () {
      var token = lastToken(input.value);
      if (token.length < 1) { close(); return; }
      var mine = ++seq;
      fetch(input.form.dataset.autosaveUrl.replace(/drafts\/autosave$/, "contacts/suggest") + "?q=" + encodeURIComponent(token), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (data) { if (mine === seq) { items = data; active = data.length ? 0 : -1; render(); } })
        .catch(close);
    });
    input.addEventListener("keydown", function (ev) {
      if (list.hidden) return;
      if (ev.key === "ArrowDown") { active = Math.min(items.length - 1, active + 1); render(); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { active = Math.max(0, active - 1); render(); ev.preventDefault(); }
      else if (ev.key === "Enter" || ev.key === "Tab") { if (active >= 0) { choose(active); ev.preventDefault(); } }
      else if (ev.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  });

  // Draft autosave: a few seconds after the last edit, save text fields; the draft id comes back.
  var form = document.getElementById("compose-form");
  if (form) {
    var timer = null;
    var status = document.getElementById("autosave-status");
    var sending = false;
    var inflight = null;
    form.addEventListener("submit", function (ev) {
      if (timer) clearTimeout(timer);
      if (inflight && !sending) {
        // let a running autosave finish first, so the send replaces that draft instead of orphaning it
        ev.preventDefault();
        sending = true;
        var submitter = ev.submitter;
        inflight.finally(function () { form.requestSubmit(submitter); });
        return;
      }
      sending = true;
    });
    function save() {
      if (sending) return;
      var data = new FormData(form);
      data.delete("files");
      inflight = fetch(form.dataset.autosaveUrl, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (res) {
          if (res.saved && res.draft_id) {
            document.getElementById("draft-id").value = res.draft_id;
            status.textContent = "Draft saved";
          }
        })
        .catch(function () { status.textContent = "Draft not saved"; })
        .finally(function () { inflight = null; });
    }
    form.addEventListener("input", function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, 3000);
    });
  }
})();
