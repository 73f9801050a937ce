/**
 * The web chat page: one self-contained HTML document (inline CSS and vanilla JS, no external
 * assets), texts injected server-side. Works at 360 px, keyboard and screen-reader friendly.
 *
 * The script: loads the history, follows the event stream (EventSource, resumed by Last-Event-ID),
 * sends one message at a time (retrying network failures with the same clientMessageId, which the
 * server deduplicates), uploads files with progress, renders choices as buttons.
 */
import { DEFAULT_LANG, intlLocale, type Lang } from "../../i18n/index.js";
import type { WebTextKey } from "./texts.js";

export interface PageConfig {
  lang: Lang;
  texts: Record<WebTextKey, string>;
  maxUploadBytes: number;
  /** The limit as shown, e.g. "10" or "1,5". */
  limitMb: string;
  maxTextLength: number;
  /** This response's CSP nonces for the inline <script> and <style>. */
  nonces: { script: string; style: string };
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** JSON safe inside a <script> element. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");

export function renderChatPage(cfg: PageConfig): string {
  const t = cfg.texts;
  const h = (k: WebTextKey): string => escapeHtml(t[k]);
  // The script is told the locale and the query to keep, so it needs no knowledge of languages.
  const client = {
    locale: intlLocale(cfg.lang),
    langQuery: cfg.lang === DEFAULT_LANG ? "" : `lang=${cfg.lang}`,
    texts: cfg.texts, maxUploadBytes: cfg.maxUploadBytes, limitMb: cfg.limitMb, maxTextLength: cfg.maxTextLength };
  return `<!doctype html>
<html lang="${cfg.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="light">
<meta name="theme-color" content="#0f5e4a">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${h("web.page_title")}</title>
<style nonce="${cfg.nonces.style}">${CSS}</style>
</head>
<body>
<div class="app">
  <header class="top">
    <div class="logo" aria-hidden="true">P</div>
    <div class="heading">
      <h1>${h("web.title")}</h1>
      <p class="sub">${h("web.subtitle")}</p>
    </div>
  </header>
  <div id="offline" class="notice" role="status" hidden>${h("web.offline")}</div>
  <main id="log" class="log" role="log" aria-live="polite" aria-relevant="additions" aria-label="${h("web.log_label")}" tabindex="0">
    <div id="empty" class="empty" hidden>
      <p>${h("web.empty")}</p>
      <button type="button" id="start" class="start">${h("web.start_button")}</button>
    </div>
    <ol id="list" class="list"></ol>
    <div id="typing" class="typing" hidden><span class="dots" aria-hidden="true"><i></i><i></i><i></i></span><span>${h("web.typing")}</span></div>
  </main>
  <div id="status" class="status" role="alert" hidden></div>
  <div id="progress" class="progress" hidden><div class="track"><div class="bar" id="bar"></div></div><span id="progress-text"></span></div>
  <form id="composer" class="composer" autocomplete="off">
    <input type="file" id="file" class="sr-only" accept="image/*,application/pdf" tabindex="-1" aria-hidden="true">
    <button type="button" id="attach" class="icon-btn" aria-label="${h("web.attach")}" title="${h("web.attach")}">
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false"><path d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>
    </button>
    <label for="text" class="sr-only">${h("web.input_label")}</label>
    <textarea id="text" rows="1" maxlength="${cfg.maxTextLength}" placeholder="${h("web.input_placeholder")}" enterkeyhint="send"></textarea>
    <button type="submit" id="send" class="send-btn" aria-label="${h("web.send")}" title="${h("web.send")}">
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false"><path d="M4 12l16-8-6 16-2.5-6.5z" fill="currentColor"/></svg>
    </button>
  </form>
</div>
<script type="application/json" id="config">${scriptJson(client)}</script>
<script nonce="${cfg.nonces.script}">${SCRIPT}</script>
</body>
</html>`;
}

const CSS = `
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
html,body{height:100%;margin:0}
body{font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;color:#1d2521;background:#e9efe9}
.app{display:flex;flex-direction:column;height:100%;height:100dvh;max-width:760px;margin:0 auto;background:#f4f1ea;box-shadow:0 0 0 1px #d6dcd6}
.top{display:flex;align-items:center;gap:12px;padding:10px 14px;padding-top:max(10px,env(safe-area-inset-top));background:#0f5e4a;color:#fff}
.logo{flex:none;width:40px;height:40px;border-radius:50%;background:#f2b53a;color:#0f5e4a;display:grid;place-items:center;font-weight:800;font-size:20px}
.heading{min-width:0}
h1{margin:0;font-size:17px;line-height:1.25;font-weight:700}
.sub{margin:2px 0 0;font-size:13px;opacity:.9}
.notice{padding:8px 14px;background:#fff3cd;color:#5c4400;font-size:14px;border-bottom:1px solid #ecd98f}
.log{flex:1;overflow-y:auto;padding:12px 10px 4px;outline:none;overscroll-behavior:contain}
.log:focus-visible{box-shadow:inset 0 0 0 3px #f2b53a}
.list{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
.empty{margin:24px auto;max-width:320px;text-align:center;color:#46514b}
.start{margin-top:6px}
.msg{display:flex;flex-direction:column;max-width:85%}
.msg.assistant{align-self:flex-start;align-items:flex-start}
.msg.client{align-self:flex-end;align-items:flex-end}
.bubble{padding:8px 11px 6px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word;box-shadow:0 1px 1px rgba(0,0,0,.08)}
.assistant .bubble{background:#fff;border-top-left-radius:4px}
.client .bubble{background:#d3f0dc;border-top-right-radius:4px}
.meta{display:block;margin-top:3px;font-size:11.5px;color:#5d6a63;text-align:right}
.pending .meta{color:#7a6a2a}
.failed .bubble{background:#fde2e0}
.failed .meta{color:#9b1c12}
.hint{margin-top:4px;font-size:13px;color:#46514b}
.choices{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0 2px;padding:0;border:0}
button{font:inherit}
.choice,.start,.retry{min-height:40px;padding:7px 14px;border-radius:20px;border:1.5px solid #0f5e4a;background:#fff;color:#0f5e4a;font-weight:600;cursor:pointer}
.choice:hover:not(:disabled),.start:hover,.retry:hover{background:#e3f3ec}
.choice:disabled{cursor:default;border-color:#b9c4bd;color:#7c8a82;background:#f4f4f1}
.choice.chosen{border-color:#0f5e4a;background:#0f5e4a;color:#fff}
.retry{min-height:32px;padding:4px 12px;margin-top:4px;font-size:14px}
.doc{display:flex;align-items:center;gap:8px;color:#0b4f3e;font-weight:600;text-decoration:none}
.doc:hover{text-decoration:underline}
.file-icon{flex:none;width:30px;height:36px;border-radius:4px;background:#0f5e4a;color:#fff;display:grid;place-items:center;font-size:10px;font-weight:700}
.size{font-weight:400;color:#5d6a63;font-size:13px}
.caption{display:block;margin-top:6px}
.clip{width:16px;height:16px;vertical-align:-3px;margin-right:4px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round}
.thumb{display:block;max-width:220px;max-height:220px;border-radius:8px;margin-bottom:4px}
.typing{display:flex;align-items:center;gap:8px;margin:8px 4px;color:#5d6a63;font-size:14px}
.dots{display:inline-flex;gap:3px}
.dots i{width:6px;height:6px;border-radius:50%;background:#8aa096;animation:blink 1.2s infinite}
.dots i:nth-child(2){animation-delay:.2s}.dots i:nth-child(3){animation-delay:.4s}
@keyframes blink{0%,80%,100%{opacity:.3}40%{opacity:1}}
@media (prefers-reduced-motion:reduce){.dots i{animation:none}}
.status{margin:0 10px 6px;padding:8px 12px;border-radius:8px;background:#fde2e0;color:#7d160d;font-size:14px}
.progress{display:flex;align-items:center;gap:10px;margin:0 10px 6px;font-size:13px;color:#46514b}
.track{flex:1;height:6px;border-radius:3px;background:#d6dcd6;overflow:hidden}
.bar{height:100%;width:0;background:#0f5e4a;transition:width .2s}
.composer{display:flex;align-items:flex-end;gap:6px;padding:8px;padding-bottom:max(8px,env(safe-area-inset-bottom));background:#fff;border-top:1px solid #d6dcd6}
textarea{flex:1;min-width:0;min-height:44px;max-height:140px;resize:none;padding:11px 14px;border:1.5px solid #b9c4bd;border-radius:22px;font:inherit;line-height:1.3;background:#fbfbf9;color:inherit}
textarea:focus{outline:none;border-color:#0f5e4a;box-shadow:0 0 0 3px rgba(15,94,74,.2)}
.icon-btn,.send-btn{flex:none;width:44px;height:44px;border-radius:50%;border:0;display:grid;place-items:center;cursor:pointer}
.icon-btn{background:transparent;color:#0f5e4a}
.icon-btn:hover{background:#e3f3ec}
.send-btn{background:#0f5e4a;color:#fff}
.send-btn:hover{background:#0b4f3e}
button:focus-visible,.doc:focus-visible{outline:3px solid #f2b53a;outline-offset:2px}
.sr-only{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
`;

// Plain ES2017 for the browser. No template literals in here (this file embeds it in one).
const SCRIPT = `
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("config").textContent);
  var T = cfg.texts;
  var api = location.pathname.replace(/\\/+$/, "") + "/api/";
  var langQuery = cfg.langQuery;
  var $ = function (id) { return document.getElementById(id); };
  var log = $("log"), list = $("list"), empty = $("empty"), typing = $("typing"), statusBox = $("status");
  var form = $("composer"), input = $("text"), fileInput = $("file"), offline = $("offline");
  var progress = $("progress"), bar = $("bar"), progressText = $("progress-text");

  function t(key, params) {
    var s = T[key] || key;
    return s.replace(/\\{([a-zA-Z0-9_]+)\\}/g, function (m, k) { return params && params[k] != null ? String(params[k]) : m; });
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  var SVG = "http://www.w3.org/2000/svg";
  /** A paperclip drawn inline (an emoji may have no glyph on the device). */
  function clipIcon() {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", "clip");
    svg.setAttribute("aria-hidden", "true");
    var p = document.createElementNS(SVG, "path");
    p.setAttribute("d", "M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5");
    svg.appendChild(p);
    return svg;
  }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function withLang(url) { return langQuery ? url + (url.indexOf("?") < 0 ? "?" : "&") + langQuery : url; }
  var timeFmt = new Intl.DateTimeFormat(cfg.locale, { hour: "2-digit", minute: "2-digit" });
  function formatTime(iso) { try { return timeFmt.format(new Date(iso)); } catch (e) { return ""; } }
  function formatSize(n) {
    var nf = new Intl.NumberFormat(cfg.locale, { maximumFractionDigits: 1 });
    if (n >= 1048576) return nf.format(n / 1048576) + " MB";
    return nf.format(Math.max(1, Math.round(n / 1024))) + " KB";
  }

  // ------------------------------------------------------------ rendering
  var lastSeq = 0;
  var rendered = {};          // seq -> true
  var pendingByMessage = {};  // clientMessageId -> li (not yet in the history)
  var nearBottom = true;
  log.addEventListener("scroll", function () { nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80; });
  function scrollDown(force) { if (force || nearBottom) log.scrollTop = log.scrollHeight; }

  function speaker(role) { return el("span", "sr-only", (role === "client" ? T["web.you"] : T["web.assistant"]) + ": "); }
  function metaLine(text, iso) {
    var m = el("span", "meta");
    if (iso) { var tm = el("time", null, formatTime(iso)); tm.setAttribute("datetime", iso); m.appendChild(tm); }
    else m.textContent = text || "";
    return m;
  }

  /**
   * Text with its http(s) URLs as links (a sign-in link must be one tap); everything else stays a
   * text node, so nothing the assistant or a person wrote is read as HTML.
   */
  function appendLinked(parent, text) {
    var re = /https?:\\/\\/[^\\s<>"]+[^\\s<>".,;:!?)]/g, last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var a = el("a", "link", m[0]);
      a.href = m[0];
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      parent.appendChild(a);
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }
  function renderEntry(e) {
    var li = el("li", "msg " + e.role);
    li.dataset.seq = String(e.seq);
    if (e.kind === "choice") li.dataset.choice = e.choiceId;
    var b = el("div", "bubble");
    b.appendChild(speaker(e.role));
    if (e.kind === "text") {
      appendLinked(b, e.text);
    } else if (e.kind === "choice") {
      b.appendChild(document.createTextNode(e.label || e.choiceId));
    } else if (e.kind === "file") {
      b.appendChild(clipIcon());
      b.appendChild(document.createTextNode(e.fileName + " "));
      b.appendChild(el("span", "size", "(" + formatSize(e.size) + ")"));
    } else if (e.kind === "document") {
      var a = el("a", "doc");
      a.href = api + "files/" + encodeURIComponent(e.id);
      a.setAttribute("download", e.fileName);
      a.setAttribute("aria-label", t("web.download", { name: e.fileName }));
      a.appendChild(el("span", "file-icon", (e.fileName.split(".").pop() || "").slice(0, 4).toUpperCase()));
      var name = el("span", null, e.fileName + " ");
      if (typeof e.size === "number") name.appendChild(el("span", "size", "(" + formatSize(e.size) + ")"));
      a.appendChild(name);
      b.appendChild(a);
      if (e.caption) b.appendChild(el("span", "caption", e.caption));
    }
    b.appendChild(metaLine(null, e.at));
    li.appendChild(b);
    if (e.role === "assistant" && e.kind === "text" && e.requestContact) li.appendChild(el("div", "hint", T["web.contact_hint"]));
    if (e.role === "assistant" && e.kind === "text" && e.choices && e.choices.length) {
      var group = el("div", "choices");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", T["web.choices_label"]);
      e.choices.forEach(function (c) {
        var btn = el("button", "choice", c.label);
        btn.type = "button";
        btn.dataset.choice = c.id;
        btn.addEventListener("click", function () { sendChoice(c, btn); });
        group.appendChild(btn);
      });
      li.appendChild(group);
    }
    return li;
  }

  function addEntry(e) {
    if (rendered[e.seq]) return;
    rendered[e.seq] = true;
    if (e.seq > lastSeq) lastSeq = e.seq;
    if (e.role === "client" && pendingByMessage[e.messageId]) {
      var p = pendingByMessage[e.messageId];
      delete pendingByMessage[e.messageId];
      if (p.parentNode) p.parentNode.removeChild(p);
    }
    var li = renderEntry(e);
    // Keep seq order even if an entry arrives late; pending messages stay last.
    var before = null;
    var items = list.children;
    for (var i = 0; i < items.length; i++) {
      var s = items[i].dataset.seq;
      if (!s || Number(s) > e.seq) { before = items[i]; break; }
    }
    list.insertBefore(li, before);
    if (e.role === "assistant") hideTyping();
    refresh();
    scrollDown(e.role === "client");
  }

  /** Choices stay usable until the person answered after them (typed, tapped or sent a file). */
  function refresh() {
    var items = list.children;
    empty.hidden = items.length > 0;
    var answeredAfter = false;
    var chosen = null;
    for (var i = items.length - 1; i >= 0; i--) {
      var li = items[i];
      if (li.classList.contains("client")) {
        answeredAfter = true;
        chosen = li.dataset.choice || null;
        continue;
      }
      var buttons = li.querySelectorAll("button.choice");
      for (var j = 0; j < buttons.length; j++) {
        buttons[j].disabled = answeredAfter;
        var isChosen = answeredAfter && chosen !== null && buttons[j].dataset.choice === chosen;
        buttons[j].classList.toggle("chosen", isChosen);
        buttons[j].setAttribute("aria-pressed", isChosen ? "true" : "false");
      }
      if (buttons.length) chosen = null;
    }
  }

  function addPending(id, bodyNode, choiceId) {
    var li = el("li", "msg client pending");
    if (choiceId) li.dataset.choice = choiceId;
    var b = el("div", "bubble");
    b.appendChild(speaker("client"));
    b.appendChild(bodyNode);
    var meta = metaLine(T["web.sending"]);
    b.appendChild(meta);
    li.appendChild(b);
    list.appendChild(li);
    pendingByMessage[id] = li;
    refresh();
    scrollDown(true);
    return { li: li, meta: meta };
  }

  var typingTimer = null;
  function showTyping() {
    typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, 15000);
    scrollDown(false);
  }
  function hideTyping() { typing.hidden = true; clearTimeout(typingTimer); }

  function showStatus(text) {
    if (!text) { statusBox.hidden = true; statusBox.textContent = ""; return; }
    statusBox.textContent = text;
    statusBox.hidden = false;
  }

  // ------------------------------------------------------------ sending, one at a time
  var queue = [];
  var pumping = false;
  var sessionLost = false;

  function enqueue(item) { queue.push(item); pump(); }

  function pump() {
    if (pumping) return;
    pumping = true;
    (function next() {
      var item = queue.shift();
      if (!item) { pumping = false; return; }
      deliver(item).then(next, next);
    })();
  }

  function waitOnline() {
    if (navigator.onLine !== false) return Promise.resolve();
    return new Promise(function (r) { window.addEventListener("online", function on() { window.removeEventListener("online", on); r(); }); });
  }

  function failed(item, message) {
    var li = item.view.li;
    li.classList.remove("pending");
    li.classList.add("failed");
    item.view.meta.textContent = T["web.send_failed"];
    if (message) showStatus(message);
    if (!li.querySelector(".retry")) {
      var r = el("button", "retry", T["web.retry"]);
      r.type = "button";
      r.addEventListener("click", function () {
        li.removeChild(r);
        li.classList.remove("failed");
        li.classList.add("pending");
        item.view.meta.textContent = T["web.sending"];
        showStatus("");
        enqueue(item);
      });
      li.appendChild(r);
    }
  }

  function delivered(item) {
    item.view.meta.textContent = "";
    item.view.li.classList.remove("pending");
    showTyping();
  }

  // Network failures and 5xx are retried with the same clientMessageId (the server drops a repeat).
  async function deliver(item) {
    for (var attempt = 0; ; attempt++) {
      if (sessionLost) return failed(item, T["web.session_lost"]);
      await waitOnline();
      var res;
      try {
        res = item.file ? await uploadOnce(item) : await postOnce(item);
      } catch (e) {
        res = { status: 0, body: null };
      }
      if (res.status === 202) { if (item.file) hideProgress(); return delivered(item); }
      if (item.file) hideProgress();
      if (res.status === 401) { sessionLost = true; return failed(item, T["web.session_lost"]); }
      if (res.status === 413 || res.status === 415 || res.status === 400) {
        var msg = res.body && res.body.message ? res.body.message : (item.file ? T["web.upload.failed"] : T["web.error.rejected"]);
        if (item.file && (res.status === 413 || res.status === 415)) {
          // The assistant answers a refused file too; the pending bubble goes.
          delete pendingByMessage[item.id];
          if (item.view.li.parentNode) item.view.li.parentNode.removeChild(item.view.li);
          refresh();
          return showStatus(msg);
        }
        return failed(item, msg);
      }
      if (res.status === 429) showStatus(T["web.error.busy"]);
      if (attempt >= 7) return failed(item, item.file ? T["web.upload.failed"] : null);
      await sleep(Math.min(15000, 800 * Math.pow(2, attempt)));
    }
  }

  async function postOnce(item) {
    var r = await fetch(withLang(api + "messages"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(item.body),
      credentials: "same-origin"
    });
    var body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    return { status: r.status, body: body };
  }

  function uploadOnce(item) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", withLang(api + "upload?clientMessageId=" + encodeURIComponent(item.id)));
      xhr.responseType = "json";
      xhr.upload.onprogress = function (ev) {
        if (!ev.lengthComputable) return;
        var pct = Math.min(100, Math.round((ev.loaded / ev.total) * 100));
        showProgress(item.file.name, pct);
      };
      xhr.onload = function () { resolve({ status: xhr.status, body: xhr.response }); };
      xhr.onerror = function () { resolve({ status: 0, body: null }); };
      xhr.ontimeout = xhr.onerror;
      var fd = new FormData();
      fd.append("clientMessageId", item.id);
      fd.append("file", item.file, item.file.name);
      showProgress(item.file.name, 0);
      xhr.send(fd);
    });
  }

  function showProgress(name, pct) {
    progress.hidden = false;
    bar.style.width = pct + "%";
    progressText.textContent = t("web.upload.progress", { name: name, percent: pct });
  }
  function hideProgress() { progress.hidden = true; bar.style.width = "0"; }

  function sendText(text) {
    var id = uuid();
    var view = addPending(id, document.createTextNode(text));
    enqueue({ id: id, body: { clientMessageId: id, text: text }, view: view });
  }

  function sendChoice(choice, btn) {
    if (btn.disabled) return;
    var id = uuid();
    var view = addPending(id, document.createTextNode(choice.label), choice.id);
    enqueue({ id: id, body: { clientMessageId: id, choiceId: choice.id }, view: view });
    input.focus();
  }

  var ACCEPTED = ["image/jpeg", "image/png", "image/webp", "application/pdf"];
  function sendFile(file) {
    showStatus("");
    if (file.size === 0) return showStatus(T["web.upload.empty"]);
    if (file.size > cfg.maxUploadBytes) return showStatus(t("web.upload.too_large", { limitMb: cfg.limitMb }));
    if (file.type && ACCEPTED.indexOf(file.type) < 0) return showStatus(t("web.upload.wrong_type", { limitMb: cfg.limitMb }));
    var id = uuid();
    var body = document.createElement("span");
    if (file.type && file.type.indexOf("image/") === 0 && window.URL && URL.createObjectURL) {
      var img = el("img", "thumb");
      img.alt = "";
      img.src = URL.createObjectURL(file);
      body.appendChild(img);
    }
    body.appendChild(clipIcon());
    body.appendChild(document.createTextNode(file.name + " "));
    body.appendChild(el("span", "size", "(" + formatSize(file.size) + ")"));
    var view = addPending(id, body);
    enqueue({ id: id, file: file, view: view });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value;
    if (!text.trim()) return;
    input.value = "";
    autosize();
    showStatus("");
    sendText(text);
    input.focus();
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true })); }
  });
  function autosize() { input.style.height = "auto"; input.style.height = Math.min(140, input.scrollHeight + 3) + "px"; }
  input.addEventListener("input", autosize);
  $("attach").addEventListener("click", function () { fileInput.click(); });
  fileInput.addEventListener("change", function () {
    var f = fileInput.files && fileInput.files[0];
    fileInput.value = "";
    if (f) sendFile(f);
    input.focus();
  });
  $("start").addEventListener("click", function () { sendText(T["web.start_text"]); input.focus(); });

  // ------------------------------------------------------------ receiving
  var es = null;
  var streamUp = false;
  var downSince = 0;
  var reconnectDelay = 1000;

  function updateOffline() {
    var down = navigator.onLine === false || (!streamUp && downSince && Date.now() - downSince > 2500);
    offline.hidden = !down;
  }
  setInterval(updateOffline, 1000);
  window.addEventListener("offline", updateOffline);
  window.addEventListener("online", function () { updateOffline(); if (!es) connect(); });

  function connect() {
    if (sessionLost) return;
    es = new EventSource(api + "events?after=" + lastSeq);
    es.addEventListener("entry", function (ev) {
      try { addEntry(JSON.parse(ev.data)); } catch (e) { /* ignore a malformed event */ }
    });
    es.onopen = function () { streamUp = true; downSince = 0; reconnectDelay = 1000; updateOffline(); };
    es.onerror = function () {
      streamUp = false;
      if (!downSince) downSince = Date.now();
      updateOffline();
      if (es && es.readyState === 2) {
        // The browser gave up (an error status): try again ourselves, from what we have.
        es.close();
        es = null;
        setTimeout(function () { checkSession().then(connect); }, reconnectDelay);
        reconnectDelay = Math.min(30000, reconnectDelay * 2);
      }
    };
  }

  async function checkSession() {
    try {
      var r = await fetch(api + "history?after=" + lastSeq, { credentials: "same-origin" });
      if (r.status === 401) { sessionLost = true; showStatus(T["web.session_lost"]); return; }
      if (r.ok) { var data = await r.json(); data.entries.forEach(addEntry); }
    } catch (e) { /* offline: the next attempt will tell */ }
  }

  async function start() {
    for (var attempt = 0; ; attempt++) {
      try {
        var r = await fetch(api + "history", { credentials: "same-origin" });
        if (r.status === 401) {
          // No cookie (blocked, or cleared): one reload gets a new one.
          if (!sessionStorage.getItem("plut-reloaded")) { sessionStorage.setItem("plut-reloaded", "1"); location.reload(); return; }
          sessionLost = true;
          showStatus(T["web.session_lost"]);
          return;
        }
        sessionStorage.removeItem("plut-reloaded");
        if (r.ok) {
          var data = await r.json();
          data.entries.forEach(addEntry);
          refresh();
          scrollDown(true);
          break;
        }
      } catch (e) { /* retry below */ }
      if (!downSince) downSince = Date.now();
      updateOffline();
      await sleep(Math.min(15000, 1000 * Math.pow(2, attempt)));
    }
    connect();
  }

  refresh();
  start();
})();
`;
