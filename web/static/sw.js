// examhall's service worker: after the first visit the candidate's page
// opens with no network (a reload, a closed tab, a restarted browser). The
// page and its assets are kept in a cache named after this release, so a
// new release never meets stale assets: its worker fills a cache of its
// own and deletes the older ones. The page is always asked of the network
// first; the API is never cached here (the page keeps its paper and
// answers itself).
const CACHE = "examhall-{{version}}";
const PRECACHE = {{precache}};

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("examhall-") && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname.startsWith("/assets/")) {
    e.respondWith(caches.match(e.request).then((hit) => hit || fetch(e.request)));
  } else if (url.pathname === "/" && e.request.mode === "navigate") {
    e.respondWith(fetch(e.request).then((resp) => {
      if (resp.ok) {
        const copy = resp.clone();
        caches.open(CACHE).then((c) => c.put("/", copy));
      }
      return resp;
    }).catch(() => caches.match("/", { cacheName: CACHE }).then((hit) => hit || Response.error())));
  }
});
