/* Keeps a member's day on the tablet for reading without a signal, and deletes
   it again on the login page (after logout or the idle timeout). The pages work
   the same without it. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.caches) return;
  var DATA = "teamcase-data";

  function done(kind, synced) {
    // For the browser tests: when the tablet last kept her day.
    document.documentElement.setAttribute("data-offline-" + kind, String(synced || Date.now()));
  }

  navigator.serviceWorker.addEventListener("message", function (event) {
    var message = event.data || {};
    if (message.type === "synced") done("synced", message.synced);
  });

  function check() {
    var mark = document.getElementById("offline-state");
    if (!mark) return;
    if (mark.hasAttribute("data-clear")) {
      // Nobody is logged in here: nothing of anyone's may stay.
      if (navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "clear" });
      }
      window.caches.delete(DATA).then(function () { done("cleared"); });
      return;
    }
    var user = Number(mark.getAttribute("data-user"));
    if (!user) return;
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
    navigator.serviceWorker.register(mark.getAttribute("data-worker"), { scope: "/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        registration.active.postMessage({
          type: "sync", user: user, force: mark.getAttribute("data-sync") === "now",
        });
      })
      .catch(function () { /* no worker: the pages work as before, online */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", check);
  else check();
  // A boosted page change brings a new body, and with it a new mark.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target === document.body) check();
  });
})();
