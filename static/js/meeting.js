// Meeting mode: the arrow keys move to the previous or next item, as the
// Previous and Next buttons do (which stay the way for touch and the Tab key).
// Loaded again with every boosted visit of the page, so it binds only once.
(function () {
  if (window.teamcaseMeetingKeys) return;
  window.teamcaseMeetingKeys = true;
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var key = { ArrowLeft: "previous", ArrowRight: "next" }[event.key];
    if (!key) return;
    var target = event.target;
    if (target.closest("input, textarea, select, [contenteditable]")) return;
    var link = document.querySelector('#stage .item-nav a[data-key="' + key + '"]');
    if (!link) return;
    event.preventDefault();
    link.click();
  });
})();
