// Target charts: data comes from the json_script element; no inline script (strict CSP).
(function () {
  const node = document.getElementById("cert-chart-data");
  if (!node || typeof Chart === "undefined") return;
  const data = JSON.parse(node.textContent);
  const bar = (id, labels, share, target) => {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: labels,
        datasets: [
          { label: data.label_share, data: share, backgroundColor: "#1f6f43" },
          { label: data.label_target, data: target, type: "line", borderColor: "#b02a37", backgroundColor: "#b02a37" },
        ],
      },
      options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, max: 100 } } },
    });
  };
  bar("cert-target-chart", data.labels, data.share, data.target);
  bar("cert-year-chart", data.years, data.year_share, data.year_target);
})();
