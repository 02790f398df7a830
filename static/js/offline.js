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
      if (message.type === "item-sent" || message.type === "item-refused") {
        confirmItem(message.saying || (message.type === "item-sent" ? say("sent") : ""));
        showWaiting();
      }
      if (message.type === "sent") {
        sending = false;
        done("sent");
        // What went is on the server's pages now: show them as they are, and
        // what was confirmed stays said after the reload.
        if (message.sent) {
          try { sessionStorage.setItem(CONFIRMED, JSON.stringify(confirmed)); } catch (e) { /* private mode */ }
          window.location.reload();
        } else showWaiting();
      }
    });
    window.addEventListener("online", send);
  }

  // What was written down without a signal waits in this store until sent
  // (the service worker keeps and sends it).
  function withOutbox(mode, work) {
    return new Promise(function (resolve) {
      if (!window.indexedDB) { resolve(undefined); return; }
      var opening = indexedDB.open("teamcase-outbox", 1);
      opening.onupgradeneeded = function () {
        opening.result.createObjectStore("contacts", { keyPath: "id" });
      };
      opening.onerror = function () { resolve(undefined); };
      opening.onsuccess = function () {
        var database = opening.result;
        var transaction = database.transaction("contacts", mode);
        var request = work(transaction.objectStore("contacts"));
        transaction.oncomplete = function () { database.close(); resolve(request && request.result); };
        transaction.onerror = function () { database.close(); resolve(undefined); };
      };
    });
  }

  function waitingContacts() {
    return withOutbox("readonly", function (store) { return store.getAll(); })
      .then(function (all) { return all || []; });
  }

  var waitingCount = 0;

  var currentUser = 0;

  function say(name) {
    var mark = document.getElementById("offline-state");
    return (mark && mark.getAttribute("data-" + name)) || "";
  }

  // Each item sent is confirmed in the live region, one sentence at a time.
  var CONFIRMED = "teamcase-confirmed";
  var confirmed = [];
  function confirmItem(sentence) {
    if (!sentence) return;
    confirmed.push(sentence);
    var live = document.getElementById("outbox-live");
    if (!live) return;
    var line = document.createElement("p");
    line.className = "outbox-sent";
    line.textContent = sentence;
    live.appendChild(line);
  }
  function confirmAgain() {
    var kept;
    try { kept = JSON.parse(sessionStorage.getItem(CONFIRMED) || "[]"); sessionStorage.removeItem(CONFIRMED); } catch (e) { kept = []; }
    if (!kept.length) return;
    // After the page is there, so that the live region announces them.
    window.setTimeout(function () { kept.forEach(confirmItem); }, 150);
  }

  // Why the server refused an item, from the page it answered with: the page's
  // own sentence (data-refusal), else each field's mistake, else the conflict.
  function reasonOf(item) {
    if (!item.answer || !window.DOMParser) return say("refused");
    var page = new DOMParser().parseFromString(item.answer, "text/html");
    var own = page.querySelector("#main [data-refusal]");
    if (own) return own.textContent.trim().replace(/\s+/g, " ");
    var mistakes = Array.prototype.map.call(page.querySelectorAll("#main .field.has-error"), function (field) {
      var label = field.querySelector("label, legend");
      var error = field.querySelector(".error");
      return (label ? label.textContent.trim() + ": " : "") + (error ? error.textContent.trim() : "");
    });
    if (mistakes.length) return mistakes.join(" ");
    var problem = page.querySelector("#main .form-problem strong, #main .form-problem");
    if (problem) return problem.textContent.trim().replace(/\s+/g, " ");
    var title = page.querySelector("#main h1");
    return title ? title.textContent.trim() : say("refused");
  }

  function button(text, work) {
    var control = document.createElement("button");
    control.type = "button";
    control.className = "button small";
    control.textContent = text;
    control.addEventListener("click", work);
    return control;
  }

  // Opens a refused item as the server answers it now: the form with what she
  // typed and its mistakes marked, or the conflict with both texts. It stays on
  // the tablet until she saves it (the worker deletes it then) or discards it.
  function openItem(item) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = item.url + (item.url.indexOf("?") < 0 ? "?" : "&") + "outbox=" + encodeURIComponent(item.id);
    form.setAttribute("hx-boost", "false");
    form.hidden = true;
    var token = document.querySelector('input[name="csrf_token"]');
    new URLSearchParams(item.body).forEach(function (value, name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = name === "csrf_token" && token ? token.value : value;
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  function discardItem(item) {
    withOutbox("readwrite", function (store) { store.delete(item.id); }).then(showWaiting);
  }

  function row(item, here) {
    var line = document.createElement("li");
    var said = document.createElement("span");
    var when = item.happenedAt ? item.happenedAt.replace("T", " ") + " · " : "";
    var minutes = item.minutes && item.kind !== "about" ? here.getAttribute("data-minutes").replace("{n}", item.minutes) + " · " : "";
    said.textContent = when + minutes + (item.note || "");
    line.appendChild(said);
    if (item.state === "refused") {
      line.className = "refused";
      var why = document.createElement("strong");
      why.className = "not-sent";
      why.textContent = say("not-sent").replace("{reason}", reasonOf(item));
      line.insertBefore(why, said);
      line.insertBefore(document.createTextNode(" "), said);
      var actions = document.createElement("span");
      actions.className = "outbox-actions";
      actions.appendChild(button(say("open"), function () { openItem(item); }));
      actions.appendChild(button(say("discard"), function () { discardItem(item); }));
      line.appendChild(actions);
    }
    return line;
  }

  function showWaiting() {
    return waitingContacts().then(function (all) {
      var items = all.filter(function (item) { return item.user === currentUser; });
      var waiting = items.filter(function (item) { return item.state !== "refused"; });
      waitingCount = items.length;
      var badge = document.getElementById("outbox-badge");
      if (badge) {
        var text = waiting.length === 1 ? badge.getAttribute("data-one") : badge.getAttribute("data-many");
        badge.textContent = text.replace("{n}", String(waiting.length));
        badge.hidden = waiting.length === 0;
      }
      var here = document.getElementById("outbox-person");
      if (here) {
        var person = Number(here.getAttribute("data-person"));
        var mine = items.filter(function (item) { return !person || item.person === person; });
        mine.sort(function (a, b) { return a.keptAt - b.keptAt; });
        var list = here.querySelector("ul");
        list.textContent = "";
        mine.forEach(function (item) { list.appendChild(row(item, here)); });
        here.hidden = mine.length === 0;
      }
      // My day: a visit marked done here is not done on the server yet.
      Array.prototype.forEach.call(document.querySelectorAll(".outbox-tag"), function (tag) { tag.remove(); });
      items.forEach(function (item) {
        var card = item.kind === "done" && document.getElementById("visit-" + item.visit);
        if (!card) return;
        var tag = document.createElement("span");
        tag.className = "tag outbox-tag";
        tag.textContent = item.state === "refused" ? say("not-sent").replace("{reason}", reasonOf(item)) : say("waiting");
        var heading = card.querySelector(".visit-person") || card;
        heading.appendChild(document.createTextNode(" "));
        heading.appendChild(tag);
      });
      return waiting.length;
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

  // Logging out deletes what the tablet keeps: she is told first when items wait.
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

  // Drafts: what she types in an about-me section or a contact's note is kept
  // on the tablet as she types, and offered back when she returns to the form.
  // Deleted when the form is sent, at logout, on the login page (the idle
  // timeout), when the tablet was idle that long, and when someone else logs in.
  var DRAFT = "teamcase-draft:";
  var LEFT_OUT = /(^|-)(csrf_token|client_uuid|outbox_.*|minutes_was|version)$/;
  var initialValues = new WeakMap();
  var draftTimers = new WeakMap();

  function keepDraft(form) {
    var kept = store();
    if (!kept || !currentUser) return;
    var key = draftKey(form);
    var now = JSON.stringify(valuesOf(form));
    if (initialValues.has(form) && now === initialValues.get(form)) { kept.removeItem(key); return; }
    kept.setItem(key, JSON.stringify({ at: Date.now(), values: valuesOf(form) }));
  }

  // Listened for on the document: a form loaded in place is typed into at once.
  function typed(event) {
    var form = event.target && event.target.form;
    if (!event.isTrusted || !form || !form.hasAttribute("data-draft")) return;
    window.clearTimeout(draftTimers.get(form));
    if (event.type === "change") keepDraft(form);
    else draftTimers.set(form, window.setTimeout(function () { keepDraft(form); }, 300));
  }
  document.addEventListener("input", typed);
  document.addEventListener("change", typed);

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function draftKey(form) {
    return DRAFT + currentUser + ":" + new URL(form.action, window.location.href).pathname;
  }

  // What the form holds now, or (asServed) what it held as the server sent it:
  // she may have typed before the script first saw a form loaded in place.
  function valuesOf(form, asServed) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || LEFT_OUT.test(element.name) || element.type === "submit" || element.type === "button") return;
      if (element.type === "radio" || element.type === "checkbox") {
        if (asServed ? element.defaultChecked : element.checked) values.push([element.name, element.value]);
      } else if (element.tagName === "SELECT") {
        var chosen = Array.prototype.filter.call(element.options, function (option) {
          return asServed ? option.defaultSelected : option.selected;
        });
        // A single choice the server marked nowhere shows its first option.
        if (asServed && !chosen.length && !element.multiple && element.options.length) chosen = [element.options[0]];
        chosen.forEach(function (option) { values.push([element.name, option.value]); });
      } else {
        values.push([element.name, asServed ? element.defaultValue : element.value]);
      }
    });
    return values;
  }

  function fill(form, values) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || LEFT_OUT.test(element.name)) return;
      var mine = values.filter(function (pair) { return pair[0] === element.name; });
      if (element.type === "radio" || element.type === "checkbox") {
        element.checked = mine.some(function (pair) { return pair[1] === element.value; });
      } else if (mine.length) {
        element.value = mine[0][1];
      }
      element.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  function forgetDrafts(keepUser, idleMs) {
    var kept = store();
    if (!kept) return;
    var seen = Number(kept.getItem("teamcase-seen") || 0);
    var idle = idleMs && seen && Date.now() - seen > idleMs;
    for (var index = kept.length - 1; index >= 0; index -= 1) {
      var key = kept.key(index);
      if (!key || key.indexOf(DRAFT) !== 0) continue;
      if (!keepUser || idle || key.indexOf(DRAFT + keepUser + ":") !== 0) kept.removeItem(key);
    }
    if (keepUser) kept.setItem("teamcase-seen", String(Date.now()));
    else kept.removeItem("teamcase-seen");
  }

  function timeText(at) {
    var when = new Date(at);
    var lang = document.documentElement.lang || undefined;
    var time = when.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    if (when.toDateString() === new Date().toDateString()) return time;
    return when.toLocaleDateString(lang, { day: "numeric", month: "short" }) + " " + time;
  }

  function offerDrafts(root) {
    var kept = store();
    if (!kept || !currentUser) return;
    var forms = root.matches && root.matches("form[data-draft]") ? [root] : root.querySelectorAll("form[data-draft]");
    Array.prototype.forEach.call(forms, function (form) {
      if (form.hasAttribute("data-draft-watched")) return;
      form.setAttribute("data-draft-watched", "");
      var key = draftKey(form);
      var initial = JSON.stringify(valuesOf(form, true));
      initialValues.set(form, initial);
      var draft;
      try { draft = JSON.parse(kept.getItem(key) || "null"); } catch (e) { draft = null; }
      if (!draft || JSON.stringify(draft.values) === initial) return;
      var offer = document.createElement("div");
      offer.className = "draft-offer";
      offer.setAttribute("role", "group");
      var text = document.createElement("p");
      text.textContent = say("draft-from").replace("{time}", timeText(draft.at));
      offer.setAttribute("aria-label", text.textContent);
      offer.appendChild(text);
      offer.appendChild(button(say("use-draft"), function () {
        fill(form, draft.values);
        offer.remove();
        var first = form.querySelector("textarea");
        if (first) first.focus();
      }));
      offer.appendChild(button(say("discard-draft"), function () {
        kept.removeItem(key);
        offer.remove();
      }));
      form.parentNode.insertBefore(offer, form);
    });
  }

  // An item opened from the list: saving its form sends that item, which then
  // waits no longer.
  function markOpened(root) {
    var opened = new URLSearchParams(window.location.search).get("outbox");
    if (!opened) return;
    Array.prototype.forEach.call(root.querySelectorAll("form[data-outbox]"), function (form) {
      if (form.elements.namedItem("outbox_id")) return;
      addHidden(form, "outbox_id", opened);
    });
  }

  function addHidden(form, name, value) {
    var field = form.elements.namedItem(name);
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = name;
      form.appendChild(field);
    }
    field.value = value;
  }

  // What the worker keeps of a form sent without a signal: whose it is and how
  // to confirm it. The form was sent: its draft is no longer needed.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-outbox")) return;
    addHidden(form, "outbox_label", form.getAttribute("data-outbox"));
    addHidden(form, "outbox_refused", form.getAttribute("data-outbox-refused") || "");
    addHidden(form, "outbox_person", form.getAttribute("data-outbox-person") || "");
    var kept = store();
    if (kept && form.hasAttribute("data-draft") && currentUser) kept.removeItem(draftKey(form));
  }, true);

  // Without a signal, a part of a page loaded in place (an about-me form) cannot
  // come: the page of its own, kept on the tablet, stands in for it.
  // Only for a link (a search typed into stays where it is).
  function linkInPlace(event) {
    var detail = event.detail || {};
    var config = detail.requestConfig;
    var link = detail.elt;
    if (!config || config.verb !== "get" || !link || link.tagName !== "A") return null;
    if (detail.boosted || (config.headers && config.headers["HX-Boosted"])) return null;
    return link.getAttribute("href");
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var href = !navigator.onLine && linkInPlace(event);
    if (!href) return;
    event.preventDefault();
    window.location.href = href;
  });
  document.addEventListener("htmx:sendError", function (event) {
    var href = linkInPlace(event);
    if (href) window.location.href = href;
  });

  function check() {
    nameContacts(document);
    var mark = document.getElementById("offline-state");
    if (!mark || !working) return;
    if (mark.hasAttribute("data-clear")) {
      // Nobody is logged in here: nothing of anyone's may stay.
      forgetDrafts(0, 0);
      if (navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "clear" });
      }
      window.caches.delete(DATA).then(function () { done("cleared"); });
      return;
    }
    var user = Number(mark.getAttribute("data-user"));
    if (!user) return;
    currentUser = user;
    forgetDrafts(user, Number(mark.getAttribute("data-idle")) * 60 * 1000);
    offerDrafts(document);
    markOpened(document);
    confirmAgain();
    showWaiting();
    send();
    // Asked once she is logged in: a browser may then keep what waits under
    // storage pressure (an installed app on an iPad is granted it).
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persisted().then(function (already) {
        if (!already) return navigator.storage.persist();
        return true;
      }).then(function (granted) { done("persist-" + (granted ? "granted" : "refused")); })
        .catch(function () { /* not offered here: nothing to ask */ });
    }
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
    else { nameContacts(event.target); offerDrafts(event.target); }
  });
})();
