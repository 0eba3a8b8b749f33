// The story page's body editor: typed blocks in order, inserted in place, moved by dragging or arrows,
// inline markup from buttons, quote judgements beside each paragraph, pictures dropped from the desktop.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const body = document.querySelector(".desk-body");
  if (!body) return;
  const prefix = body.dataset.prefix;
  const list = body.querySelector(".desk-blocks");
  const template = document.getElementById(prefix + "-empty");
  const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]");
  const LABELS = {paragraph: "Paragraph", heading: "Heading", image: "Picture", embed: "Embed", quote: "Quote block"};
  const TYPES = Object.keys(LABELS);

  function field(card, name) {
    return card.querySelector("[name='" + card.dataset.prefix + "-" + name + "']");
  }
  function cards() {
    return [...list.querySelectorAll(":scope > .desk-block")];
  }
  function removed(card) {
    const box = field(card, "DELETE");
    return card.classList.contains("discarded") || (box && box.checked);
  }

  function discard(card) {
    card.classList.add("removed", "discarded");
    card.querySelectorAll("textarea, select, input:not([type=hidden])").forEach((el) => { el.value = ""; });
    field(card, "type").value = "paragraph";
    renumber();
  }

  // Places follow the page: the first block is 1 on screen and 0 in the database.
  function renumber() {
    let n = 0;
    cards().forEach((card) => {
      const position = field(card, "position");
      if (removed(card)) {
        card.querySelector(".desk-number").textContent = "–";
        if (card.classList.contains("discarded") && position) position.value = "";
        return;
      }
      if (position) position.value = n;
      n += 1;
      card.querySelector(".desk-number").textContent = n;
    });
    body.dispatchEvent(new Event("desk:changed", {bubbles: true}));
  }

  function setType(card, type) {
    card.dataset.type = type;
    field(card, "type").value = type;
    card.querySelector(".desk-type").textContent = LABELS[type] || type;
  }

  function insertMenu(card) {
    const menu = document.createElement("div");
    menu.className = "desk-insert";
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "desk-insert-toggle";
    toggle.title = "Insert a block here";
    toggle.setAttribute("aria-label", "Insert a block below");
    toggle.textContent = "+";
    const choices = document.createElement("span");
    choices.className = "desk-insert-choices";
    choices.hidden = true;
    TYPES.forEach((type) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.dataset.insert = type;
      button.textContent = LABELS[type];
      choices.appendChild(button);
    });
    toggle.addEventListener("click", () => { choices.hidden = !choices.hidden; });
    choices.addEventListener("click", (event) => {
      const type = event.target.dataset.insert;
      if (!type) return;
      choices.hidden = true;
      addBlock(type, card);
    });
    menu.append(toggle, choices);
    card.appendChild(menu);
  }

  function setup(card) {
    setType(card, card.dataset.type || "paragraph");
    insertMenu(card);
    const box = field(card, "DELETE");
    if (box) box.addEventListener("change", () => { card.classList.toggle("removed", box.checked); renumber(); });
  }

  // A new block from the formset's empty form, after `after` (or at the end).
  function addBlock(type, after) {
    const index = Number(total.value);
    const holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, index);
    const card = holder.firstElementChild;
    total.value = index + 1;
    card.classList.add("new");
    if (after) after.after(card); else list.appendChild(card);
    card.dataset.type = type;
    setup(card);
    card.dispatchEvent(new CustomEvent("formset:added", {bubbles: true, detail: {formsetName: prefix}}));
    renumber();
    const text = field(card, "text");
    if (text && (type === "paragraph" || type === "heading")) text.focus();
    return card;
  }

  function move(card, step) {
    const all = cards();
    const target = all[all.indexOf(card) + step];
    if (!target) return;
    if (step < 0) target.before(card); else target.after(card);
    renumber();
  }

  // Inline markup: exactly the tags the sanitiser keeps.
  function wrap(textarea, tag) {
    const start = textarea.selectionStart, end = textarea.selectionEnd;
    const value = textarea.value, chosen = value.slice(start, end);
    let before, after;
    if (tag === "br") {
      before = "<br>"; after = "";
    } else if (tag === "a") {
      const href = window.prompt("Link address (https://…)", "https://");
      if (!href || !/^(https?:|mailto:)/i.test(href.trim())) return;
      before = '<a href="' + href.trim().replace(/"/g, "%22") + '">'; after = "</a>";
    } else {
      before = "<" + tag + ">"; after = "</" + tag + ">";
    }
    textarea.setRangeText(before + chosen + after, start, end, "end");
    textarea.focus();
    textarea.dispatchEvent(new Event("input", {bubbles: true}));
  }

  function post(data) {
    const form = new FormData();
    Object.entries(data).forEach(([key, value]) => form.append(key, value));
    return fetch(body.dataset.quotesUrl, {
      method: "POST", body: form, credentials: "same-origin", headers: {"X-CSRFToken": csrf.value},
    }).then((response) => response.json().then((json) => ({ok: response.ok, json})));
  }

  function showPanel(result, card) {
    if (!result.ok) {
      window.alert(result.json.error || "That did not work; reload the page and try again.");
      return;
    }
    const token = document.getElementById("id_edit_token");
    if (token && result.json.edit_token) token.value = result.json.edit_token;
    const target = list.querySelector(".desk-block[data-block='" + result.json.block + "']") || card;
    const aside = target && target.querySelector(".desk-quotes");
    if (aside) aside.innerHTML = result.json.panel;
  }

  function speakerBox(quoteCard) {
    const acts = quoteCard.querySelector(".desk-quote-acts");
    if (acts.querySelector("input")) return;
    const listId = "desk-speakers-" + quoteCard.dataset.quote;
    acts.insertAdjacentHTML("afterbegin",
      '<span class="desk-speaker-pick"><input list="' + listId + '" placeholder="Speaker\u2019s name" aria-label="Speaker">' +
      '<datalist id="' + listId + '"></datalist><button type="button" class="button default" data-quote-act="name">OK</button></span>');
    const input = acts.querySelector("input");
    const options = acts.querySelector("datalist");
    input.addEventListener("input", () => {
      if (input.value.length < 2) return;
      fetch(body.dataset.speakersUrl + "&term=" + encodeURIComponent(input.value), {credentials: "same-origin"})
        .then((response) => (response.ok ? response.json() : {results: []}))
        .then((data) => {
          options.innerHTML = "";
          data.results.forEach((item) => { const o = document.createElement("option"); o.value = item.text; options.appendChild(o); });
        }).catch(() => {});
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); acts.querySelector("[data-quote-act=name]").click(); }
    });
    input.focus();
  }

  body.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || !body.contains(button)) return;
    const card = button.closest(".desk-block");
    if (button.dataset.add) { addBlock(button.dataset.add, null); return; }
    // A block never saved goes back to the empty row it started as, which the formset ignores.
    if (button.classList.contains("desk-discard")) { discard(card); return; }
    if (button.dataset.move) { move(card, Number(button.dataset.move)); return; }
    if (button.dataset.wrap) { wrap(field(card, "text"), button.dataset.wrap); return; }
    if (button.hasAttribute("data-make-quote")) {
      const text = field(card, "text");
      const words = text.value.slice(text.selectionStart, text.selectionEnd);
      if (!words.trim()) { window.alert("Select the quoted words in the paragraph first."); return; }
      post({action: "make", block: card.dataset.block, words}).then((result) => showPanel(result, card));
      return;
    }
    const act = button.dataset.quoteAct;
    if (act) {
      const quoteCard = button.closest(".desk-quote");
      if (act === "reassign") { speakerBox(quoteCard); return; }
      const data = {action: act === "name" ? "reassign" : act, quote: quoteCard.dataset.quote};
      if (act === "name") data.name = quoteCard.querySelector(".desk-speaker-pick input").value;
      if (act === "drop" && !window.confirm("Drop this quote? Its words stay in the paragraph.")) return;
      post(data).then((result) => showPanel(result, card));
    }
  });

  // Dragging a block by its handle.
  let dragged = null;
  list.addEventListener("dragstart", (event) => {
    const handle = event.target.closest && event.target.closest(".desk-handle");
    if (!handle) return;
    dragged = handle.closest(".desk-block");
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.prefix);
    event.dataTransfer.setDragImage(dragged, 20, 20);
  });
  list.addEventListener("dragover", (event) => {
    if (!dragged) return;
    const over = event.target.closest(".desk-block");
    event.preventDefault();
    if (!over || over === dragged) return;
    const box = over.getBoundingClientRect();
    if (event.clientY < box.top + box.height / 2) over.before(dragged); else over.after(dragged);
  });
  list.addEventListener("drop", (event) => { if (dragged) event.preventDefault(); });
  list.addEventListener("dragend", () => {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    dragged = null;
    renumber();
  });

  cards().forEach(setup);
  renumber();
  const form = body.closest("form");
  if (form) {
    form.addEventListener("submit", () => {
      // A paragraph or heading added and left empty is dropped rather than refused.
      cards().forEach((card) => {
        const text = field(card, "text");
        if (card.classList.contains("new") && text && !text.value.trim() && ["paragraph", "heading"].includes(card.dataset.type)) discard(card);
      });
      renumber();
    });
  }
  window.deskBody = {addBlock, renumber, cards, field, setType};
});
