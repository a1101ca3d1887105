/* Sleutelnet key-person portal: steppers and reports that survive a lost connection.
 *
 * Every page works without this script. With it:
 * - number inputs marked data-stepper get − and + buttons;
 * - a form marked data-draft keeps what was typed on this phone (localStorage) while it is
 *   filled in; if sending fails because the phone is offline, the draft is marked "to send"
 *   and sent as soon as the connection is back (on this page or the next portal page opened).
 * Drafts hold the report's figures and note only, never another person's details; they are
 * deleted once the server has the report, and on logging out.
 * No inline script, no eval: it runs under our Content-Security-Policy.
 */
(function () {
  "use strict";
  var PREFIX = "sleutelnet-draft:";
  var root = document.documentElement;
  var texts = {
    saved: root.getAttribute("data-draft-saved") || "Saved on this phone. It will be sent when you are online again.",
    sending: root.getAttribute("data-draft-sending") || "Sending your report…",
    sent: root.getAttribute("data-draft-sent") || "Your report was sent.",
    fix: root.getAttribute("data-draft-fix") || "Your report could not be sent. Open it and check it."
  };

  function steppers() {
    var inputs = document.querySelectorAll("input[data-stepper]");
    Array.prototype.forEach.call(inputs, function (input) {
      if (input.parentNode.classList.contains("stepper")) { return; }
      var box = document.createElement("div");
      box.className = "stepper";
      input.parentNode.insertBefore(box, input);
      function button(text, delta, label) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "stepper__button";
        b.textContent = text;
        b.setAttribute("aria-label", label + " " + (input.labels && input.labels[0] ? input.labels[0].textContent.trim() : ""));
        b.addEventListener("click", function () {
          var value = parseInt(input.value, 10) || 0;
          var min = input.min === "" ? 0 : parseInt(input.min, 10);
          var max = input.max === "" ? Infinity : parseInt(input.max, 10);
          input.value = String(Math.min(max, Math.max(min, value + delta)));
          input.dispatchEvent(new Event("input", { bubbles: true }));
        });
        return b;
      }
      box.appendChild(button("−", -1, root.getAttribute("data-less") || "Less:"));
      box.appendChild(input);
      box.appendChild(button("+", 1, root.getAttribute("data-more") || "More:"));
    });
  }

  function status(text, kind) {
    var box = document.getElementById("draft-status");
    if (!box) { return; }
    box.hidden = false;
    box.className = "alert alert--" + (kind || "info") + " draft-status";
    box.textContent = text;
  }

  function store(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: no drafts */ }
  }

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function fields(form) {
    var data = [];
    new FormData(form).forEach(function (value, name) { data.push([name, String(value)]); });
    return data;
  }

  function restore(form, draft) {
    var byName = {};
    draft.fields.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || !(el.name in byName)) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = byName[el.name].indexOf(el.value) !== -1;
      } else {
        el.value = byName[el.name][0];
      }
    });
  }

  function send(key, draft) {
    var body = new URLSearchParams();
    draft.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    status(texts.sending, "info");
    return fetch(draft.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      redirect: "follow"
    }).then(function (response) {
      if (response.ok && response.redirected) {
        localStorage.removeItem(key);
        status(texts.sent, "success");
        window.setTimeout(function () { window.location.assign(response.url); }, 1200);
        return true;
      }
      draft.pending = false;
      store(key, draft);
      status(texts.fix, "error");
      return false;
    }, function () {
      status(texts.saved, "warning");
      return false;
    });
  }

  function sendPending() {
    if (navigator.onLine === false) { return; }
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        var draft = load(key);
        if (draft && draft.pending) { send(key, draft); }
      }
    }
  }

  function drafts() {
    var form = document.querySelector("form[data-draft]");
    if (!form) { return; }
    var key = PREFIX + form.getAttribute("action");
    var draft = load(key);
    if (draft) { restore(form, draft); }
    form.addEventListener("input", function () {
      store(key, { action: form.getAttribute("action"), fields: fields(form), pending: false });
    });
    form.addEventListener("submit", function (event) {
      var current = { action: form.getAttribute("action"), fields: fields(form), pending: true };
      store(key, current);
      event.preventDefault();
      if (navigator.onLine === false) {
        status(texts.saved, "warning");
        return;
      }
      send(key, current).then(function (ok) {
        if (!ok && navigator.onLine !== false) {
          // The server answered with the form and its errors: show it the normal way.
          var again = load(key);
          if (again && !again.pending) { localStorage.removeItem(key); form.submit(); }
        }
      });
    });
  }

  function logout() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-clear-drafts]"), function (form) {
      form.addEventListener("submit", function () {
        for (var i = localStorage.length - 1; i >= 0; i--) {
          var key = localStorage.key(i);
          if (key && key.indexOf(PREFIX) === 0) { localStorage.removeItem(key); }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    steppers();
    drafts();
    logout();
    sendPending();
  });
  window.addEventListener("online", sendPending);
})();
