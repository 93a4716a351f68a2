// The playground's service worker: after the first visit the site's few files come from a
// cache, so the page opens and works with no network at all. build.mjs fills in the file
// list and a version made from the files' contents: a new build is a new cache, installed
// beside the old one and switched to once it is complete (the next load shows it).

const VERSION = "%VERSION%";
const FILES = %FILES%;
const CACHE = `anneal-playground-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("anneal-playground-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  // The site's own files from the cache; anything else it does not have goes to the network.
  event.respondWith(caches.open(CACHE).then((cache) => cache.match(request, { ignoreSearch: true }).then((hit) => hit ?? fetch(request))));
});
