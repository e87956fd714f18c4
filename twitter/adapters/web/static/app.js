// Progressive enhancement; every form also works without this file.
"use strict";

(function () {
  // Forms marked data-inplace (like, follow) are sent with fetch; the server answers
  // the updated form alone, which replaces this one. On any failure, a normal submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-inplace")) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button");
    if (button) {
      button.disabled = true;
    }
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html.trim();
        var replacement = template.content.firstElementChild;
        form.replaceWith(replacement);
        // A follow control carries the profile's new follower count.
        var followers = replacement.getAttribute("data-followers");
        var stat = document.querySelector('[data-stat="followers"]');
        if (followers !== null && stat) {
          stat.textContent = followers;
        }
        var again = replacement.querySelector("button");
        if (again) {
          again.focus();
        }
      })
      .catch(function () {
        HTMLFormElement.prototype.submit.call(form);
      });
  });

  // The characters left in a textarea with data-counter (the server checks again).
  function count(textarea) {
    var output = document.getElementById(textarea.getAttribute("data-counter-output"));
    var limit = Number(textarea.getAttribute("data-counter"));
    var left = limit - Array.from(textarea.value.trim()).length;
    output.textContent = left === 1 ? "1 character left" : left + " characters left";
    output.classList.toggle("over", left < 0);
  }

  document.querySelectorAll("textarea[data-counter]").forEach(function (textarea) {
    count(textarea);
    textarea.addEventListener("input", function () {
      count(textarea);
    });
  });
})();
