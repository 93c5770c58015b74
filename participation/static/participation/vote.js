// The slip's QR code carries the code in the URL fragment (never sent to the server): put it in
// the form and drop it from the address bar. The page works without this script.
(function () {
  var code = decodeURIComponent((window.location.hash || "").slice(1));
  var input = document.getElementById("code");
  if (code && input && !input.value) {
    input.value = code;
    history.replaceState(null, "", window.location.pathname);
  }
})();
