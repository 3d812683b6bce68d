/** Registers the app's service worker (`apply/sw.js`), which makes it open offline after one visit. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((e: unknown) => {
      // Offline use is lost, nothing else: the app works online.
      console.warn('service worker not registered', e);
    });
  });
}
