/* teamcase's service worker: the app shell precached, a member's day kept for
   reading without a signal, everything of hers deleted at logout. Hand-written:
   see "Working offline" in the README for why, and what it keeps for how long. */
"use strict";

const SETTINGS = {{ settings }};
const SHELL = "teamcase-shell-" + SETTINGS.version;
// One cache for everything about people; deleting it deletes all of it.
const DATA = "teamcase-data";
const META = "/offline/.state";
const SHELL_PATHS = new Set(SETTINGS.shell);
const IDLE_MS = SETTINGS.idleMinutes * 60 * 1000;
// A sync that stopped (signal lost) resumes within this time, else starts over.
const RESUME_MS = 15 * 60 * 1000;
// Pages are refreshed in the background when the last sync is older than this.
const FRESH_MS = 10 * 60 * 1000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL)
      .then((cache) => cache.addAll([...SETTINGS.shell, SETTINGS.offlinePage]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((n) => n.startsWith("teamcase-shell-") && n !== SHELL)
          .map((n) => caches.delete(n)),
      ))
      .then(() => self.clients.claim()),
  );
});

async function readState() {
  const cache = await caches.open(DATA);
  const found = await cache.match(META);
  return found ? found.json() : {};
}

async function writeState(state) {
  const cache = await caches.open(DATA);
  await cache.put(META, new Response(JSON.stringify(state), {
    headers: { "Content-Type": "application/json" },
  }));
}

async function clearData() {
  await caches.delete(DATA);
}

// Contacts written down without a signal, keyed by the id the tablet made for
// each; static/js/offline.js reads the same store to show them.
const OUTBOX = "teamcase-outbox";
const CONTACT_FORM = /^\/people\/(\d+)\/contacts\/new$/;

function outbox(mode, work) {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(OUTBOX, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("contacts", { keyPath: "id" });
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const database = opening.result;
      const transaction = database.transaction("contacts", mode);
      const result = work(transaction.objectStore("contacts"));
      transaction.oncomplete = () => { database.close(); resolve(result && result.result); };
      transaction.onerror = () => { database.close(); reject(transaction.error); };
    };
  });
}

async function keepContact(request, personId) {
  const body = await request.clone().text();
  const fields = new URLSearchParams(body);
  const id = fields.get("client_uuid");
  if (!id || !(await readState()).user) return null;
  const url = new URL(request.url);
  const state = await readState();
  await outbox("readwrite", (store) => store.put({
    id,
    // Sent only in her own session: never under a colleague who logs in next.
    user: state.user,
    person: Number(personId),
    url: url.pathname + url.search,
    body,
    kind: fields.get("kind") || "",
    minutes: fields.get("minutes_typed") || fields.get("minutes") || "",
    note: fields.get("note") || "",
    happenedAt: fields.get("happened_at") || "",
    keptAt: Date.now(),
  }));
  return id;
}

async function contactForm(request, personId) {
  try {
    return await fetch(request.clone());
  } catch (error) {
    const kept = await keepContact(request, personId);
    if (!kept) throw error;
    // Back to the person's page (kept, or the offline page), where it waits.
    return Response.redirect(new URL("/people/" + personId, self.location.origin).href, 303);
  }
}

// Sends what waits, oldest first; each is recorded once however often it is
// sent (the server knows its id). Stops at the first that cannot go yet.
async function sendWaiting(token, user) {
  const all = (await outbox("readonly", (store) => store.getAll())) || [];
  const waiting = all.filter((item) => item.user === user);
  waiting.sort((a, b) => a.keptAt - b.keptAt);
  let sent = 0;
  for (const item of waiting) {
    const body = new URLSearchParams(item.body);
    // The page's token: the session may be a new one since it was written down.
    if (token) body.set("csrf_token", token);
    let response;
    try {
      response = await fetch(item.url, {
        method: "POST",
        body,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        credentials: "same-origin",
      });
    } catch (error) {
      break; // still no signal
    }
    if (new URL(response.url).pathname === "/login") break; // log in first
    if (response.ok) {
      await outbox("readwrite", (store) => store.delete(item.id));
      sent += 1;
    } else {
      break;
    }
  }
  return { sent, left: waiting.length - sent };
}

// Only whole pages are ever kept, each under its plain URL: an htmx fragment is
// never stored, so it can never stand in for a page, nor a page for a fragment.
function wantsWholePage(request) {
  if (request.mode === "navigate") return true;
  if (request.headers.get("HX-Request") !== "true") return false;
  return request.headers.get("HX-Boosted") === "true"
    && request.headers.get("HX-History-Restore-Request") !== "true";
}

function keyOf(url) {
  return url.pathname + url.search;
}

function isKeepable(response) {
  return response.ok && !response.redirected && response.type === "basic"
    && (response.headers.get("Content-Type") || "").startsWith("text/html");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const contact = request.method === "POST" && url.pathname.match(CONTACT_FORM);
  if (contact) {
    event.respondWith(contactForm(request, contact[1]));
    return;
  }
  if (request.method !== "GET") return;
  if (SHELL_PATHS.has(url.pathname)) {
    event.respondWith(
      caches.open(SHELL).then((cache) => cache.match(url.pathname))
        .then((hit) => hit || fetch(request)),
    );
    return;
  }
  if (wantsWholePage(request)) event.respondWith(page(request, url));
});

async function page(request, url) {
  const state = await readState();
  const idle = state.seen && Date.now() - state.seen > IDLE_MS;
  try {
    const response = await fetch(request);
    if (state.user && (state.urls || []).includes(keyOf(url)) && isKeepable(response)) {
      // A kept page read online is kept as it is now.
      const cache = await caches.open(DATA);
      await cache.put(keyOf(url), response.clone());
    }
    if (state.user) await writeState({ ...state, seen: Date.now() });
    return response;
  } catch (error) {
    if (idle) {
      // Logged out on the server by now, and so here too: a shared tablet keeps nothing.
      await clearData();
    } else if (state.user) {
      await writeState({ ...state, seen: Date.now() });
      const cache = await caches.open(DATA);
      const kept = await cache.match(keyOf(url), { ignoreVary: true });
      if (kept) return asOffline(kept, 200);
    }
    return offlinePage();
  }
}

// The kept page with its "offline — as of …" notice shown.
async function asOffline(response, status) {
  const text = (await response.text()).replace(
    /data-offline-notice hidden/g, "data-offline-notice",
  );
  return new Response(text, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

async function offlinePage() {
  // In her language when a sync has kept it, else as it was installed.
  const own = await (await caches.open(DATA)).match(SETTINGS.offlinePage, { ignoreVary: true });
  const shell = own || await (await caches.open(SHELL)).match(SETTINGS.offlinePage, { ignoreVary: true });
  if (shell) return asOffline(shell, 503);
  return new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
}

// Keeps the member's pages; resumes a sync the signal cut short.
async function sync(user, force) {
  let state = await readState();
  if (state.user !== user) {
    await clearData();
    state = {};
  }
  const resuming = state.pending && state.pending.length
    && Date.now() - state.started < RESUME_MS;
  if (!resuming) {
    if (!force && state.synced && Date.now() - state.synced < FRESH_MS) return state;
    const listed = await fetch(SETTINGS.snapshot, { headers: { Accept: "application/json" } });
    if (!listed.ok || listed.redirected) return state;
    const snapshot = await listed.json();
    if (snapshot.user !== user) return state;
    state = { ...state, user, urls: snapshot.urls, pending: snapshot.urls.slice(), started: Date.now() };
    await writeState(state);
  }
  const cache = await caches.open(DATA);
  while (state.pending.length) {
    const next = state.pending[0];
    const response = await fetch(next);
    // Logged out meanwhile, or the page went: nothing of it is kept.
    if (response.redirected || response.status === 401 || response.status === 403) {
      await clearData();
      return {};
    }
    if (isKeepable(response)) await cache.put(next, response);
    else await cache.delete(next);
    state = { ...state, pending: state.pending.slice(1) };
    await writeState(state);
  }
  state = { ...state, synced: Date.now(), seen: Date.now() };
  await writeState(state);
  return state;
}

let running = null;

self.addEventListener("message", (event) => {
  const message = event.data || {};
  let work;
  if (message.type === "sync") {
    // One sync at a time; a second request waits for the one under way.
    running = running || sync(message.user, message.force)
      .catch(() => null)
      .finally(() => { running = null; });
    work = running;
  } else if (message.type === "send") {
    work = sendWaiting(message.token, message.user);
  } else if (message.type === "clear") {
    work = clearData();
  } else {
    return;
  }
  event.waitUntil(work.then((state) => {
    if (event.source) event.source.postMessage({ type: message.type === "send" ? "sent" : message.type + "ed", synced: state && state.synced, sent: state && state.sent });
  }));
});
