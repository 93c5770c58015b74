// Questionnaire on a phone: skip logic, answers kept in localStorage until the server has them,
// a clear notice of what is not yet sent, and sending when the connection returns.
(function () {
  "use strict";
  var done = document.querySelector(".survey-done[data-clear-key]");
  if (done) {
    try { localStorage.removeItem(done.getAttribute("data-clear-key")); } catch (e) { /* storage off */ }
  }
  var entry = document.querySelector("form.survey-token");
  if (entry) {
    // A QR slip carries its one-time code in the URL fragment, which browsers never send: move it
    // into the form, drop it from the address bar and history, and post it.
    var code = "";
    try { code = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { code = ""; }
    if (code) {
      history.replaceState(null, "", window.location.pathname);
      entry.elements.token.value = code;
      entry.submit();
    }
    return;
  }
  var form = document.querySelector("form.survey-form, form.survey-entry");
  if (!form) { return; }
  var key = form.getAttribute("data-storage-key");
  if (!key) {
    // Paper entry by staff: skip logic only, and the cursor ready in the first answer.
    form.addEventListener("change", function () { applySkips(); });
    applySkips();
    var first = form.querySelector("input:not([type=hidden]), textarea");
    if (first) { first.focus(); }
    return;
  }
  var notice = document.getElementById("survey-pending");

  function currentAnswers() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden") { return; }  // the token never goes to storage
      if (el.type === "radio" || el.type === "checkbox") {
        if (!el.checked) { return; }
        if (el.type === "checkbox") { (data[el.name] = data[el.name] || []).push(el.value); return; }
      }
      if (el.value !== "") { data[el.name] = el.value; }
    });
    return data;
  }
  function answerOf(code) {
    var value = currentAnswers()[code];
    return value === undefined ? [] : [].concat(value);
  }
  function applySkips() {
    form.querySelectorAll("[data-show-if-code]").forEach(function (box) {
      var shown = answerOf(box.getAttribute("data-show-if-code")).indexOf(box.getAttribute("data-show-if-value")) !== -1;
      box.classList.toggle("survey-hidden", !shown);
      box.querySelectorAll("input, textarea").forEach(function (el) {
        el.disabled = !shown;
      });
    });
  }
  function showNotice(text) {
    if (!notice) { return; }
    notice.textContent = text;
    notice.classList.toggle("d-none", !text);
  }
  function save(pending) {
    try {
      localStorage.setItem(key, JSON.stringify({ answers: currentAnswers(), pending: !!pending }));
    } catch (e) { /* storage full or off: the form still works online */ }
  }
  function restore() {
    var saved;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved || !saved.answers) { return null; }
    var hasServerValues = form.querySelector(".invalid-feedback");
    if (!hasServerValues) {
      Object.keys(saved.answers).forEach(function (name) {
        var values = [].concat(saved.answers[name]);
        form.querySelectorAll("[name='" + name + "']").forEach(function (el) {
          if (el.type === "radio" || el.type === "checkbox") { el.checked = values.indexOf(el.value) !== -1; }
          else { el.value = values[0]; }
        });
      });
    }
    return saved;
  }

  var saved = restore();
  applySkips();
  if (saved && saved.pending) {
    showNotice(form.getAttribute("data-pending-text"));
  } else if (saved && Object.keys(saved.answers).length) {
    showNotice(form.getAttribute("data-draft-text"));
  }
  form.addEventListener("input", function () { applySkips(); save(false); showNotice(form.getAttribute("data-draft-text")); });
  form.addEventListener("change", function () { applySkips(); save(false); });
  form.addEventListener("submit", function (event) {
    if (!navigator.onLine) {
      event.preventDefault();
      save(true);
      showNotice(form.getAttribute("data-pending-text"));
      if (notice) { notice.scrollIntoView({ block: "center" }); }
    }
  });
  window.addEventListener("online", function () {
    var state;
    try { state = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { state = null; }
    if (state && state.pending) { form.submit(); }
  });
})();
