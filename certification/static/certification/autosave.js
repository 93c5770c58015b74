// Draft autosave of the self-assessment: a few seconds after the last change, the typed scores,
// links and explanations are posted (files are sent only with the explicit "Lưu nháp" button).
(function () {
  const form = document.getElementById("cert-self-form");
  const status = document.getElementById("cert-autosave-status");
  if (!form || !status || !window.fetch) return;
  let timer = null;
  const save = function () {
    const data = new FormData(form);
    for (const [key, value] of Array.from(data.entries())) {
      if (value instanceof File) data.delete(key);
    }
    fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      headers: { "X-Autosave": "1" },
      credentials: "same-origin",
    })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        const now = new Date();
        const time = now.getHours().toString().padStart(2, "0") + ":" + now.getMinutes().toString().padStart(2, "0");
        status.textContent = body.saved ? form.dataset.savedLabel + " " + time : form.dataset.errorLabel + " " + body.errors.join(" ");
      })
      .catch(function () { status.textContent = form.dataset.errorLabel; });
  };
  form.addEventListener("input", function (event) {
    if (event.target.type === "file") return;
    clearTimeout(timer);
    timer = setTimeout(save, 2500);
  });
})();
