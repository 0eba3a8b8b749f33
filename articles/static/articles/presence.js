// Keeps this tab's presence on a story fresh and shows who else has it open.
(function () {
  "use strict";
  const box = document.getElementById("presence");
  if (!box) return;
  const names = document.getElementById("presence-names");
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]");
  const every = Number(box.dataset.every || 30) * 1000;
  function ping() {
    fetch(box.dataset.url, {
      method: "POST",
      headers: {"X-CSRFToken": csrf ? csrf.value : ""},
      credentials: "same-origin",
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (!data) return;
        names.textContent = data.others.join(", ");
        box.hidden = data.others.length === 0;
      })
      .catch(() => {});
  }
  setInterval(ping, every);
})();
