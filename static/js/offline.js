/* Keeps a member's day on the tablet for reading without a signal, and deletes
   it again on the login page (after logout or the idle timeout). The pages work
   the same without it. */
(function () {
  "use strict";
  var DATA = "teamcase-data";

  function done(kind, synced) {
    // For the browser tests: when the tablet last kept her day.
    document.documentElement.setAttribute("data-offline-" + kind, String(synced || Date.now()));
  }

  var working = "serviceWorker" in navigator && !!window.caches;
  if (working) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      var message = event.data || {};
      if (message.type === "synced") done("synced", message.synced);
      if (message.type === "sent") {
        sending = false;
        done("sent");
        // What went is on the server's pages now: show them as they are.
        if (message.sent) window.location.reload();
        else showWaiting();
      }
    });
    window.addEventListener("online", send);
  }

  // Contacts written down without a signal wait in this store until sent
  // (the service worker keeps and sends them).
  function waitingContacts() {
    return new Promise(function (resolve) {
      if (!window.indexedDB) { resolve([]); return; }
      var opening = indexedDB.open("teamcase-outbox", 1);
      opening.onupgradeneeded = function () {
        opening.result.createObjectStore("contacts", { keyPath: "id" });
      };
      opening.onerror = function () { resolve([]); };
      opening.onsuccess = function () {
        var database = opening.result;
        var reading = database.transaction("contacts", "readonly").objectStore("contacts").getAll();
        reading.onsuccess = function () { database.close(); resolve(reading.result || []); };
        reading.onerror = function () { database.close(); resolve([]); };
      };
    });
  }

  var waitingCount = 0;

  var currentUser = 0;

  function showWaiting() {
    return waitingContacts().then(function (all) {
      var items = all.filter(function (item) { return item.user === currentUser; });
      waitingCount = items.length;
      var badge = document.getElementById("outbox-badge");
      if (badge) {
        var text = items.length === 1 ? badge.getAttribute("data-one") : badge.getAttribute("data-many");
        badge.textContent = text.replace("{n}", String(items.length));
        badge.hidden = items.length === 0;
      }
      var here = document.getElementById("outbox-person");
      if (here) {
        var person = Number(here.getAttribute("data-person"));
        var mine = items.filter(function (item) { return item.person === person; });
        mine.sort(function (a, b) { return a.keptAt - b.keptAt; });
        var list = here.querySelector("ul");
        list.textContent = "";
        mine.forEach(function (item) {
          var row = document.createElement("li");
          var when = item.happenedAt ? item.happenedAt.replace("T", " ") + " · " : "";
          var minutes = item.minutes ? here.getAttribute("data-minutes").replace("{n}", item.minutes) + " · " : "";
          row.textContent = when + minutes + (item.note || "");
          list.appendChild(row);
        });
        here.hidden = mine.length === 0;
      }
      return items.length;
    });
  }

  var sending = false;

  function send() {
    if (!working || !navigator.onLine || sending) return;
    showWaiting().then(function (count) {
      if (!count || sending) return;
      sending = true;
      navigator.serviceWorker.ready.then(function (registration) {
        var token = document.querySelector('input[name="csrf_token"]');
        registration.active.postMessage({
          type: "send", user: currentUser, token: token ? token.value : "",
        });
      });
    });
  }

  // Logging out deletes what the tablet keeps: she is told first when contacts wait.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-logout") || !waitingCount) return;
    var question = form.getAttribute(waitingCount === 1 ? "data-one" : "data-many");
    if (!window.confirm(question.replace("{n}", String(waitingCount)))) event.preventDefault();
  }, true);

  // A contact written down here gets its id here: sent twice (a double tap, a
  // retry after the signal dropped) it is still recorded once.
  function nameContacts(root) {
    if (!window.crypto || !window.crypto.randomUUID) return;
    var fields = root.querySelectorAll('input[type="hidden"][name="client_uuid"]');
    // A page shown from what the tablet kept says "now" as of when it was kept:
    // a new contact's time is now, unless she changes it.
    var kept = document.querySelector("[data-offline-notice]:not([hidden])");
    Array.prototype.forEach.call(fields, function (field) {
      if (!field.value) field.value = window.crypto.randomUUID();
      var when = field.form && field.form.elements.namedItem("happened_at");
      if (kept && when && /\/contacts\/new/.test(field.form.action) && when.value === when.defaultValue) {
        var now = new Date();
        now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
        when.value = now.toISOString().slice(0, 16);
      }
    });
  }

  function check() {
    nameContacts(document);
    var mark = document.getElementById("offline-state");
    if (!mark || !working) return;
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
    currentUser = user;
    showWaiting();
    send();
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
    else nameContacts(event.target);
  });
})();
