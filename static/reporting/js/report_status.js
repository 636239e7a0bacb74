// Polls the report's status endpoint until the report is done or failed, then offers the download or retry.
(function () {
  "use strict";
  var box = document.getElementById("report-progress");
  if (!box || box.dataset.finished === "true") {
    return;
  }
  var badge = document.getElementById("report-status");
  var failure = document.getElementById("report-failure");
  var download = document.getElementById("report-download");
  var retry = document.getElementById("report-retry");
  var delay = 1000;

  function show(state) {
    badge.textContent = state.label;
    badge.dataset.status = state.status;
    badge.className = "badge text-bg-" + (state.status === "done" ? "success" : state.status === "failed" ? "danger" : "secondary");
    box.querySelectorAll("[data-step]").forEach(function (step) {
      step.classList.toggle("fw-bold", step.dataset.step === state.status);
    });
    if (state.failure_reason) {
      failure.textContent = state.failure_reason;
      failure.classList.remove("d-none");
    }
    if (state.download_url) {
      download.href = state.download_url;
      download.classList.remove("d-none");
    }
    if (state.retry_url) {
      retry.classList.remove("d-none");
    }
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (!state.finished) {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
