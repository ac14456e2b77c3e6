// A little on top of pages that work without it: job progress without reloading, and the story
// list's last visit kept in the browser as well (the server marks changes by a cookie).
"use strict";

function followJob(box) {
  const id = box.dataset.job;
  const status = box.querySelector(".status");
  const bar = box.querySelector("progress");
  const tick = async () => {
    const answer = await fetch(`/api/jobs/${encodeURIComponent(id)}`, { headers: { Accept: "application/json" } });
    if (!answer.ok) return;
    const job = await answer.json();
    status.textContent = job.status;
    if (job.total) { bar.max = job.total; bar.value = job.done; }
    if (job.status === "done" || job.status === "failed") {
      window.location.reload();  // the server renders the finished job with its stories
    } else {
      setTimeout(tick, 700);
    }
  };
  if (box.dataset.status !== "done" && box.dataset.status !== "failed") setTimeout(tick, 700);
}

document.addEventListener("DOMContentLoaded", () => {
  const job = document.getElementById("job");
  if (job) followJob(job);
});
