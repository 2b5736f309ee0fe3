// The task panel: an elapsed timer, and the start pages opened in their own tabs.
// Popup blockers let a page open a window only during a click, so the Start click opens the first tab (blank,
// named) at once; once the panel loads, pointing that named tab at the start page is no popup at all. The other
// start pages are tried too; where the browser blocks them, the note says to use the links.
(function () {
  document.querySelectorAll("form.start-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      window.open("about:blank", form.dataset.window);
    });
  });
  var links = Array.prototype.slice.call(document.querySelectorAll("a.start-page[data-open='1']"));
  var blocked = false;
  links.forEach(function (link) {
    var opened = window.open(link.href, link.target);
    if (!opened) blocked = true;
  });
  if (links.length) {
    history.replaceState(null, "", location.pathname);  // a reload does not open the tabs again
    if (blocked) document.querySelector("[data-testid=popup-note]").hidden = false;
  }
  var elapsed = document.querySelector("time[data-started]");
  if (elapsed) {
    var started = Date.parse(elapsed.dataset.started);
    var tick = function () {
      var s = Math.max(0, Math.floor((Date.now() - started) / 1000));
      var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
      elapsed.textContent = (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(r).padStart(2, "0");
    };
    tick();
    setInterval(tick, 1000);
  }
})();
