// The task rows of the conclusion notice form. "Thêm nhiệm vụ" adds a blank row from the
// formset's empty form (its number follows on); each row's cooperating units are a list of
// checkboxes with a search box (Vietnamese without diacritics matches too) and a running count.
// Without JavaScript the form keeps its blank rows and offers more each time it is shown again.
(function () {
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function setup(root) {
    var boxes = root.matches && root.matches("[data-formset]") ? [root] : root.querySelectorAll("[data-formset]");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.dataset.formsetReady === "1") { return; }
      box.dataset.formsetReady = "1";
      var list = box.querySelector("[data-formset-rows]");
      var template = box.querySelector("template[data-formset-template]");
      var total = box.querySelector("input[name$='-TOTAL_FORMS']");
      var max = box.querySelector("input[name$='-MAX_NUM_FORMS']");
      var add = box.querySelector("[data-formset-add]");
      var hint = box.querySelector("[data-formset-nojs]");
      if (!list || !template || !total || !add) { return; }
      add.hidden = false;
      if (hint) { hint.hidden = true; }
      add.addEventListener("click", function () {
        var index = parseInt(total.value, 10);
        if (max && index >= parseInt(max.value, 10)) { add.disabled = true; return; }
        list.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
        total.value = String(index + 1);
        var row = list.lastElementChild;
        var number = row.querySelector("[data-formset-number]");
        if (number) { number.textContent = String(index + 1); }
        if (window.htmx) { window.htmx.process(row); }
        var title = row.querySelector("input[name$='-title']");
        if (title) { title.focus(); }
      });
    });
  }

  document.addEventListener("input", function (event) {
    if (!event.target.matches("[data-checklist-search]")) { return; }
    var q = fold(event.target.value.trim());
    var list = event.target.closest("[data-checklist]");
    list.querySelectorAll("[data-checklist-item]").forEach(function (item) {
      item.hidden = q !== "" && fold(item.textContent).indexOf(q) === -1;
    });
  });

  document.addEventListener("change", function (event) {
    var list = event.target.closest("[data-checklist]");
    if (!list || event.target.type !== "checkbox") { return; }
    var out = list.querySelector("[data-checklist-count]");
    if (out) { out.textContent = list.querySelectorAll("[data-checklist-item] input:checked").length; }
  });

  document.addEventListener("DOMContentLoaded", function () { setup(document); });
  document.addEventListener("htmx:load", function (event) { setup(event.target); });
})();
