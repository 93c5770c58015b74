// Picking a commune from the search results fills the form's hidden "unit" field.
document.addEventListener("change", function (event) {
  var radio = event.target;
  if (radio && radio.hasAttribute && radio.hasAttribute("data-unit-radio")) {
    var hidden = document.getElementById("unit-selected");
    if (hidden) { hidden.value = radio.value; }
  }
});
