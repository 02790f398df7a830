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

// What she wrote down without a signal, keyed by an id made on the tablet:
// contacts, planned visits marked done and about-me sections. static/js/offline.js
// reads the same store to show them, and to open or discard one the server refused.
const OUTBOX = "teamcase-outbox";
const FORMS = [
  { kind: "contact", path: /^\/people\/(\d+)\/contacts\/new$/ },
  { kind: "done", path: /^\/plan\/visits\/(\d+)\/done$/ },
  { kind: "about", path: /^\/people\/(\d+)\/about\/([a-z_]+)\/edit$/ },
];
// Kept of a refused answer: enough to say why, never a whole page more.
const ANSWER_MAX = 200 * 1024;

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

function formOf(url) {
  for (const form of FORMS) {
    const found = url.pathname.match(form.path);
    if (found) return { kind: form.kind, found };
  }
  return null;
}

// The id of what a form sends: the contact's own id; an about-me section is one
// item however often she changes it before it goes (the latest text wins on the
// tablet, and it still carries the version the first was based on).
function itemId(kind, fields, found) {
  if (kind === "about") return "about:" + found[1] + ":" + found[2];
  return fields.get("client_uuid");
}

async function keep(request, form) {
  const body = await request.clone().text();
  const fields = new URLSearchParams(body);
  const state = await readState();
  const id = itemId(form.kind, fields, form.found);
  if (!id || !state.user) return null;
  const url = new URL(request.url);
  const earlier = await outbox("readonly", (store) => store.get(id));
  const text = [...fields.entries()].find(([name]) => name.endsWith("-text"));
  const based = [...fields.entries()].find(([name]) => name.endsWith("-based_on"));
  let basedOn = based ? based[1] : undefined;
  if (earlier && based && earlier.basedOn !== undefined) {
    // Still based on what she read first: a colleague's change in between is a conflict.
    basedOn = earlier.basedOn;
    fields.set(based[0], basedOn);
  }
  await outbox("readwrite", (store) => store.put({
    id,
    // Sent only in her own session: never under a colleague who logs in next.
    user: state.user,
    kind: form.kind,
    person: Number(fields.get("outbox_person") || (form.kind === "done" ? 0 : form.found[1])),
    visit: form.kind === "done" ? Number(form.found[1]) : 0,
    url: url.pathname + url.search,
    body: fields.toString(),
    sentSaying: fields.get("outbox_label") || "",
    refusedSaying: fields.get("outbox_refused") || "",
    minutes: fields.get("minutes_typed") || fields.get("minutes") || "",
    note: fields.get("note") || (text ? text[1] : ""),
    basedOn,
    happenedAt: fields.get("happened_at") || "",
    keptAt: earlier ? earlier.keptAt : Date.now(),
    state: "waiting",
  }));
  return id;
}

// Where she goes after writing something down offline: where it waits.
function backTo(item) {
  if (item.kind === "done") return "/plan/day";
  return "/people/" + item.person;
}

async function postedForm(request, form) {
  let response;
  try {
    response = await fetch(request.clone());
  } catch (error) {
    const id = await keep(request, form);
    if (!id) throw error;
    const item = await outbox("readonly", (store) => store.get(id));
    const back = new URL(backTo(item), self.location.origin).href;
    if (request.headers.get("HX-Request") === "true" && request.headers.get("HX-Boosted") !== "true") {
      // An in-place form: htmx goes to the page itself (kept, or the offline page).
      return new Response("", { status: 200, headers: { "HX-Redirect": back } });
    }
    return Response.redirect(back, 303);
  }
  if (response.ok && new URL(response.url).pathname !== "/login") {
    // Sent by hand (an item she opened and fixed): it waits no longer.
    const fields = new URLSearchParams(await request.clone().text());
    const id = fields.get("outbox_id") || itemId(form.kind, fields, form.found);
    if (id) await outbox("readwrite", (store) => store.delete(id));
  }
  return response;
}

// Sends what waits, oldest first; each is recorded once however often it is
// sent (the server knows its id). One the server refuses is kept with its
// answer, for her to open, fix or discard, and the rest go on; without a signal,
// or logged out, it stops and tries again later.
async function sendWaiting(token, user, tell) {
  const all = (await outbox("readonly", (store) => store.getAll())) || [];
  const waiting = all.filter((item) => item.user === user && item.state !== "refused");
  waiting.sort((a, b) => a.keptAt - b.keptAt);
  let sent = 0;
  let refused = 0;
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
      tell({ type: "item-sent", id: item.id, saying: item.sentSaying });
    } else if (response.status >= 400 && response.status < 500) {
      // Refused (closed or transferred meanwhile, something to fix) or, for an
      // about-me section, a colleague's newer version: never a silent overwrite.
      const answer = (await response.text()).slice(0, ANSWER_MAX);
      const conflict = item.kind === "about" && response.status === 409;
      await outbox("readwrite", (store) => store.put({
        ...item, state: "refused", conflict, status: response.status, answer,
      }));
      refused += 1;
      tell({ type: "item-refused", id: item.id, saying: item.refusedSaying });
    } else {
      break; // the server is not well: try again later
    }
  }
  return { sent, refused, left: waiting.length - sent - refused };
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
  const form = request.method === "POST" && formOf(url);
  if (form) {
    event.respondWith(postedForm(request, form));
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
  // A message kept with the page ("Contact corrected.") was news then, not now.
  const text = (await response.text())
    .replace(/data-offline-notice hidden/g, "data-offline-notice")
    .replace(/<div class="flashes"[\s\S]*?<\/div>/, "");
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
    // Marked, so that it never takes the message meant for the page she opens next.
    const response = await fetch(next, { headers: { [SETTINGS.keepingHeader]: "1" } });
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
  // Only what she needs now: a person no longer on her plan (or of a team she has
  // left) is not kept from an earlier day.
  const wanted = new Set(state.urls);
  for (const kept of await cache.keys()) {
    if (!wanted.has(keyOf(new URL(kept.url)))) await cache.delete(kept);
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
    const tell = (said) => { if (event.source) event.source.postMessage(said); };
    work = sendWaiting(message.token, message.user, tell);
  } else if (message.type === "clear") {
    work = clearData();
  } else {
    return;
  }
  event.waitUntil(work.then((state) => {
    if (event.source) event.source.postMessage({
      type: message.type === "send" ? "sent" : message.type + "ed",
      synced: state && state.synced,
      sent: state && state.sent,
      refused: state && state.refused,
    });
  }));
});
