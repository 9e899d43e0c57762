// The speaker's timer on the control page and the room's screen. The server gives the turn's
// start and its allotted seconds; the page counts on from its own clock, corrected by the
// difference to the server's clock measured once when the page loaded (fragments may come from
// the browser's cache after a 304 and carry an old "now").
(function () {
  var offset = 0;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(seconds) {
    var s = Math.abs(seconds);
    return Math.floor(s / 60) + ":" + pad(s % 60);
  }
  function tick() {
    var now = Date.now() + offset;
    document.querySelectorAll("[data-room-timer]").forEach(function (el) {
      var started = parseInt(el.dataset.startedMs, 10);
      var allotted = parseInt(el.dataset.allotted, 10);
      if (isNaN(started) || isNaN(allotted)) { return; }
      // Never more than allotted: the page's clock estimate may lag the server by the load time.
      var remaining = Math.min(allotted, allotted - Math.floor((now - started) / 1000));
      var over = remaining < 0;
      el.textContent = (over ? "+" : "") + format(remaining);
      el.classList.toggle("is-over", over);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var clock = document.getElementById("room-clock");
    var server = clock ? parseInt(clock.dataset.serverNowMs, 10) : NaN;
    if (!isNaN(server)) { offset = server - Date.now(); }
    tick();
    window.setInterval(tick, 250);
    document.body.addEventListener("htmx:afterSwap", tick);
  });
})();
