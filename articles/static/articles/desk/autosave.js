// Keeps a copy of the story form's unsaved changes in this browser, and offers it back after a failed
// save, an expired session or a closed tab. The copy is dropped once the server confirms a save.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const form = document.querySelector("#article_form");
  if (!form || !window.localStorage) return;
  const ADD_KEY = "newsroom-desk:/admin/articles/article/add/";
  const key = "newsroom-desk:" + location.pathname;
  const SKIP = /^(csrfmiddlewaretoken|edit_token|_save|_continue|_addanother)$|__prefix__/;

  function snapshot() {
    const fields = [];
    for (const el of form.elements) {
      if (!el.name || SKIP.test(el.name) || el.type === "file" || el.type === "submit" || el.type === "button") continue;
      if (el.type === "checkbox" || el.type === "radio") fields.push([el.name, el.checked ? "on" : ""]);
      else if (el.tagName === "SELECT") fields.push([el.name, [...el.selectedOptions].map((o) => [o.value, o.text])]);
      else fields.push([el.name, el.value]);
    }
    const order = window.deskBody ? window.deskBody.cards().filter((c) => !c.classList.contains("discarded")).map((c) => [c.dataset.prefix, c.dataset.type]) : [];
    return {fields, order};
  }
  const same = (a, b) => JSON.stringify(a.fields) === JSON.stringify(b.fields) && JSON.stringify(a.order) === JSON.stringify(b.order);

  function read(k) {
    try { return JSON.parse(localStorage.getItem(k) || "null"); } catch (e) { return null; }
  }
  function write(pending) {
    const copy = {...snapshot(), savedAt: Date.now(), pending};
    try { localStorage.setItem(key, JSON.stringify(copy)); } catch (e) { /* full or disabled: nothing to keep */ }
  }

  function ensureRows(copy) {
    const names = new Set(copy.fields.map(([name]) => name));
    // Body blocks added after the page was served: make them again, of the same type, in order.
    if (window.deskBody) {
      for (const [prefix, type] of copy.order) {
        while (!form.querySelector("[data-prefix='" + prefix + "']")) {
          const total = document.getElementById("id_blocks-TOTAL_FORMS");
          if (Number(prefix.split("-").pop()) < Number(total.value)) break;
          window.deskBody.addBlock(type, null);
        }
      }
    }
    // Byline rows added with "Add another": the admin's own button makes them.
    const total = document.getElementById("id_bylines-TOTAL_FORMS");
    const add = document.querySelector("#bylines-group .add-row a");
    let guard = 50;
    while (total && add && guard-- > 0 && names.has("bylines-" + total.value + "-role")) add.click();
  }

  function restore(copy) {
    ensureRows(copy);
    for (const [name, value] of copy.fields) {
      const el = form.elements.namedItem(name);
      if (!el || el instanceof RadioNodeList) continue;
      if (el.type === "checkbox") { el.checked = value === "on"; el.dispatchEvent(new Event("change", {bubbles: true})); continue; }
      if (el.tagName === "SELECT") {
        for (const [v, text] of value) {
          if (![...el.options].some((o) => o.value === v)) el.appendChild(new Option(text, v, false, false));
        }
        const wanted = new Set(value.map(([v]) => v));
        [...el.options].forEach((o) => { o.selected = wanted.has(o.value); });
        if (window.django && window.django.jQuery) window.django.jQuery(el).trigger("change");
        continue;
      }
      el.value = value;
      el.dispatchEvent(new Event("input", {bubbles: true}));
    }
    if (window.deskBody) {
      const list = document.querySelector(".desk-blocks");
      copy.order.forEach(([prefix]) => {
        const card = list.querySelector(":scope > [data-prefix='" + prefix + "']");
        if (card) list.appendChild(card);
      });
      window.deskBody.renumber();
    }
  }

  function banner(copy) {
    const when = new Date(copy.savedAt).toLocaleString([], {dateStyle: "medium", timeStyle: "short"});
    const box = document.createElement("ul");
    box.className = "messagelist";
    box.id = "autosave";
    box.innerHTML = '<li class="warning">This browser kept changes to this story that were not saved (' + when + ").\n" +
      ' <button type="button" class="button default" data-autosave="restore">Restore them</button>' +
      ' <button type="button" class="button" data-autosave="discard">Discard</button></li>';
    form.prepend(box);
    box.addEventListener("click", (event) => {
      const choice = event.target.dataset.autosave;
      if (!choice) return;
      if (choice === "restore") { restore(copy); write(false); } else localStorage.removeItem(key);
      box.remove();
    });
  }

  const saved = document.querySelector(".messagelist .success");
  const failed = document.querySelector(".errornote");
  const copy = read(key);
  if (saved && !failed) {
    // The server has confirmed a save of what this page sent: the kept copy has done its job.
    if (copy && copy.pending) localStorage.removeItem(key);
    const fromAdd = read(ADD_KEY);
    if (fromAdd && fromAdd.pending) localStorage.removeItem(ADD_KEY);
  } else if (copy && !same(copy, snapshot())) {
    banner(copy);
  }

  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(() => write(false), 400); };
  // Only what the person does counts; scripts setting up the page are not changes to keep.
  form.addEventListener("input", (event) => event.isTrusted && later());
  form.addEventListener("change", (event) => event.isTrusted && later());
  // Autocomplete pickers announce a choice through jQuery only.
  if (window.django && window.django.jQuery) window.django.jQuery(form).on("select2:select select2:unselect", later);
  form.addEventListener("desk:changed", later);
  form.addEventListener("submit", () => { clearTimeout(timer); write(true); });
  window.deskAutosave = {key, snapshot, read};
});
