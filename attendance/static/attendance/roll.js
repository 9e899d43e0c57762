// The roll (điểm danh): a tap on "Có mặt" or "Có mặt trực tuyến" saves the row at once; "Vắng mặt"
// opens the reason and "Dự thay" the substitute's name and position, and the row saves as soon as
// what it needs is typed (when the field is left, or on Enter). Without JavaScript, "Lưu" sends
// the row and the page asks for what is missing.
(function () {
  "use strict";

  function value(form, name) {
    var field = form.querySelector("[name=" + name + "]");
    return field ? field.value.trim() : "";
  }

  function complete(form, status) {
    if (status === "absent") { return value(form, "reason") !== ""; }
    if (status === "substitute") {
      return value(form, "substitute_name") !== "" && value(form, "substitute_position") !== "";
    }
    return status !== "";
  }

  function reveal(form, status) {
    var reason = form.querySelector("[data-extra=reason]");
    var substitute = form.querySelector("[data-extra=substitute]");
    if (reason) { reason.hidden = status !== "absent" && status !== "substitute"; }
    if (substitute) { substitute.hidden = status !== "substitute"; }
  }

  function firstEmpty(form, status) {
    var names = status === "substitute" ? ["substitute_name", "substitute_position"] : ["reason"];
    for (var i = 0; i < names.length; i += 1) {
      var field = form.querySelector("[name=" + names[i] + "]");
      if (field && field.value.trim() === "") { return field; }
    }
    return null;
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-roll]");
    if (!form) { return; }
    var checked = form.querySelector("input[name=status]:checked");
    var status = checked ? checked.value : "";
    if (event.target.name === "status") {
      reveal(form, status);
      if (complete(form, status)) {
        form.requestSubmit();
      } else {
        var empty = firstEmpty(form, status);
        if (empty) { empty.focus(); }
      }
      return;
    }
    if ((status === "absent" || status === "substitute") && complete(form, status)) {
      form.requestSubmit();
    }
  });
})();
