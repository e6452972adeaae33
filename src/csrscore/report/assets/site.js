// The site's behaviour: draw the plotly figures from their JSON islands, sort the ranking
// table by any column, and filter it by sector, country and grade. Text is never parsed as
// HTML here: rows are moved and hidden, never rebuilt.
(function () {
  "use strict";

  var PLOTLY_CONFIG = { displaylogo: false, responsive: true };

  function drawCharts() {
    if (typeof Plotly === "undefined") {
      return;
    }
    document.querySelectorAll("[data-figure]").forEach(function (plot) {
      var source = document.getElementById(plot.getAttribute("data-figure"));
      var figure = JSON.parse(source.textContent);
      Plotly.newPlot(plot, figure.data, figure.layout, PLOTLY_CONFIG);
    });
  }

  function sortKey(cell, type) {
    var raw = cell.getAttribute("data-value");
    if (raw === null) {
      raw = cell.textContent;
    }
    if (type === "number") {
      return raw === "" ? NaN : parseFloat(raw);
    }
    return raw;
  }

  function compareKeys(a, b, type) {
    if (type === "number") {
      return a - b;
    }
    return a.localeCompare(b);
  }

  function missing(key, type) {
    return type === "number" ? isNaN(key) : key === "";
  }

  function sortBy(table, headers, column) {
    var header = headers[column];
    var type = header.getAttribute("data-type");
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(headers, function (other) {
      other.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var keyed = Array.prototype.map.call(body.rows, function (row, index) {
      return { row: row, index: index, key: sortKey(row.cells[column], type) };
    });
    keyed.sort(function (a, b) {
      // Missing values (N/A) go last whichever the direction; ties keep their order.
      var aMissing = missing(a.key, type);
      var bMissing = missing(b.key, type);
      if (aMissing || bMissing) {
        return aMissing === bMissing ? a.index - b.index : aMissing ? 1 : -1;
      }
      var order = compareKeys(a.key, b.key, type);
      return order === 0 ? a.index - b.index : ascending ? order : -order;
    });
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (item) {
      fragment.appendChild(item.row);
    });
    body.appendChild(fragment);
  }

  function setUpSorting(table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (header, column) {
      var button = header.querySelector("button");
      if (button) {
        button.addEventListener("click", function () {
          sortBy(table, headers, column);
        });
      }
    });
  }

  function setUpFilters(form, table) {
    var selects = form.querySelectorAll("select[data-filter]");
    var shown = form.querySelector("#shown");
    function apply() {
      var count = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var keep = Array.prototype.every.call(selects, function (select) {
          var field = select.getAttribute("data-filter");
          return select.value === "" || row.getAttribute("data-" + field) === select.value;
        });
        row.hidden = !keep;
        count += keep ? 1 : 0;
      });
      shown.textContent = String(count);
    }
    selects.forEach(function (select) {
      select.addEventListener("change", apply);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
  }

  var table = document.getElementById("ranking");
  if (table) {
    setUpSorting(table);
    var form = document.querySelector("form.filters");
    if (form) {
      setUpFilters(form, table);
    }
  }
  // On paper the data behind each chart is shown in full.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.chart-data").forEach(function (details) {
      details.open = true;
    });
  });
  drawCharts();
})();
