// A service worker: it runs outside the page, where request interception on the page does not reach.
self.addEventListener("install", function (event) {
  event.waitUntil(fetch("http://{{A}}/service-worker-install", { mode: "no-cors" }).catch(function () {}));
});
self.addEventListener("activate", function () {
  fetch("http://{{B}}/service-worker-activate", { mode: "no-cors" }).catch(function () {});
  try { new WebSocket("ws://{{A}}/service-worker-socket"); } catch (e) {}
});
