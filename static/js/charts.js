// Charts of the reports (S3), drawn with Chart.js from the JSON beside each canvas. The table next
// to every chart holds the same figures, so the page reads the same without JavaScript or sight.
(function () {
  var palette = ["#1f4e79", "#2e86c1", "#28b463", "#f39c12", "#c0392b", "#8e44ad", "#16a085", "#7f8c8d", "#d35400", "#2c3e50"];
  function number(value) { return new Intl.NumberFormat(document.documentElement.lang || "vi").format(value); }
  function longLabels(labels) {
    // Unit names read better along a horizontal bar; months stay on a vertical axis.
    var total = labels.reduce(function (sum, label) { return sum + label.length; }, 0);
    return labels.length > 3 && total / labels.length > 10;
  }
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    var round = data.type === "doughnut";
    var config = {
      type: data.type,
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series, i) {
          return {
            label: series.label,
            data: series.data,
            backgroundColor: round ? palette : palette[i % palette.length],
            borderColor: round ? "#fff" : palette[i % palette.length]
          };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: true,
        aspectRatio: round ? 1.6 : 1.3,
        animation: false,
        indexAxis: !round && longLabels(data.labels) ? "y" : "x",
        plugins: {
          legend: { display: round || data.series.length > 1, position: "bottom" },
          tooltip: { callbacks: { label: function (ctx) { return (ctx.dataset.label ? ctx.dataset.label + ": " : "") + number(ctx.parsed.x !== undefined && ctx.chart.options.indexAxis === "y" ? ctx.parsed.x : (round ? ctx.parsed : ctx.parsed.y)); } } }
        },
        scales: round ? {} : { x: { ticks: { precision: 0 } }, y: { ticks: { precision: 0 } } }
      }
    };
    canvas.chart = new window.Chart(canvas, config);
    canvas.dataset.drawn = "1";
  }
  function drawAll() { document.querySelectorAll("canvas[data-chart]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); } else { drawAll(); }
})();
