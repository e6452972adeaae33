// The site's behaviour: draw the plotly figures from their JSON islands, and sort, filter
// (by sector, country and grade) and page the ranking table. Text is never parsed as HTML
// here: rows are built with DOM calls and textContent.
(function () {
  "use strict";

  var PLOTLY_CONFIG = { displaylogo: false, responsive: true };

  // plotly.js (4.8 MB) is loaded after the page's load event, so the table is ready and
  // usable at once and the charts below it follow; <html data-charts="drawn"> marks the end.
  var SCRIPT = document.currentScript;

  function drawCharts() {
    var plots = document.querySelectorAll("[data-figure]");
    var drawn = Array.prototype.map.call(plots, function (plot) {
      var source = document.getElementById(plot.getAttribute("data-figure"));
      var figure = JSON.parse(source.textContent);
      return Plotly.newPlot(plot, figure.data, figure.layout, PLOTLY_CONFIG);
    });
    Promise.all(drawn).then(function () {
      document.documentElement.setAttribute("data-charts", "drawn");
    });
  }

  function loadCharts() {
    if (!document.querySelector("[data-figure]")) {
      return;
    }
    var script = document.createElement("script");
    script.src = SCRIPT.src.replace(/site\.js$/, "plotly.min.js");
    script.addEventListener("load", drawCharts);
    document.body.appendChild(script);
  }

  // The ranking: every row of the year is in the page's JSON data; the table shows one
  // page of the sorted and filtered rows, built with DOM calls (text is never parsed as
  // HTML). The rows the server wrote are the first page of the same data, built alike.
  var COMPANY_COLUMN = 1;

  function cellValue(cell) {
    return typeof cell === "string" ? cell : cell[0];
  }

  function cellText(cell) {
    return typeof cell === "string" ? cell : cell[1];
  }

  function sortKey(item, column, type) {
    var raw = cellValue(item.cells[column]);
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

  function Ranking(table, form, pager, data) {
    this.table = table;
    this.headers = table.tHead.rows[0].cells;
    this.pageRows = parseInt(table.getAttribute("data-page-rows"), 10);
    this.pager = pager;
    this.form = form;
    this.order = data.map(function (row) {
      return {
        company: row[0],
        page: row[1],
        sector: row[2],
        country: row[3],
        grade: row[4],
        cells: row[5]
      };
    });
    this.shown = this.order;
    this.first = 0;
    this.showAll = false;
  }

  Ranking.prototype.buildRow = function (item) {
    var row = document.createElement("tr");
    row.setAttribute("data-company", item.company);
    row.setAttribute("data-sector", item.sector);
    row.setAttribute("data-country", item.country);
    row.setAttribute("data-grade", item.grade);
    var headers = this.headers;
    item.cells.forEach(function (cell, column) {
      var element;
      if (column === COMPANY_COLUMN) {
        element = document.createElement("th");
        element.setAttribute("scope", "row");
        var link = document.createElement("a");
        link.setAttribute("href", item.page);
        link.textContent = cellText(cell);
        element.appendChild(link);
      } else {
        element = document.createElement("td");
        var css = headers[column].getAttribute("data-cell-class");
        if (css) {
          element.className = css;
        }
        element.textContent = cellText(cell);
      }
      element.setAttribute("data-value", cellValue(cell));
      row.appendChild(element);
    });
    return row;
  };

  Ranking.prototype.last = function () {
    var total = this.shown.length;
    return this.showAll ? total : Math.min(total, this.first + this.pageRows);
  };

  Ranking.prototype.render = function () {
    var fragment = document.createDocumentFragment();
    for (var k = this.first; k < this.last(); k += 1) {
      fragment.appendChild(this.buildRow(this.shown[k]));
    }
    var body = this.table.tBodies[0];
    body.textContent = "";
    body.appendChild(fragment);
    this.status();
  };

  Ranking.prototype.status = function () {
    var total = this.shown.length;
    var last = this.last();
    var count = this.form && this.form.querySelector("#shown");
    if (count) {
      count.textContent = String(total);
    }
    if (this.pager) {
      this.pager.querySelector("#page-rows").textContent = total
        ? "Rows " + (this.first + 1) + "–" + last + " of " + total
        : "No rows";
      this.pager.querySelector("[data-page=previous]").disabled = this.first === 0;
      this.pager.querySelector("[data-page=next]").disabled = last >= total;
      this.pager.querySelector("[data-page=all]").disabled = this.showAll || total <= this.pageRows;
    }
  };

  Ranking.prototype.sortBy = function (column) {
    var header = this.headers[column];
    var type = header.getAttribute("data-type");
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(this.headers, function (other) {
      other.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var keyed = this.order.map(function (item, index) {
      return { item: item, index: index, key: sortKey(item, column, type) };
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
    this.order = keyed.map(function (entry) {
      return entry.item;
    });
    this.filter();
  };

  Ranking.prototype.filter = function () {
    var selects = this.form ? this.form.querySelectorAll("select[data-filter]") : [];
    var wanted = Array.prototype.map.call(selects, function (select) {
      return { field: select.getAttribute("data-filter"), value: select.value };
    });
    this.shown = this.order.filter(function (item) {
      return wanted.every(function (want) {
        return want.value === "" || item[want.field] === want.value;
      });
    });
    this.first = 0;
    this.render();
  };

  Ranking.prototype.turn = function (where) {
    if (where === "all") {
      this.showAll = true;
      this.first = 0;
    } else if (where === "next") {
      if (this.first + this.pageRows < this.shown.length) {
        this.first += this.pageRows;
      }
    } else {
      this.first = Math.max(this.first - this.pageRows, 0);
    }
    this.render();
  };

  Ranking.prototype.setUp = function () {
    var ranking = this;
    Array.prototype.forEach.call(this.headers, function (header, column) {
      var button = header.querySelector("button");
      if (button) {
        button.addEventListener("click", function () {
          ranking.sortBy(column);
        });
      }
    });
    if (this.form) {
      this.form.querySelectorAll("select[data-filter]").forEach(function (select) {
        select.addEventListener("change", function () {
          ranking.filter();
        });
      });
      this.form.addEventListener("submit", function (event) {
        event.preventDefault();
      });
    }
    if (this.pager) {
      this.pager.querySelectorAll("button[data-page]").forEach(function (button) {
        button.addEventListener("click", function () {
          ranking.turn(button.getAttribute("data-page"));
        });
      });
      this.pager.hidden = this.order.length <= this.pageRows;
      this.status();
    }
    // On paper the whole table is printed, in the order and filter chosen.
    window.addEventListener("beforeprint", function () {
      if (!ranking.showAll && ranking.shown.length > ranking.pageRows) {
        ranking.turn("all");
      }
    });
  };

  var table = document.getElementById("ranking");
  var source = document.getElementById("ranking-data");
  if (table && source) {
    new Ranking(
      table,
      document.querySelector("form.filters"),
      document.querySelector("nav.pager"),
      JSON.parse(source.textContent)
    ).setUp();
  }
  // On paper the data behind each chart is shown in full.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.chart-data").forEach(function (details) {
      details.open = true;
    });
  });
  if (document.readyState === "complete") {
    loadCharts();
  } else {
    window.addEventListener("load", loadCharts);
  }
})();
