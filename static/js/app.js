// Small behaviours that need no library. Loaded with "defer" on every page.
document.addEventListener("change", function (event) {
  // The language picker submits as soon as a language is chosen.
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.submit();
  }
});

// A form with data-confirm asks first (e.g. closing a vote); cancelled, nothing is sent. Runs in
// the capture phase, before the once-only guard below.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    event.stopPropagation();
  }
}, true);

document.addEventListener("submit", function (event) {
  // One click, one submission: a second click while the page is loading does nothing.
  // (The server also treats an identical resubmission as the same one.)
  var form = event.target;
  if (form.dataset.submitted === "1") {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "1";
  window.setTimeout(function () { form.dataset.submitted = ""; }, 8000);
});

document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
  // Copy a read-only field (the calendar feed address) to the clipboard.
  var copy = event.target.closest("[data-copy]");
  if (copy) {
    var field = document.querySelector(copy.dataset.copy);
    if (field) {
      field.select();
      if (navigator.clipboard) { navigator.clipboard.writeText(field.value); }
    }
  }
});

document.addEventListener("focusin", function (event) {
  if (event.target.matches("[data-select-on-focus]")) { event.target.select(); }
});

// The invitee picker: search across groups, "select all" per group, a running count.
(function () {
  function fold(text) {
    // Vietnamese without diacritics matches too: "tai chinh" finds "Tài chính".
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function count(picker) {
    var n = picker.querySelectorAll("input[type=checkbox]:checked").length;
    var out = picker.querySelector("[data-picker-count]");
    if (out) { out.textContent = n; }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-picker]").forEach(function (picker) {
      count(picker);
      picker.addEventListener("change", function () { count(picker); });
      picker.addEventListener("click", function (event) {
        var all = event.target.closest("[data-picker-all]");
        var none = event.target.closest("[data-picker-none]");
        if (!all && !none) { return; }
        var group = event.target.closest("[data-picker-group]");
        group.querySelectorAll("[data-picker-item]").forEach(function (item) {
          if (item.hidden) { return; }
          item.querySelector("input").checked = !!all;
        });
        count(picker);
      });
      var search = picker.querySelector("[data-picker-search]");
      if (!search) { return; }
      search.addEventListener("input", function () {
        var q = fold(search.value.trim());
        picker.querySelectorAll("[data-picker-group]").forEach(function (group) {
          var shown = 0;
          group.querySelectorAll("[data-picker-item]").forEach(function (item) {
            var hit = !q || fold(item.textContent).indexOf(q) !== -1;
            item.hidden = !hit;
            if (hit) { shown += 1; }
          });
          // Open the groups that have matches so that they can be ticked at once.
          if (window.bootstrap) {
            var collapse = window.bootstrap.Collapse.getOrCreateInstance(group, { toggle: false });
            if (q && shown) { collapse.show(); } else if (q) { collapse.hide(); }
          }
        });
      });
    });
  });
})();

// The roll-call: choosing present / absent / substitute saves the row at once (through htmx,
// or as a plain form post without JavaScript's help).
document.addEventListener("change", function (event) {
  var form = event.target.closest("form[data-autosave]");
  if (form && event.target.type === "radio") {
    form.requestSubmit();
  }
});
