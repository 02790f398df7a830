// Asking once before removing (parts/remove.html): with htmx the question comes in
// place of the item; "Keep it" then puts the item back as it was, with the focus on
// the button that asked, without asking the server or reloading the page. Without
// JavaScript, or for a question on a page of its own, Keep it is a link back.
// Loaded again with every boosted visit of a page, so it binds only once.
(function () {
  if (window.teamcaseKeepIt) return;
  window.teamcaseKeepIt = true;
  var asked = new WeakMap(); // the element the question came into -> what it held
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var opener = detail.requestConfig && detail.requestConfig.elt;
    if (!opener || !opener.hasAttribute("hx-get")) return; // boosted: a page of its own
    if (detail.serverResponse.indexOf('class="confirm-remove') === -1) return;
    asked.set(detail.target, {
      html: detail.target.innerHTML,
      url: opener.getAttribute("hx-get"),
    });
  });
  document.addEventListener(
    "click",
    function (event) {
      var keep = event.target.closest && event.target.closest(".confirm-remove [data-keep]");
      if (!keep) return;
      var holder = keep.closest(".confirm-remove").parentElement;
      var was = asked.get(holder);
      if (!was) return;
      // Before htmx's boosted link sees the click.
      event.preventDefault();
      event.stopPropagation();
      asked.delete(holder);
      holder.innerHTML = was.html;
      // Kept while the question was on its way: the link that asked was busy then.
      holder.querySelectorAll(".htmx-request").forEach(function (element) {
        element.classList.remove("htmx-request");
      });
      window.htmx.process(holder);
      var again = holder.querySelector('[hx-get="' + CSS.escape(was.url) + '"]');
      if (again) again.focus();
    },
    true
  );
})();
