// Pictures dropped from the desktop onto the body (a picture block where it lands) or the lead image field.
// The file's own caption, credit and copyright are shown for the editor to confirm before anything is stored.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const body = document.querySelector(".desk-body");
  const dialog = document.getElementById("desk-picture-dialog");
  if (!body || !dialog) return;
  const url = body.dataset.uploadUrl;
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]");
  const error = dialog.querySelector(".desk-picture-error");

  function send(file, extra) {
    const data = new FormData();
    data.append("file", file);
    Object.entries(extra).forEach(([key, value]) => data.append(key, value));
    return fetch(url, {method: "POST", body: data, credentials: "same-origin", headers: {"X-CSRFToken": csrf.value}})
      .then((response) => response.json().then((json) => ({ok: response.ok, json})));
  }

  function choose(select, picture) {
    // The autocomplete keeps its choices in the select: add this one and pick it.
    let option = [...select.options].find((o) => o.value === String(picture.id));
    if (!option) { option = new Option(picture.label, picture.id, true, true); select.appendChild(option); }
    select.value = String(picture.id);
    select.dispatchEvent(new Event("change", {bubbles: true}));
    if (window.django && window.django.jQuery) window.django.jQuery(select).trigger("change");
  }

  // The dialog lives outside the story form, so its inputs are never sent with the story.
  document.body.appendChild(dialog);
  const inputs = Object.fromEntries([...dialog.querySelectorAll("[data-picture]")].map((el) => [el.dataset.picture, el]));
  dialog.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.value === "ok" && !inputs.alt_text.value.trim()) {
      error.hidden = false;
      inputs.alt_text.focus();
      return;
    }
    dialog.close(button.value);
  });

  function confirmPicture(file, found) {
    return new Promise((resolve) => {
      Object.entries(inputs).forEach(([name, input]) => { input.value = found[name] || ""; });
      const preview = dialog.querySelector(".desk-picture-preview");
      const reader = new FileReader();
      reader.onload = () => { preview.src = reader.result; };  // a data: URL, which the CSP allows
      reader.readAsDataURL(file);
      error.hidden = true;
      dialog.returnValue = "";
      dialog.onclose = () => resolve(dialog.returnValue === "ok"
        ? Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value])) : null);
      dialog.showModal();
      inputs.alt_text.focus();
    });
  }

  // Read the file's credits, let the editor confirm them, store it; resolves to {id, label, thumb} or null.
  function upload(file) {
    return send(file, {step: "read"}).then((result) => {
      if (!result.ok) { window.alert(result.json.error); return null; }
      if (result.json.existing) return result.json.existing;
      return confirmPicture(file, result.json.found).then((fields) => {
        if (!fields) return null;
        return send(file, {step: "store", ...fields}).then((stored) => {
          if (!stored.ok) { window.alert(stored.json.error); return null; }
          return stored.json.created || stored.json.existing;
        });
      });
    });
  }

  function files(event) {
    return event.dataTransfer && [...event.dataTransfer.items || []].some((item) => item.kind === "file");
  }

  function zone(element, onFiles) {
    element.addEventListener("dragover", (event) => {
      if (!files(event)) return;
      event.preventDefault();
      element.classList.add("desk-drop-target");
    });
    element.addEventListener("dragleave", () => element.classList.remove("desk-drop-target"));
    element.addEventListener("drop", (event) => {
      if (!files(event)) return;
      event.preventDefault();
      event.stopPropagation();
      element.classList.remove("desk-drop-target");
      onFiles([...event.dataTransfer.files], event);
    });
  }

  zone(body, (dropped, event) => {
    let after = event.target.closest && event.target.closest(".desk-block");
    dropped.filter((file) => file.type.startsWith("image/")).reduce((chain, file) => chain.then(() =>
      upload(file).then((picture) => {
        if (!picture) return;
        const card = window.deskBody.addBlock("image", after);
        choose(window.deskBody.field(card, "image"), picture);
        card.querySelector(".desk-picture").innerHTML = picture.thumb ? '<img class="image-thumbnail" alt="" src="' + picture.thumb + '">' : "";
        after = card;
      })), Promise.resolve());
  });

  const lead = document.getElementById("id_lead_image");
  const leadRow = lead && lead.closest(".form-row");
  if (leadRow) {
    leadRow.classList.add("desk-lead-drop");
    leadRow.title = "Drop a picture file here to upload it as the lead image";
    zone(leadRow, (dropped) => {
      const file = dropped.find((f) => f.type.startsWith("image/"));
      if (file) upload(file).then((picture) => picture && choose(lead, picture));
    });
  }
  window.deskPictures = {upload, choose};
});
