// The dashboard's live update (docs/web.md): listen to the log's changes (`/api/v1/events/changes`,
// same origin, the session cookie) from the last event the page was computed from; when it grows,
// fetch the page again and put its figures in place of these. Without JavaScript, or when the
// stream cannot be opened, the page stays as it is and a refresh updates it.
"use strict";
(function () {
  var figures = document.getElementById("figures");
  if (!figures || !window.EventSource || !window.fetch || !window.DOMParser) { return; }
  var after = figures.getAttribute("data-after");
  var source = new EventSource("/api/v1/events/changes" + (after ? "?after=" + encodeURIComponent(after) : ""));
  var pending = false;
  var again = false;

  function say(text) {
    var live = document.getElementById("live");
    if (live) { live.textContent = text; }
  }

  function refresh() {
    pending = true;
    again = false;
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("figures");
        if (fresh) {
          figures.replaceWith(fresh);
          figures = fresh;
          say("实时更新：已于 " + new Date().toLocaleTimeString("zh-CN", { hour12: false }) + " 按新记录刷新。");
        }
      })
      .catch(function () { say("实时更新失败：请刷新页面。"); })
      .then(function () {
        pending = false;
        if (again) { refresh(); }
      });
  }

  source.addEventListener("length", function () {
    if (pending) { again = true; return; }
    window.setTimeout(function () { if (!pending) { refresh(); } else { again = true; } }, 200);
  });
  source.addEventListener("error", function () {
    if (source.readyState === EventSource.CLOSED) { say("实时更新已断开：请刷新页面。"); }
  });
})();
