// The check-in page's camera: reads the QR code from a guest's invitation and sends it as if
// typed into the code field. The browser's own BarcodeDetector where it has one (Chrome on
// Android), else jsQR on frames drawn into a canvas (Safari, Firefox), loaded only when the
// scanner is opened. Without a camera the field stays, which a hand scanner types into.
"use strict";

(function () {
  const scanner = document.getElementById("scanner");
  const searchForm = document.getElementById("checkin-search-form");
  if (searchForm) {
    searchForm.addEventListener("submit", function (event) { event.preventDefault(); });
  }
  if (!scanner) return;
  const video = document.getElementById("scanner-video");
  const message = document.getElementById("scanner-message");
  const code = document.getElementById("scanner-code");
  const form = document.getElementById("scanner-form");
  let stream = null;
  let lastCode = "";
  let lastAt = 0;

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
  }

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { resolve(window.jsQR); return; }
      const script = document.createElement("script");
      script.src = scanner.dataset.jsqr;
      script.onload = function () { resolve(window.jsQR); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  async function reader() {
    if ("BarcodeDetector" in window) {
      try {
        const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return async function () {
          const found = await detector.detect(video);
          return found.length ? found[0].rawValue : "";
        };
      } catch (error) { /* no QR support in this detector: jsQR below */ }
    }
    const jsQR = await loadJsQR();
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async function () {
      const width = video.videoWidth, height = video.videoHeight;
      if (!width || !height) return "";
      canvas.width = width;
      canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      const found = jsQR(context.getImageData(0, 0, width, height).data, width, height,
                         { inversionAttempts: "dontInvert" });
      return found ? found.data : "";
    };
  }

  async function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      message.textContent = scanner.dataset.unsupported;
      return;
    }
    let read;
    try {
      read = await reader();
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (error) {
      message.textContent = scanner.dataset.denied;
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const tick = async function () {
      if (!stream) return;
      try {
        const value = await read();
        const now = Date.now();
        if (value && (value !== lastCode || now - lastAt > 4000)) {
          lastCode = value;
          lastAt = now;
          code.value = value;
          form.requestSubmit();
        }
      } catch (error) { /* a frame that could not be read: the next one */ }
      window.setTimeout(tick, 250);
    };
    tick();
  }

  scanner.addEventListener("toggle", function () {
    if (scanner.open) start(); else stop();
  });
})();
