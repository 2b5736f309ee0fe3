// Books: small progressive enhancements; every form works without them.
(function () {
  "use strict";
  function cents(text) {
    var raw = String(text || "").replace(/[$,\s]/g, "");
    var neg = /^\(.*\)$/.test(raw) || raw.charAt(0) === "-";
    raw = raw.replace(/[()\-]/g, "");
    if (!raw || isNaN(Number(raw))) return 0;
    var c = Math.round(Number(raw) * 100);
    return neg ? -c : c;
  }
  function money(c) {
    var sign = c < 0 ? "-" : "";
    c = Math.abs(c);
    var whole = Math.floor(c / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + "$" + whole + "." + String(c % 100).padStart(2, "0");
  }
  // Transaction forms: line amounts from qty x rate, a running total, and more lines on demand.
  document.querySelectorAll("form.txn-form").forEach(function (form) {
    var out = form.querySelector("[data-testid=form-total]");
    function recalc() {
      var total = 0;
      form.querySelectorAll("tr.line").forEach(function (row) {
        var qty = row.querySelector(".qty"), rate = row.querySelector(".rate"), amount = row.querySelector(".amount");
        if (qty && rate && amount && rate.value) {
          var q = Number(String(qty.value || "1").replace(/,/g, "")) || 0;
          amount.value = (Math.round(q * cents(rate.value)) / 100).toFixed(2);
        }
        if (amount) total += cents(amount.value);
        var debit = row.querySelector(".debit");
        if (debit) total += cents(debit.value);
      });
      if (out) out.textContent = money(total);
    }
    form.addEventListener("input", recalc);
    form.addEventListener("change", function (ev) {
      var sel = ev.target;
      if (sel.name === "line_item" && sel.selectedOptions.length) {
        var opt = sel.selectedOptions[0], row = sel.closest("tr");
        var rate = row.querySelector(".rate"), desc = row.querySelector("[name=line_description]"), qty = row.querySelector(".qty");
        if (rate && !rate.value && opt.dataset.price) rate.value = opt.dataset.price;
        if (desc && !desc.value && opt.dataset.description) desc.value = opt.dataset.description;
        if (qty && !qty.value) qty.value = "1";
      }
      recalc();
    });
    var add = form.querySelector("[data-action=add-line]");
    if (add) add.addEventListener("click", function () {
      var body = form.querySelector("table.lines tbody"), rows = body.querySelectorAll("tr.line");
      var copy = rows[rows.length - 1].cloneNode(true), n = rows.length + 1;
      copy.querySelectorAll("input").forEach(function (i) { i.value = ""; i.setAttribute("aria-label", i.getAttribute("aria-label").replace(/\d+$/, n)); });
      copy.querySelectorAll("select").forEach(function (s) { s.selectedIndex = 0; s.removeAttribute("id"); s.setAttribute("aria-label", s.getAttribute("aria-label").replace(/\d+$/, n)); });
      copy.cells[0].textContent = n;
      body.appendChild(copy);
    });
    recalc();
  });
  // Receive payment / pay bills: "pay in full" checkboxes and a running total.
  document.querySelectorAll("form.apply-form").forEach(function (form) {
    var out = form.querySelector("[data-testid=apply-total]");
    function recalc() {
      var total = 0;
      form.querySelectorAll("input.apply").forEach(function (i) { total += cents(i.value); });
      if (out) out.textContent = money(total);
    }
    form.addEventListener("change", function (ev) {
      if (ev.target.classList.contains("pay-all")) {
        var input = form.querySelector("#" + ev.target.dataset.target);
        input.value = ev.target.checked ? ev.target.dataset.balance : "";
      }
      recalc();
    });
    form.addEventListener("input", recalc);
    recalc();
  });
  // Reconcile: cleared balance and difference follow the ticks.
  var recon = document.getElementById("reconcile-form");
  if (recon) {
    var recalcRecon = function () {
      var cleared = Number(document.getElementById("recon-beginning").dataset.cents);
      recon.querySelectorAll("input[name=cleared]:checked").forEach(function (c) { cleared += Number(c.dataset.cents); });
      var ending = Number(document.getElementById("recon-ending").dataset.cents);
      document.getElementById("recon-cleared").textContent = money(cleared);
      document.getElementById("recon-difference").textContent = money(ending - cleared);
    };
    recon.addEventListener("change", function (ev) {
      if (ev.target.dataset.action === "select-all") {
        recon.querySelectorAll("input[name=cleared]").forEach(function (c) { c.checked = ev.target.checked; });
      }
      recalcRecon();
    });
    recalcRecon();
  }
  // Reconcile start: the form goes to the chosen account's worksheet.
  var start = document.getElementById("reconcile-start");
  if (start) {
    var pick = start.querySelector("[data-action=reconcile-account]");
    var sync = function () {
      var opt = pick.selectedOptions[0];
      start.action = opt.dataset.url;
      start.querySelector("[data-testid=beginning-balance]").textContent = opt.dataset.beginning;
    };
    pick.addEventListener("change", sync);
    sync();
  }
})();
