// Chat's small client: Enter sends, @ and # completion in composers, delete confirmation, scroll position.
(function () {
  "use strict";
  var dataNode = document.getElementById("chat-completion");
  var directory = dataNode ? JSON.parse(dataNode.textContent) : { users: [], channels: [] };

  function candidates(sigil, prefix) {
    prefix = prefix.toLowerCase();
    if (sigil === "@") {
      return directory.users.filter(function (u) {
        return u.handle.indexOf(prefix) === 0 || u.name.toLowerCase().indexOf(prefix) === 0 ||
          u.name.toLowerCase().split(" ").some(function (w) { return w.indexOf(prefix) === 0; });
      }).slice(0, 8).map(function (u) { return { insert: "@" + u.handle, label: u.name + " (@" + u.handle + ")" + (u.title ? " · " + u.title : "") }; });
    }
    return directory.channels.filter(function (c) { return c.name.indexOf(prefix) === 0; })
      .slice(0, 8).map(function (c) { return { insert: "#" + c.name, label: "#" + c.name }; });
  }

  var counter = 0;
  function attach(textarea) {
    var form = textarea.form;
    var list = document.createElement("ul");
    list.className = "chat-complete";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.id = "chat-complete-" + (++counter);
    list.hidden = true;
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);
    textarea.parentNode.insertBefore(list, textarea);
    var items = [], active = 0, start = -1;

    function close() { list.hidden = true; items = []; textarea.removeAttribute("aria-activedescendant"); }
    function choose(i) {
      var item = items[i];
      if (!item) { return; }
      var caret = textarea.selectionStart;
      textarea.value = textarea.value.slice(0, start) + item.insert + " " + textarea.value.slice(caret);
      var pos = start + item.insert.length + 1;
      textarea.setSelectionRange(pos, pos);
      close();
      textarea.focus();
    }
    function paint() {
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        li.textContent = item.label;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      if (items.length) { textarea.setAttribute("aria-activedescendant", list.id + "-" + active); }
    }
    textarea.addEventListener("input", function () {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var m = /(^|[\s(])([@#])([\w.\-]*)$/.exec(before);
      if (!m) { close(); return; }
      start = before.length - m[3].length - 1;
      items = candidates(m[2], m[3]);
      active = 0;
      paint();
    });
    textarea.addEventListener("keydown", function (e) {
      if (!list.hidden && items.length) {
        if (e.key === "ArrowDown") { active = (active + 1) % items.length; paint(); e.preventDefault(); return; }
        if (e.key === "ArrowUp") { active = (active - 1 + items.length) % items.length; paint(); e.preventDefault(); return; }
        if (e.key === "Enter" || e.key === "Tab") { choose(active); e.preventDefault(); return; }
        if (e.key === "Escape") { close(); e.preventDefault(); return; }
      }
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && form) {
        e.preventDefault();
        if (textarea.value.trim() || (form.querySelector("input[type=file]") || {}).value) { form.requestSubmit(); }
      }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("textarea[data-composer]").forEach(attach);

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });

  // Open on the newest messages (or on the linked one), as Slack does.
  var history = document.getElementById("chat-history");
  if (history) {
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target && history.contains(target)) { target.scrollIntoView({ block: "center" }); }
    else { history.scrollTop = history.scrollHeight; }
  }
  var threadTarget = location.hash && location.hash.indexOf("#t-") === 0 ? document.getElementById(location.hash.slice(1)) : null;
  if (threadTarget) { threadTarget.scrollIntoView({ block: "nearest" }); }
  var composer = document.querySelector("[data-testid=thread-input]") || document.querySelector("[data-testid=composer-input]");
  if (composer && !location.hash) { composer.focus({ preventScroll: true }); }
})();
