// One duration at a time: tapping a chip empties "Other duration", typing
// there clears the chips, so the form never shows two durations as chosen.
// Without this script the server decides by what was changed (see ContactForm).
// Loaded again with every boosted visit of a page, so it binds only once.
(function () {
  if (window.teamcaseDuration) return;
  window.teamcaseDuration = true;
  function others(target, selector) {
    var form = target.form;
    return form ? form.querySelectorAll(selector) : [];
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name !== "minutes" || target.type !== "radio" || !target.checked) return;
    others(target, 'input[name="minutes_typed"]').forEach(function (typed) {
      typed.value = "";
    });
  });
  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target.name !== "minutes_typed" || target.value === "") return;
    others(target, 'input[name="minutes"]').forEach(function (chip) {
      chip.checked = false;
    });
  });
})();
