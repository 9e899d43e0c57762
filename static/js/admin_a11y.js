// Names the admin's autocomplete boxes for screen readers.
// Django's admin draws them with select2, which labels its combobox by the selected text only, so
// an empty box has no accessible name: the field's <label> points at the hidden <select>. This
// points the combobox at that label too, whenever select2 draws a box (on page load, or when a new
// inline row is added), by watching the page for the boxes it inserts.
(function () {
  "use strict";

  function nameBox(container) {
    var select = container.previousElementSibling;
    var box = container.querySelector(".select2-selection");
    if (!select || !select.id || !box) {
      return;
    }
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (!label) {
      return;
    }
    if (!label.id) {
      label.id = select.id + "-label";
    }
    // The box reads as "<label> <chosen value>"; the text inside it as the label alone.
    var rendered = box.querySelector(".select2-selection__rendered");
    if (rendered && rendered.id) {
      rendered.setAttribute("aria-labelledby", label.id);
      box.setAttribute("aria-labelledby", label.id + " " + rendered.id);
    } else {
      box.setAttribute("aria-labelledby", label.id);
    }
  }

  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(function (node) {
        if (node.nodeType === 1 && node.classList.contains("select2-container")) {
          nameBox(node);
        }
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
