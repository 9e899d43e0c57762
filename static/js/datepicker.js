// The calendar of the date-and-time boxes (input[data-datepicker]), flatpickr from npm. The box
// stays a text box holding dd/mm/yyyy HH:mm, which the server reads: typing works as well.
(function () {
  if (!window.flatpickr) { return; }
  var vietnamese = (document.documentElement.lang || "").toLowerCase().indexOf("vi") === 0;
  var locale = vietnamese && window.flatpickr.l10ns && window.flatpickr.l10ns.vn
    ? window.flatpickr.l10ns.vn : "default";
  // Monday first, as Vietnamese calendars are printed (the Vietnamese locale says so already).
  window.flatpickr.l10ns.default.firstDayOfWeek = 1;
  document.querySelectorAll("input[data-datepicker]").forEach(function (input) {
    window.flatpickr(input, {
      enableTime: true,
      time_24hr: true,
      allowInput: true,
      dateFormat: "d/m/Y H:i",
      minuteIncrement: 5,
      disableMobile: true,
      locale: locale
    });
  });
})();
