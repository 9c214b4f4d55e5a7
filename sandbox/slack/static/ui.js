/* The sandbox Slack page: sends what is typed as the chosen person, and follows the live stream of changes. */
(() => {
  "use strict";
  const page = document.body.dataset;
  const list = document.getElementById("messages");
  const form = document.getElementById("composer");
  if (!list || !form) return;
  const box = document.getElementById("box");
  const who = document.getElementById("as");
  const sendButton = document.getElementById("send");
  const notice = document.getElementById("notice");
  const KEY = "slack-sandbox:" + page.team + ":typing-as";

  // Who is typing is remembered across pages, as long as that person may type here.
  const saved = localStorage.getItem(KEY);
  if (saved && [...who.options].some((o) => o.value === saved)) who.value = saved;
  who.addEventListener("change", () => { localStorage.setItem(KEY, who.value); schedule(null); });

  const query = (extra) => new URLSearchParams({
    channel: page.channel, as: who.value, thread_ts: page.thread || "", hl: page.hl || "", ...extra,
  });
  const nearBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < 120;

  function show(text, isError) {
    notice.textContent = text || "";
    notice.hidden = !text;
    notice.classList.toggle("error", !!isError);
  }

  async function refreshList() {
    const stick = nearBottom();
    const resp = await fetch("/ui/messages?" + query());
    if (!resp.ok) return;
    list.innerHTML = await resp.text();
    if (stick) list.scrollTop = list.scrollHeight;
  }

  async function refreshOne(ts) {
    const el = document.getElementById("p" + ts.replace(".", ""));
    if (!el) return refreshList();
    const resp = await fetch("/ui/message?" + query({ ts }));
    if (!resp.ok) return refreshList();
    const stick = nearBottom();
    el.outerHTML = await resp.text();
    if (stick) list.scrollTop = list.scrollHeight;
  }

  // Bursts of edits (the bot's progress line) are coalesced: one fetch per message per tick.
  const pending = new Set();
  let whole = false;
  let timer = 0;
  let running = Promise.resolve();
  function schedule(ts) {
    if (ts === null) whole = true; else pending.add(ts);
    if (!timer) timer = setTimeout(flush, 60);
  }
  function flush() {
    timer = 0;
    const all = whole;
    const some = [...pending];
    whole = false;
    pending.clear();
    running = running.then(async () => {
      if (all) await refreshList();
      else for (const ts of some) await refreshOne(ts);
      page.updates = String(Number(page.updates || 0) + 1);
    }).catch(() => schedule(null));
  }

  function onChange(ch) {
    if (ch.kind === "view") { document.dispatchEvent(new CustomEvent("sandbox:view", { detail: ch })); return; } // interact.js
    if (ch.kind === "ephemeral") { if (ch.user === who.value) schedule(null); return; }
    if (page.thread) { schedule(ch.kind === "update" ? ch.ts : null); return; }
    const reply = ch.thread_ts && ch.thread_ts !== ch.ts;
    if (reply) {
      schedule(ch.thread_ts); // the parent's "N replies" fold
      if (document.getElementById("p" + ch.ts.replace(".", ""))) schedule(ch.ts); // a reply also sent to the channel
      return;
    }
    schedule(ch.kind === "update" ? ch.ts : null);
  }

  if (window.EventSource) {
    const stream = new EventSource("/ui/stream?" + new URLSearchParams({ channel: page.channel, thread_ts: page.thread || "" }));
    // Whatever changed between this page's render (or a dropped connection) and the stream's start is fetched now.
    stream.addEventListener("ready", () => { schedule(null); page.live = "1"; });
    stream.addEventListener("change", (e) => onChange(JSON.parse(e.data)));
    stream.addEventListener("reset", () => schedule(null));
    window.addEventListener("pagehide", () => stream.close());
  }

  async function send() {
    const text = box.value.trim();
    if (!text || sendButton.disabled) return;
    sendButton.disabled = true;
    show("");
    try {
      const resp = await fetch("/ui/send", {
        method: "POST", headers: { Accept: "application/json" }, body: new URLSearchParams(new FormData(form)),
      });
      const out = await resp.json().catch(() => ({ error: "http_" + resp.status, notice: "The sandbox did not answer (HTTP " + resp.status + ")." }));
      if (out.clear) box.value = "";
      show(out.notice, !!out.error);
      schedule(null);
    } catch (err) {
      show("Could not reach the sandbox: " + err, true);
    } finally {
      sendButton.disabled = false;
      box.focus();
    }
  }

  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
  });
  box.addEventListener("input", () => { box.style.height = "auto"; box.style.height = Math.min(box.scrollHeight, 200) + "px"; });
  form.addEventListener("submit", (e) => { e.preventDefault(); send(); });

  const target = page.hl && document.getElementById("p" + page.hl.replace(".", ""));
  if (target) target.scrollIntoView({ block: "center" }); else list.scrollTop = list.scrollHeight;
  page.js = "1";
})();
