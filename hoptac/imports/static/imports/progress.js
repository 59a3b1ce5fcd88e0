// The progress of an import job processed in the background (imports/import_job.html): polls the job's
// progress URL every second, shows rows checked / total, and reloads the page when the job is done.
// A static file, not an inline script: the Content-Security-Policy allows scripts from our own files only.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("progress");
  if (!box) return;
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin" })
      .then((r) => r.json())
      .then((p) => {
        if (p.state_label) {
          document.getElementById("job-state").textContent = p.state_label;
        }
        const waiting = document.getElementById("progress-waiting");
        if (waiting) {
          waiting.textContent = p.waiting || "";
          waiting.hidden = !p.waiting;
        }
        if (p.total) {
          document.getElementById("progress-text").textContent =
            p.done.toLocaleString("vi-VN") + " / " + p.total.toLocaleString("vi-VN") + " " +
            (p.stage === "write" ? box.dataset.writing : box.dataset.rows);
          document.getElementById("progress-bar").value = Math.round((p.done * 100) / p.total);
        }
        if (p.state === "queued" || p.state === "running") {
          setTimeout(poll, 1000);
        } else {
          location.reload();
        }
      });
  }
  setTimeout(poll, 1000);
});
