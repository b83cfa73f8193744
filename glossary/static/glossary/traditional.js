/*
 * Draft edit page: while an editor types a Simplified Chinese text, refresh the Traditional
 * field with OpenCC's suggestion, as the server would on the next page load.
 *
 * Progressive enhancement only: the server pre-fills and marks suggestions without JavaScript.
 * A Traditional field is filled only while it is empty or still holds the last machine
 * suggestion (data-machine-converted), so a linguist's own text is never overwritten.
 */
(function () {
  "use strict";

  function suggest(endpoint, token, text, region) {
    var body = new URLSearchParams();
    body.append("text", text);
    body.append("region", region || "tw");
    return fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
      body: body,
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("suggestion failed: " + response.status);
      }
      return response.json();
    });
  }

  function connect(simplified, endpoint, token) {
    var traditional = document.getElementById(simplified.getAttribute("data-traditional-field"));
    if (!traditional) {
      return;
    }
    var timer = null;
    simplified.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var last = (traditional.getAttribute("data-machine-converted") || "").trim();
        var current = traditional.value.trim();
        if (current !== "" && current !== last) {
          return; // a person wrote or changed it: leave it alone
        }
        var region = simplified.getAttribute("data-traditional-region");
        suggest(endpoint, token, simplified.value, region).then(function (data) {
          // The editor may have typed in the Traditional field meanwhile.
          if (traditional.value.trim() === current) {
            traditional.value = data.text;
            traditional.setAttribute("data-machine-converted", data.text);
          }
        }).catch(function () {
          /* the server-side suggestion still applies on the next load */
        });
      }, 400);
    });
  }

  function start() {
    var form = document.getElementById("conceptversion_form");
    if (!form || !window.fetch) {
      return;
    }
    var endpoint = form.action.replace(/\/\d+\/change\/.*$/, "/suggest-traditional/");
    var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
    var token = tokenInput ? tokenInput.value : "";
    var fields = form.querySelectorAll("[data-traditional-field]");
    for (var i = 0; i < fields.length; i += 1) {
      connect(fields[i], endpoint, token);
    }
  }

  // The admin puts form media in <head>, before the form exists.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
