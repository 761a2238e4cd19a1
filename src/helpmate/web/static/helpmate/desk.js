/* Helpmate workspace: keyboard shortcuts, composer tabs, bulk selection, presence activity.
   Everything here is an enhancement: every page works without it. */
(function () {
  "use strict";

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  /* --- inbox rows: j / k move, Enter opens, x selects -------------------------------------- */
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr[data-row]")); }

  function currentIndex(list) {
    for (var i = 0; i < list.length; i++) if (list[i].classList.contains("current")) return i;
    return -1;
  }

  function moveRow(step) {
    var list = rows();
    if (!list.length) return;
    var index = currentIndex(list);
    var next = Math.max(0, Math.min(list.length - 1, index < 0 ? 0 : index + step));
    list.forEach(function (row) { row.classList.remove("current"); });
    var row = list[next];
    row.classList.add("current");
    var link = row.querySelector("td.subject a");
    if (link) link.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  /* --- composer tabs ---------------------------------------------------------------------- */
  function showTab(name) {
    var tabs = document.querySelectorAll(".composer [role=tab]");
    if (!tabs.length) return null;
    tabs.forEach(function (tab) {
      var selected = tab.id === "tab-" + name;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      var panel = document.getElementById(tab.getAttribute("aria-controls"));
      if (panel) panel.hidden = !selected;
    });
    return document.getElementById("panel-" + name);
  }

  function openComposer(name) {
    var panel = showTab(name || "reply");
    if (!panel) return;
    var area = panel.querySelector("textarea");
    if (!area) return;
    area.focus();
    if (name !== "note" && area.form.hasAttribute("data-fresh") && area.value === area.defaultValue) {
      // Untouched reply: put the cursor on the empty line after the greeting.
      var at = area.value.indexOf("\n\n");
      if (at >= 0) area.setSelectionRange(at + 2, at + 2);
    }
    document.getElementById("composer").scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("click", function (event) {
    var tab = event.target.closest(".composer [role=tab]");
    if (tab) {
      event.preventDefault();
      openComposer(tab.id.replace("tab-", ""));
    }
  });

  /* --- keyboard --------------------------------------------------------------------------- */
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key;
    if (key === "/") {
      var search = document.getElementById("f-q") || document.getElementById("global-search");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    } else if (key === "c" && document.getElementById("composer")) {
      event.preventDefault();
      openComposer("reply");
    } else if (key === "j" || key === "k") {
      if (rows().length) { event.preventDefault(); moveRow(key === "j" ? 1 : -1); }
    } else if (key === "x") {
      var list = rows();
      var row = list[currentIndex(list)];
      var box = row && row.querySelector("input[type=checkbox]");
      if (box) { event.preventDefault(); box.click(); }
    }
  });

  document.addEventListener("focusin", function (event) {
    var row = event.target.closest && event.target.closest("tr[data-row]");
    if (!row) return;
    rows().forEach(function (r) { r.classList.toggle("current", r === row); });
  });

  /* --- bulk selection --------------------------------------------------------------------- */
  function updateBulk(form) {
    var boxes = form.querySelectorAll("input[name=ids]");
    var picked = form.querySelectorAll("input[name=ids]:checked").length;
    var all = form.querySelector("[data-select-all]");
    if (all) {
      all.checked = picked > 0 && picked === boxes.length;
      all.indeterminate = picked > 0 && picked < boxes.length;
    }
    var count = form.querySelector("[data-bulk-count]");
    if (count) count.textContent = picked ? picked + " selected" : "";
    form.classList.toggle("has-selection", picked > 0);
    form.querySelectorAll("input[name=ids]").forEach(function (box) {
      box.closest("tr").classList.toggle("selected", box.checked);
    });
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-bulk]");
    if (!form) return;
    if (event.target.matches("[data-select-all]")) {
      form.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = event.target.checked; });
    }
    updateBulk(form);
  });

  /* --- presence: "replying" while the reply box has focus or new text --------------------- */
  function trackReplying() {
    var activity = document.getElementById("presence-activity");
    var area = document.querySelector("form[data-composer=reply] textarea");
    if (!activity || !area) return;
    var initial = area.defaultValue;
    function update() {
      var busy = document.activeElement === area || area.value.trim() !== initial.trim();
      activity.value = busy ? "replying" : "viewing";
    }
    area.addEventListener("focus", update);
    area.addEventListener("blur", update);
    area.addEventListener("input", update);
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", trackReplying);
  } else {
    trackReplying();
  }
})();
