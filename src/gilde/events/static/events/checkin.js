// The check-in page's camera: reads the QR code from a guest's invitation with the browser's
// BarcodeDetector and sends it as if typed into the code field. Browsers without it (or
// without a camera) keep the field, which a hand scanner types into.
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

  async function start() {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
      message.textContent = scanner.dataset.unsupported;
      return;
    }
    let detector;
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
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
        const found = await detector.detect(video);
        const now = Date.now();
        if (found.length && (found[0].rawValue !== lastCode || now - lastAt > 4000)) {
          lastCode = found[0].rawValue;
          lastAt = now;
          code.value = lastCode;
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
