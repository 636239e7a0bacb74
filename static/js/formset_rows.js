// Adds rows to a list of form rows (a Django formset) on demand. Without JavaScript the page offers
// a few blank rows; with it, "Add" appends a copy of the formset's empty form and counts it in.
(function () {
  "use strict";
  document.querySelectorAll("[data-formset]").forEach(function (fieldset) {
    var prefix = fieldset.dataset.formset;
    var total = fieldset.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var rows = fieldset.querySelector("[data-formset-rows]");
    var template = fieldset.querySelector("template[data-formset-template]");
    var button = fieldset.querySelector("[data-formset-add]");
    if (!total || !rows || !template || !button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      var first = row.querySelector("input, select, textarea");
      if (first) {
        first.focus();
      }
    });
  });
})();
