/**
 * The dashboard's script, served at `/assets/dashboard.js` (plain browser JavaScript, no build step):
 * keeps the page's live regions fresh — a run's page follows the run's server-sent events, the other
 * pages poll every few seconds (while the tab is visible and the switch is on) — runs the actions (each
 * asks `confirm()` first, then posts JSON), sends the forms built from schemas (showing the server's
 * validation errors next to the field they name), and copies the raw journal.
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
  var viaSse = body.dataset.liveVia === "sse" && typeof EventSource === "function";
  var source = null;
  function on() { return live && toggle && toggle.checked; }
  function finished() {
    live = false;
    if (source) { source.close(); source = null; }
    if (state) state.textContent = "(finished)";
  }

  function openRegionsState(region) {
    return Array.prototype.map.call(region.querySelectorAll("details[open]"), function (d) {
      var row = d.closest("[data-seq]");
      return d.id ? "#" + d.id : row ? row.dataset.seq : null;
    });
  }

  function swap(doc) {
    document.querySelectorAll("[data-live-region][id]").forEach(function (region) {
      var fresh = doc.getElementById(region.id);
      if (!fresh) return;
      if (region.hasAttribute("data-keep-forms") && region.dataset.dirty === "1") return;
      var open = openRegionsState(region);
      region.innerHTML = fresh.innerHTML;
      region.querySelectorAll("details").forEach(function (d) {
        var row = d.closest("[data-seq]");
        var key = d.id ? "#" + d.id : row ? row.dataset.seq : null;
        if (key !== null && open.indexOf(key) !== -1) d.open = true;
      });
    });
    var freshBody = doc.body;
    if (freshBody && freshBody.dataset.liveKey) body.dataset.liveKey = freshBody.dataset.liveKey;
    if (freshBody && freshBody.dataset.live === "off") finished();
    else if (freshBody && !live) resumed();
  }

  // A finished run that was retried runs again: follow it again.
  function resumed() {
    live = true;
    if (toggle) { toggle.disabled = false; toggle.checked = stored !== "off"; }
    if (state) state.textContent = "";
    if (viaSse) follow();
  }

  function refresh(force) {
    if (busy || (!force && (!on() || document.hidden))) return Promise.resolve();
    busy = true;
    return fetch(location.href, { credentials: "same-origin", headers: { accept: "text/html" } })
      .then(function (res) {
        if (!res.ok) throw new Error("refresh failed: HTTP " + res.status);
        return res.text();
      })
      .then(function (text) {
        swap(new DOMParser().parseFromString(text, "text/html"));
        if (state && live) state.textContent = viaSse ? "(live)" : "";
      })
      .catch(function (err) { if (state) state.textContent = "(" + err.message + ")"; })
      .finally(function () { busy = false; });
  }

  // A run's page: the server says when something changed (its key), the page then fetches itself.
  function follow() {
    if (source || !on()) return;
    source = new EventSource(base + "/api/runs/" + encodeURIComponent(body.dataset.run) + "/live");
    if (state) state.textContent = "(live)";
    source.addEventListener("run", function (event) {
      var data = JSON.parse(event.data);
      if (data.key !== body.dataset.liveKey) refresh(true);
    });
    source.addEventListener("end", function () {
      if (source) { source.close(); source = null; }
      refresh(true).then(finished);
    });
    source.onerror = function () {
      if (source && source.readyState === EventSource.CLOSED) {
        source = null;
        if (state) state.textContent = "(reconnecting)";
        setTimeout(follow, REFRESH_MS);
      }
    };
  }
  function unfollow() {
    if (source) { source.close(); source = null; }
    if (state && live) state.textContent = "";
  }

  if (toggle) {
    toggle.checked = stored !== "off";
    if (!live) { toggle.disabled = true; toggle.checked = false; if (state) state.textContent = "(finished)"; }
    toggle.addEventListener("change", function () {
      try { localStorage.setItem("durable.autoRefresh", toggle.checked ? "on" : "off"); } catch (e) {}
      if (viaSse) { if (toggle.checked) follow(); else unfollow(); }
      else if (toggle.checked) refresh();
    });
  }
  if (viaSse) {
    follow();
    // A hidden tab lets go of its stream: browsers allow few connections per host, and every open run
    // page would hold one.
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) { if (source) { source.close(); source = null; } }
      else if (on()) { follow(); refresh(); }
    });
  } else {
    setInterval(refresh, REFRESH_MS);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) refresh(); });
  }

  document.addEventListener("input", function (event) {
    var region = event.target.closest && event.target.closest("[data-keep-forms]");
    if (region) region.dataset.dirty = "1";
  });

  // Actions.
  function postTo(url, payload) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(payload || {}),
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) {
          var error = new Error((data.error && data.error.message) || "HTTP " + res.status);
          error.issues = (data.error && data.error.issues) || [];
          throw error;
        }
        return data;
      });
    });
  }
  function post(action, payload) {
    return postTo(base + "/api/runs/" + encodeURIComponent(body.dataset.run) + "/" + action, payload);
  }

  function openRun(id) { location.href = base + "/runs/" + encodeURIComponent(id); }

  // After a change: a page that follows its run refreshes in place (its stream reports the rest); a
  // delayed reload would cut short wherever the user goes next.
  function showChange() {
    if (viaSse) setTimeout(function () { refresh(true); }, 0);
    else setTimeout(function () { location.reload(); }, 600);
  }

  function afterAction(action, data) {
    if (action === "fork" && data.run) return openRun(data.run.id);
    var words = { cancel: "Cancellation requested", retry: "Run resumed", events: "Event sent" };
    toast((words[action] || "Done") + (data.run ? " — run is " + data.run.status : ""), false);
    showChange();
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
    var copy = event.target.closest("button[data-copy]");
    if (copy) return copyText(document.getElementById(copy.dataset.copy));
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

  function copyText(el) {
    if (!el) return;
    var text = el.textContent;
    var done = function () { toast("Copied " + text.length + " characters", false); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { selectAndCopy(el) && done(); });
    } else if (selectAndCopy(el)) done();
  }
  function selectAndCopy(el) {
    var details = el.closest("details");
    if (details) details.open = true;
    var range = document.createRange();
    range.selectNodeContents(el);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  // Forms built from a schema: each field's text becomes JSON by its type; the server validates.
  function fieldValue(el) {
    var text = el.value.trim();
    var type = el.dataset.type;
    if (text === "") return type === "string" && el.dataset.required ? { value: "" } : { skip: true };
    if (type === "string") return { value: el.value };
    if (type === "number" || type === "integer") {
      var n = Number(text);
      return { value: Number.isFinite(n) ? n : text };
    }
    try { return { value: JSON.parse(text) }; }
    catch (err) { return { error: "not valid JSON: " + err.message }; }
  }

  function slotFor(form, path) {
    var slots = form.querySelectorAll("[data-error-path], [data-error-for]");
    var prefix = form.dataset.issuePrefix || "";
    var rest = path === prefix ? "" : path.indexOf(prefix + ".") === 0 ? path.slice(prefix.length + 1) : null;
    var name = rest === null ? null : rest.split(".")[0];
    var fallback = null;
    for (var i = 0; i < slots.length; i++) {
      var slot = slots[i];
      if (slot.dataset.errorPath === path) return slot;
      if (name !== null && slot.dataset.errorFor === name) fallback = fallback || slot;
    }
    return fallback;
  }

  function showIssues(form, issues, message) {
    var formError = form.querySelector(".form-error");
    var unplaced = [];
    issues.forEach(function (issue) {
      var slot = slotFor(form, issue.path);
      if (slot) {
        slot.textContent = (slot.textContent ? slot.textContent + "; " : "") + issue.message;
        var control = slot.parentElement.querySelector("input, select, textarea");
        if (control) control.setAttribute("aria-invalid", "true");
      } else unplaced.push(issue.path + ": " + issue.message);
    });
    var placed = issues.length > 0 && unplaced.length === 0;
    if (formError) formError.textContent = placed ? "Fix the fields marked." : message;
    return placed;
  }

  function clearIssues(form) {
    form.querySelectorAll(".field-error, .form-error").forEach(function (slot) { slot.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }

  function readSchemaForm(form) {
    var payload = JSON.parse(form.dataset.bodyExtra || "{}");
    var issues = [];
    var root = form.querySelector("[data-root-json]");
    var value;
    if (root) {
      var text = root.value.trim();
      if (text !== "") {
        try { value = JSON.parse(text); }
        catch (err) { issues.push({ path: form.dataset.issuePrefix, message: "not valid JSON: " + err.message }); }
      }
    } else {
      value = {};
      form.querySelectorAll("[data-field]").forEach(function (el) {
        var got = fieldValue(el);
        if (got.error) issues.push({ path: form.dataset.issuePrefix + "." + el.dataset.field, message: got.error });
        else if (!got.skip) value[el.dataset.field] = got.value;
      });
    }
    if (value !== undefined) payload[form.dataset.bodyKey] = value;
    form.querySelectorAll("[data-option]").forEach(function (el) {
      if (el.value.trim() !== "") payload[el.dataset.option] = el.value.trim();
    });
    return { payload: payload, issues: issues };
  }

  function submitSchemaForm(form) {
    clearIssues(form);
    var read = readSchemaForm(form);
    if (read.issues.length > 0) return showIssues(form, read.issues, "Fix the fields marked.");
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    var submit = form.querySelector("button[type=submit]");
    if (submit) submit.disabled = true;
    busy = true;
    postTo(form.dataset.endpoint, read.payload)
      .then(function (data) {
        var region = form.closest("[data-keep-forms]");
        if (region) region.dataset.dirty = "";
        if (form.dataset.after === "open-run" && data.run) return openRun(data.run.id);
        form.reset();
        toast("Sent" + (data.run ? " — run is " + data.run.status : ""), false);
        showChange();
      })
      .catch(function (err) {
        if (!showIssues(form, err.issues || [], err.message)) toast(err.message, true);
      })
      .finally(function () { busy = false; if (submit) submit.disabled = false; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form.action-form");
    if (!form) return;
    event.preventDefault();
    if (form.classList.contains("schema-form")) return submitSchemaForm(form);
    var action = form.dataset.action;
    var errorSlot = form.querySelector(".form-error");
    var submit = form.querySelector("button[type=submit]");
    var payload;
    if (action === "fork") payload = { fromSeq: Number(form.elements.fromSeq.value) };
    run(action, payload, form.dataset.confirm, errorSlot, submit);
  });
})();
`;
