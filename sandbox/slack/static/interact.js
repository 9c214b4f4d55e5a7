/* Buttons, menus and modals on the sandbox Slack page: what a person presses goes to the app as Slack would send it. */
(() => {
  "use strict";
  const page = document.body.dataset;
  const who = document.getElementById("as");
  if (!document.getElementById("messages") || !who) return;
  const root = document.createElement("div");
  root.id = "modal-root";
  document.body.appendChild(root);
  const TROUBLE = "We had some trouble connecting. Try again?";

  async function post(url, fields) {
    try {
      const resp = await fetch(url, { method: "POST", headers: { Accept: "application/json" }, body: new URLSearchParams(fields) });
      return await resp.json().catch(() => ({ error: "http_" + resp.status, notice: "The sandbox did not answer (HTTP " + resp.status + ")." }));
    } catch (err) {
      return { error: "unreachable", notice: "Could not reach the sandbox: " + err };
    }
  }

  // What a control holds now: a string, or a list for checkboxes and multi-selects.
  function rawOf(ctl) {
    const type = ctl.dataset.type;
    if (type === "checkboxes") return [...ctl.querySelectorAll("input:checked")].map((i) => i.value);
    if (type === "radio_buttons") { const on = ctl.querySelector("input:checked"); return on ? on.value : ""; }
    if (ctl.multiple) return [...ctl.selectedOptions].map((o) => o.value);
    return ctl.value;
  }

  // Every entry in a modal as {block_id: {action_id: raw}}, what the sandbox turns into view.state.values.
  function entries(form) {
    const out = {};
    for (const ctl of form.querySelectorAll(".bk-control[data-type]")) {
      (out[ctl.dataset.blockId] ||= {})[ctl.dataset.actionId] = rawOf(ctl);
    }
    return out;
  }

  function restore(form, saved) {
    for (const ctl of form.querySelectorAll(".bk-control[data-type]")) {
      const raw = (saved[ctl.dataset.blockId] || {})[ctl.dataset.actionId];
      if (raw === undefined) continue;
      const want = new Set([].concat(raw));
      if (ctl.dataset.type === "checkboxes" || ctl.dataset.type === "radio_buttons") {
        for (const i of ctl.querySelectorAll("input")) i.checked = want.has(i.value);
      } else if (ctl.multiple) {
        for (const o of ctl.options) o.selected = want.has(o.value);
      } else {
        ctl.value = raw;
      }
    }
  }

  // --- the person's modal stack: polled, and quickly after anything that may open, update or close a view ---
  let shown = "";
  let loading = null;
  let again = false;
  let fastUntil = 0;
  function loadViews() {
    if (loading) { again = true; return loading; } // a change during a fetch gets a fetch of its own
    loading = (async () => {
      do {
        again = false;
        try {
          const resp = await fetch("/ui/views?" + new URLSearchParams({ user: who.value }), { headers: { Accept: "application/json" } });
          if (resp.ok) draw(await resp.json());
        } catch (err) { /* the next poll tries again */ }
      } while (again);
      loading = null;
    })();
    return loading;
  }
  function draw(out) {
    const top = out.top;
    const key = top ? top.key : "";
    if (key === shown) return;
    const old = root.querySelector("form.modal");
    const keep = old && top && old.dataset.viewId === top.id ? entries(old) : null; // views.update keeps what was typed
    shown = key;
    root.innerHTML = top ? top.html : "";
    const form = root.querySelector("form.modal");
    if (form && keep) restore(form, keep);
    if (form && !keep) { const first = form.querySelector(".bk-input .bk-control:not([role=group]), .bk-input input"); if (first) first.focus(); }
    page.modal = top ? top.id : "";
    page.views = String(Number(page.views || 0) + 1);
  }
  function watch() { fastUntil = Date.now() + 4000; loadViews(); }
  setInterval(() => { if (Date.now() < fastUntil) loadViews(); }, 150);
  setInterval(() => { if (!document.hidden) loadViews(); }, 1000);
  who.addEventListener("change", () => { shown = "?"; loadViews(); });
  document.addEventListener("sandbox:view", (e) => { if (e.detail.user === who.value) loadViews(); }); // from the stream
  document.getElementById("composer")?.addEventListener("submit", () => setTimeout(watch, 50)); // a command may open one

  // --- block_actions: buttons, and menus or choices outside input blocks ---
  function failed(el, text) {
    const mark = document.createElement("span");
    mark.className = "bk-fail";
    mark.textContent = "⚠️ " + text;
    el.insertAdjacentElement("afterend", mark);
    setTimeout(() => mark.remove(), 8000);
  }

  async function act(el) {
    const d = el.dataset;
    const fields = { user: who.value, action_id: d.actionId || "", block_id: d.blockId || "" };
    if (d.viewId) {
      Object.assign(fields, { view_id: d.viewId });
      const form = el.closest("form.modal");
      if (form) fields.values = JSON.stringify(entries(form));
    } else {
      Object.assign(fields, { channel: d.channel || "", ts: d.ts || "", ephemeral: d.ephemeral || "" });
    }
    if (d.button) fields.value = d.value || ""; else fields.raw = JSON.stringify(rawOf(el));
    el.classList.add("busy");
    if (d.button) el.setAttribute("aria-busy", "true");
    const out = await post("/ui/action", fields);
    el.classList.remove("busy");
    el.removeAttribute("aria-busy");
    if (out.error && document.contains(el)) failed(el, out.notice || out.error);
    page.actions = String(Number(page.actions || 0) + 1);
    watch();
  }

  function confirmFirst(tpl) {
    return new Promise((resolve) => {
      const box = document.createElement("div");
      box.className = "modal-backdrop confirm";
      const c = tpl.content;
      const yes = c.querySelector(".yes").innerHTML;
      const no = c.querySelector(".no").innerHTML;
      box.innerHTML = '<div class="modal" role="alertdialog" aria-modal="true"><header class="modal-head"></header>' +
        '<div class="modal-body"></div><footer class="modal-foot"><button type="button" class="modal-cancel"></button>' +
        '<button type="button" class="modal-submit"></button></footer></div>';
      box.querySelector(".modal-head").append(c.querySelector("h3").cloneNode(true));
      box.querySelector(".modal-body").append(c.querySelector(".text").cloneNode(true));
      box.querySelector(".modal-cancel").innerHTML = no;
      const ok = box.querySelector(".modal-submit");
      ok.innerHTML = yes;
      if (tpl.dataset.style === "danger") ok.classList.add("danger");
      const done = (answer) => { box.remove(); resolve(answer); };
      ok.addEventListener("click", () => done(true));
      box.querySelector(".modal-cancel").addEventListener("click", () => done(false));
      document.body.appendChild(box);
      ok.focus();
    });
  }

  document.addEventListener("click", async (e) => {
    const el = e.target.closest("[data-button]");
    if (!el || el.classList.contains("busy")) return;
    if (el.tagName !== "BUTTON") { act(el); return; } // a link button: the browser follows the link too
    e.preventDefault();
    const tpl = el.nextElementSibling;
    if (tpl && tpl.matches("template.bk-confirm") && !(await confirmFirst(tpl))) return;
    act(el);
  });
  document.addEventListener("change", (e) => {
    const ctl = e.target.closest(".bk-control[data-dispatch]");
    if (ctl) act(ctl);
  });

  // --- the modal's own buttons ---
  function showErrors(form, errors) {
    for (const [blockId, text] of Object.entries(errors || {})) {
      const block = [...form.querySelectorAll(".bk-input")].find((b) => b.dataset.blockId === blockId);
      if (!block) continue;
      block.classList.add("has-error");
      let err = block.querySelector(".bk-error");
      if (!err) {
        err = document.createElement("div");
        err.className = "bk-error";
        err.setAttribute("role", "alert");
        block.querySelector(".bk-control").insertAdjacentElement("afterend", err);
      }
      err.textContent = text;
    }
  }

  root.addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = e.target;
    const button = form.querySelector(".modal-submit");
    if (!button || button.disabled) return;
    button.disabled = true;
    const alert = form.querySelector(".modal-alert");
    alert.hidden = true;
    const out = await post("/ui/view_submit", { user: who.value, view_id: form.dataset.viewId, values: JSON.stringify(entries(form)) });
    button.disabled = false;
    if (out.required) showErrors(form, out.required); // Slack's client refuses an empty required input itself
    else if (out.error) { alert.textContent = out.notice || TROUBLE; alert.hidden = false; }
    page.submits = String(Number(page.submits || 0) + 1);
    watch();
  });

  root.addEventListener("click", async (e) => {
    const el = e.target.closest("[data-close]");
    const form = el && el.closest("form.modal");
    if (!form) return;
    await post("/ui/view_close", { user: who.value, view_id: form.dataset.viewId, all: el.dataset.close === "all" ? "1" : "" });
    watch();
  });
  document.addEventListener("keydown", (e) => {
    const x = e.key === "Escape" && root.querySelector(".modal-x");
    if (x) x.click();
  });

  loadViews();
})();
