// The agenda rows of the meeting form: add a row, move a row up or down (its number follows),
// remove a row. Without JavaScript the page has blank rows, the numbers and the "Bỏ" boxes.
(function () {
  var box = document.querySelector("[data-agenda]");
  if (!box) { return; }
  var list = box.querySelector("[data-agenda-rows]");
  var template = box.querySelector("[data-agenda-template]");
  var total = box.querySelector("input[name$='-TOTAL_FORMS']");
  var max = box.querySelector("input[name$='-MAX_NUM_FORMS']");

  function rows() { return Array.prototype.slice.call(list.querySelectorAll("[data-agenda-row]")); }

  function filled(row) {
    var title = row.querySelector("input[name$='-title']");
    var id = row.querySelector("input[name$='-id']");
    return (title && title.value.trim() !== "") || (id && id.value !== "");
  }

  // Number the rows that hold an item 1, 2, 3… in the order shown; blank rows keep no number.
  function renumber() {
    var n = 0;
    rows().forEach(function (row) {
      var position = row.querySelector("input[name$='-position']");
      if (!position) { return; }
      position.value = filled(row) && !row.hidden ? String(++n) : "";
    });
  }

  function show(row) {
    row.querySelectorAll("[data-agenda-up],[data-agenda-down]").forEach(function (b) { b.hidden = false; });
  }

  rows().forEach(show);
  var add = box.querySelector("[data-agenda-add]");
  add.hidden = false;

  add.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) { return; }
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    list.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = rows()[rows().length - 1];
    show(row);
    row.querySelector("input[name$='-title']").focus();
  });

  list.addEventListener("click", function (event) {
    var up = event.target.closest("[data-agenda-up]");
    var down = event.target.closest("[data-agenda-down]");
    if (!up && !down) { return; }
    var row = event.target.closest("[data-agenda-row]");
    if (up && row.previousElementSibling) { list.insertBefore(row, row.previousElementSibling); }
    if (down && row.nextElementSibling) { list.insertBefore(row.nextElementSibling, row); }
    renumber();
    (up || down).focus();
  });

  list.addEventListener("change", function (event) {
    if (event.target.matches("[data-agenda-delete]")) {
      event.target.closest("[data-agenda-row]").classList.toggle("opacity-50", event.target.checked);
    }
    if (event.target.matches("input[name$='-title']")) { renumber(); }
  });
})();
