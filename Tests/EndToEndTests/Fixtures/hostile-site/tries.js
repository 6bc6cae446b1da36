// Every script-driven way out a page has, each aimed at a canary. Failures are expected and swallowed.
(function () {
  var A = "{{A}}", B = "{{B}}";
  function quietly(action) { try { var result = action(); if (result && result.catch) { result.catch(function () {}); } } catch (e) {} }
  quietly(function () { return fetch("http://" + A + "/fetch", { mode: "no-cors" }); });
  quietly(function () { return fetch("http://" + B + "/fetch-post", { method: "POST", mode: "no-cors", body: "x" }); });
  quietly(function () { var x = new XMLHttpRequest(); x.open("GET", "http://" + A + "/xhr"); x.send(); });
  quietly(function () { navigator.sendBeacon("http://" + B + "/beacon", "x"); });
  quietly(function () { new WebSocket("ws://" + A + "/socket"); });
  quietly(function () { new EventSource("http://" + B + "/events"); });
  quietly(function () {
    var code = "fetch('http://" + A + "/worker-fetch', {mode: 'no-cors'}).catch(function () {});"
      + "try { new WebSocket('ws://" + B + "/worker-socket'); } catch (e) {}";
    new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
  });
  quietly(function () {
    var code = "onconnect = function () {}; fetch('http://" + B + "/shared-worker-fetch', {mode: 'no-cors'}).catch(function () {});";
    new SharedWorker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
  });
  quietly(function () { return navigator.serviceWorker.register("sw.js"); });
  quietly(function () {
    var connection = new RTCPeerConnection({ iceServers: [{ urls: "stun:" + A }, { urls: "turn:" + B, username: "u", credential: "p" }] });
    connection.createDataChannel("canary");
    return connection.createOffer().then(function (offer) { return connection.setLocalDescription(offer); });
  });
  quietly(function () { window.open("http://" + A + "/popup"); });
  quietly(function () { var image = new Image(); image.src = "http://" + B + "/script-image"; });
  window.addEventListener("load", function () {
    quietly(function () { document.getElementById("pinging-link").click(); });
  });
})();
