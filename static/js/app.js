// Small behaviours that need no library. Loaded with "defer" on every page.
document.addEventListener("change", function (event) {
  // The language picker submits as soon as a language is chosen.
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.submit();
  }
});

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
