/**
 * The dashboard's script, served at `/assets/dashboard.js` (plain browser JavaScript, no build step):
 * refreshes the page's live regions in place every few seconds (while the tab is visible and the switch
 * is on), and runs the actions — each asks `confirm()` first, then posts JSON to
 * `/api/runs/<id>/<action>` and shows the answer.
 * @example
 * c.body(DASHBOARD_JS, 200, { "content-type": "text/javascript; charset=utf-8" });
 */
export const DASHBOARD_JS = `"use strict";
(function () {
  var body = document.body;
  var base = body.dataset.base || "";
  var REFRESH_MS = 5000;
  var busy = false;

  function toast(message, isError) {
    var el = document.getElementById("toast");
    if (!el) return;
    el.textContent = message;
    el.className = isError ? "toast-error" : "";
    el.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { el.hidden = true; }, isError ? 8000 : 3500);
  }

  // Live regions: replaced from a fresh copy of the same page, so links, filters and forms stay put.
  var toggle = document.getElementById("auto-refresh");
  var state = document.getElementById("refresh-state");
  var stored = null;
  try { stored = localStorage.getItem("durable.autoRefresh"); } catch (e) {}
  var live = body.dataset.live !== "off";
  if (toggle) {
    toggle.checked = stored !== "off";
    if (!live) { toggle.disabled = true; toggle.checked = false; if (state) state.textContent = "(finished)"; }
    toggle.addEventListener("change", function () {
      try { localStorage.setItem("durable.autoRefresh", toggle.checked ? "on" : "off"); } catch (e) {}
      if (toggle.checked) refresh();
    });
  }

  function refresh() {
    if (busy || !live || !toggle || !toggle.checked || document.hidden) return Promise.resolve();
    busy = true;
    return fetch(location.href, { credentials: "same-origin", headers: { accept: "text/html" } })
      .then(function (res) {
        if (!res.ok) throw new Error("refresh failed: HTTP " + res.status);
        return res.text();
      })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        document.querySelectorAll("[data-live-region][id]").forEach(function (region) {
          var fresh = doc.getElementById(region.id);
          if (!fresh) return;
          var open = Array.prototype.map.call(region.querySelectorAll("details[open]"), function (d) {
            return d.closest("[data-seq]") ? d.closest("[data-seq]").dataset.seq : null;
          });
          region.innerHTML = fresh.innerHTML;
          region.querySelectorAll("[data-seq] details").forEach(function (d) {
            if (open.indexOf(d.closest("[data-seq]").dataset.seq) !== -1) d.open = true;
          });
        });
        var freshBody = doc.body;
        if (freshBody && freshBody.dataset.live === "off") { live = false; if (state) state.textContent = "(finished)"; }
        if (state && live) state.textContent = "";
      })
      .catch(function (err) { if (state) state.textContent = "(" + err.message + ")"; })
      .finally(function () { busy = false; });
  }
  setInterval(refresh, REFRESH_MS);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) refresh(); });

  // Actions.
  function post(action, payload) {
    var runId = body.dataset.run;
    return fetch(base + "/api/runs/" + encodeURIComponent(runId) + "/" + action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(payload || {}),
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error((data.error && data.error.message) || "HTTP " + res.status);
        return data;
      });
    });
  }

  function afterAction(action, data) {
    if (action === "fork" && data.run) {
      location.href = base + "/runs/" + encodeURIComponent(data.run.id);
      return;
    }
    var words = { cancel: "Cancellation requested", retry: "Run resumed", events: "Event sent" };
    toast((words[action] || "Done") + (data.run ? " — run is " + data.run.status : ""), false);
    setTimeout(function () { location.reload(); }, 600);
  }

  function run(action, payload, confirmText, errorSlot, control) {
    if (confirmText && !window.confirm(confirmText)) return;
    if (control) control.disabled = true;
    if (errorSlot) errorSlot.textContent = "";
    busy = true;
    post(action, payload)
      .then(function (data) { afterAction(action, data); })
      .catch(function (err) {
        if (errorSlot) errorSlot.textContent = err.message;
        toast(err.message, true);
      })
      .finally(function () { busy = false; if (control) control.disabled = false; });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button || button.closest("form")) return;
    var action = button.dataset.action;
    if (action === "fork") {
      var seq = Number(button.dataset.fromSeq);
      run("fork", { fromSeq: seq }, "Fork run " + body.dataset.run + " from #" + seq + "? A new run reuses the entries before #" + seq + " and runs live from there.", null, button);
      return;
    }
    run(action, {}, button.dataset.confirm, null, button);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form.action-form");
    if (!form) return;
    event.preventDefault();
    var action = form.dataset.action;
    var errorSlot = form.querySelector(".form-error");
    var submit = form.querySelector("button[type=submit]");
    var payload;
    if (action === "events") {
      var text = form.elements.payload.value.trim();
      payload = { name: form.elements.name.value.trim() };
      if (text !== "") {
        try { payload.payload = JSON.parse(text); }
        catch (err) { errorSlot.textContent = "The payload is not valid JSON: " + err.message; return; }
      }
    } else if (action === "fork") {
      payload = { fromSeq: Number(form.elements.fromSeq.value) };
    }
    run(action, payload, form.dataset.confirm, errorSlot, submit);
  });
})();
`;
