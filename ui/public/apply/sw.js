// The phone app's service worker: once the app was opened, it opens again without a network.
// - The page (`./`, `./index.html`) is fetched network-first (a new version is used as soon as it is
//   reachable), and kept for offline.
// - Built assets (`/assets/…`, named by content hash) and the app's static files are cache-first.
// - API calls are never cached here (the app keeps what it may keep, `offlineCache.ts`).
// On install, the page is fetched and every asset it names is cached, so that the first visit is
// enough to work offline.
const CACHE = 'madoguchi-apply-v1';
const SHELL = ['./', './manifest.webmanifest', './icon.svg'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(SHELL);
      const page = await (await cache.match('./')).text();
      const assets = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
      await cache.addAll(assets);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(event.request));
  } else if (url.pathname.startsWith(new URL('./', self.location).pathname)) {
    event.respondWith(networkFirst(event.request));
  }
});

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const hit = (await cache.match(request, { ignoreSearch: true })) ?? (await cache.match('./'));
    if (hit) return hit;
    throw error;
  }
}
