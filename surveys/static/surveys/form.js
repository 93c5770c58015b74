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
  // The form's expressions, parsed on the server (surveys/expressions.py) into the same trees it
  // evaluates: XPath 1.0 values (a multiple choice is its values joined by spaces, no answer is "").
  function str(v) {
    if (typeof v === "boolean") { return v ? "true" : "false"; }
    if (typeof v === "number") { return isNaN(v) ? "NaN" : String(v); }
    if (Array.isArray(v)) { return v.join(" "); }
    return v === undefined || v === null ? "" : String(v);
  }
  function num(v) {
    if (typeof v === "boolean") { return v ? 1 : 0; }
    if (typeof v === "number") { return v; }
    var text = str(v).trim();
    return text === "" || isNaN(Number(text)) ? NaN : Number(text);
  }
  function bool(v) {
    if (typeof v === "boolean") { return v; }
    if (typeof v === "number") { return !isNaN(v) && v !== 0; }
    return str(v) !== "";
  }
  function compare(op, a, b) {
    if (op === "=" || op === "!=") {
      var equal;
      if (typeof a === "boolean" || typeof b === "boolean") { equal = bool(a) === bool(b); }
      else if (typeof a === "number" || typeof b === "number") { equal = num(a) === num(b); }
      else { equal = str(a) === str(b); }
      return op === "=" ? equal : !equal;
    }
    var x = num(a), y = num(b);
    return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
  }
  function fn(name, a) {
    switch (name) {
      case "selected": return str(a[0]).split(/\s+/).indexOf(str(a[1]).trim()) !== -1;
      case "not": return !bool(a[0]);
      case "count-selected": return str(a[0]).split(/\s+/).filter(Boolean).length;
      case "string-length": return str(a[0]).length;
      case "true": return true;
      case "false": return false;
      case "if": return bool(a[0]) ? a[1] : a[2];
      case "coalesce": return str(a[0]) !== "" ? a[0] : a[1];
      case "number": return num(a[0]);
      case "int": return isFinite(num(a[0])) ? Math.trunc(num(a[0])) : num(a[0]);
      case "string": return str(a[0]);
      case "concat": return a.map(str).join("");
      case "regex": try { return new RegExp(str(a[1])).test(str(a[0])); } catch (e) { return false; }
      case "round": var f = Math.pow(10, a.length > 1 ? num(a[1]) : 0); return Math.floor(num(a[0]) * f + 0.5) / f;
      case "contains": return str(a[0]).indexOf(str(a[1])) !== -1;
      default: return str(a[0]).indexOf(str(a[1])) === 0;  // starts-with
    }
  }
  function evaluate(t, answers) {
    switch (t[0]) {
      case "num": case "str": return t[1];
      case "ref": var v = answers[t[1]]; return typeof v === "number" ? v : str(v);
      case "self": return "";
      case "neg": return -num(evaluate(t[1], answers));
      case "op":
        var left = evaluate(t[2], answers);
        if (t[1] === "or") { return bool(left) || bool(evaluate(t[3], answers)); }
        if (t[1] === "and") { return bool(left) && bool(evaluate(t[3], answers)); }
        var right = evaluate(t[3], answers);
        if (["=", "!=", "<", "<=", ">", ">="].indexOf(t[1]) !== -1) { return compare(t[1], left, right); }
        var x = num(left), y = num(right);
        if (t[1] === "+") { return x + y; }
        if (t[1] === "-") { return x - y; }
        if (t[1] === "*") { return x * y; }
        if (t[1] === "div") { return y === 0 ? NaN : x / y; }
        return y === 0 ? NaN : x % y;
      default: return fn(t[1], t[2].map(function (a) { return evaluate(a, answers); }));
    }
  }
  function holds(box, answers) {
    var trees = box.getAttribute("data-relevant");
    if (!trees) { return true; }
    return JSON.parse(trees).every(function (t) { return bool(evaluate(t, answers)); });
  }
  function applySkips() {
    var answers = currentAnswers();
    form.querySelectorAll("output[data-calculate]").forEach(function (out) {
      var value = evaluate(JSON.parse(out.getAttribute("data-calculate"))[0], answers);
      answers[out.getAttribute("data-code")] = value;
      out.textContent = typeof value === "number" && isNaN(value) ? "" : str(value);
    });
    form.querySelectorAll(".survey-section, .survey-question").forEach(function (box) {
      var shown = holds(box, answers);
      var code = box.getAttribute("data-show-if-code");
      if (code) {
        shown = shown && [].concat(answers[code] === undefined ? [] : answers[code]).indexOf(box.getAttribute("data-show-if-value")) !== -1;
      }
      box.classList.toggle("survey-hidden", !shown);
      box.querySelectorAll("input, textarea").forEach(function (el) {
        el.disabled = !shown || el.closest(".survey-hidden") !== null;
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
