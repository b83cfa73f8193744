/*
 * A job's page in the admin: reload it every few seconds while the job runs, so its progress
 * (entries done, percentage, time left) and then its report appear without a click. The server
 * renders everything; without JavaScript the reader reloads the page.
 */
(function () {
  "use strict";

  var running = document.querySelector("[data-job-refresh]");
  if (!running) {
    return;
  }
  var seconds = parseInt(running.getAttribute("data-job-refresh"), 10) || 2;
  window.setTimeout(function () {
    window.location.reload();
  }, seconds * 1000);
})();
