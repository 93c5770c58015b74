// Bar charts of the share satisfied with its 95 % interval, from data-chart on each canvas.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  document.querySelectorAll("canvas.survey-chart[data-chart]").forEach(function (canvas) {
    var data = JSON.parse(canvas.getAttribute("data-chart"));
    if (!data.labels.length) { canvas.classList.add("d-none"); return; }
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: [{ label: data.title, data: data.values, backgroundColor: "#0d6efd" }] },
      options: {
        responsive: true,
        scales: { y: { min: 0, max: 100 } },
        plugins: {
          tooltip: {
            callbacks: {
              afterLabel: function (ctx) {
                return "KTC 95 %: " + data.low[ctx.dataIndex] + "–" + data.high[ctx.dataIndex];
              }
            }
          }
        }
      }
    });
  });
})();
