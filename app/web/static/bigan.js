// 笔杆 Bigan — small enhancements; every page also works with JavaScript off.
// Copy buttons (复制全文 copies the working text, 复制正文 the clean one), 换一个 without a page reload,
// topic tags, delete confirmation.
"use strict";

(function () {
  function announce(text) {
    var status = document.getElementById("status");
    if (!status) return;
    status.textContent = text;
    status.classList.add("show");
    clearTimeout(announce.timer);
    announce.timer = setTimeout(function () { status.classList.remove("show"); }, 2500);
  }

  // The Clipboard API exists only on https:// or localhost; intranet servers are often plain http://,
  // so fall back to selecting a temporary textarea and execCommand("copy").
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function initCopy(root) {
    root.querySelectorAll("button.copy").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (!button) return;
    var text = button.dataset.copyText;
    if (button.dataset.copyTarget) {
      var source = document.getElementById(button.dataset.copyTarget);
      text = source ? source.value : "";
    }
    copyText(text || "").then(
      function () { announce("已复制到剪贴板"); },
      function () { announce("复制失败，请展开“纯文本”手动复制"); }
    );
  });

  // 换一个: show the next heading at once, then let the server redo the draft with the new choice so the
  // 排比 check, the copy text and the download fields all agree with what is on screen.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.swap");
    if (!button || !window.fetch || !window.DOMParser) return; // without them the button submits the form
    event.preventDefault();
    var index = button.dataset.index;
    var form = document.getElementById("result-form");
    var input = form && form.querySelector('input[name="h_' + index + '"]');
    var heading = document.getElementById("heading-" + index);
    var cycle;
    try { cycle = JSON.parse(button.dataset.cycle || "[]"); } catch (e) { cycle = []; }
    if (!form || !input || !heading || cycle.length < 2) return;
    var position = cycle.indexOf(input.value);
    var next = cycle[(position + 1) % cycle.length];
    input.value = next;
    heading.textContent = next;
    refreshDraft(form, index);
  });

  function refreshDraft(form, index) {
    var result = document.getElementById("result");
    result.setAttribute("aria-busy", "true");
    fetch("/", { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("result");
        if (!fresh) throw new Error("no result");
        var plainOpen = result.querySelector("details.plain[open]") !== null;
        // Keep open what the writer opened (可选表述, 参考段落 under each heading): the swap redraws them all.
        var opened = Array.prototype.map.call(result.querySelectorAll(".drafted details[open]"), function (d) {
          var part = d.closest("li.part");
          return part ? "#" + part.id + " details." + d.className : "";
        });
        result.innerHTML = fresh.innerHTML;
        initCopy(result);
        if (plainOpen) result.querySelector("details.plain").open = true;
        opened.forEach(function (selector) {
          var again = selector && result.querySelector(selector);
          if (again) again.open = true;
        });
        var again = result.querySelector('button.swap[data-index="' + index + '"]');
        if (again) again.focus();
        var heading = document.getElementById("heading-" + index);
        announce("已换成：" + (heading ? heading.textContent : ""));
      })
      .catch(function () {
        // The swap already shows and the hidden field carries it: downloads stay right; only the
        // 排比 check and the copy text wait for the next "生成提纲".
        announce("已换标题；排比检查和复制文本将在重新生成后更新");
      })
      .then(function () { result.removeAttribute("aria-busy"); });
  }

  // Topics: suggestion buttons add to (or remove from) the comma-separated field.
  function splitTopics(value) {
    return value.split(/[,，、;；\n]+/).map(function (t) { return t.trim(); }).filter(Boolean);
  }

  function initTags() {
    var box = document.querySelector(".tag-suggestions");
    if (!box) return;
    var input = document.getElementById(box.dataset.for);
    if (!input) return;
    box.hidden = false;
    function sync() {
      var chosen = splitTopics(input.value);
      box.querySelectorAll("button.tag").forEach(function (tag) {
        var on = chosen.indexOf(tag.dataset.tag) >= 0;
        tag.setAttribute("aria-pressed", on ? "true" : "false");
        tag.textContent = (on ? "✓ " : "+ ") + tag.dataset.tag;
      });
    }
    box.addEventListener("click", function (event) {
      var tag = event.target.closest("button.tag");
      if (!tag) return;
      var chosen = splitTopics(input.value);
      var at = chosen.indexOf(tag.dataset.tag);
      if (at >= 0) { chosen.splice(at, 1); } else { chosen.push(tag.dataset.tag); }
      input.value = chosen.join("，");
      sync();
    });
    input.addEventListener("input", sync);
    sync();
  }

  document.addEventListener("submit", function (event) {
    var message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    initCopy(document);
    initTags();
  });
})();
