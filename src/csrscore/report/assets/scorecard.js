// A scorecard's groups, criteria, adjustments and improvement path, drawn from the page's
// data (#scorecard-data: this company-year) and assets/rubric.js (what every scorecard of
// the rubric shares); see csrscore/report/carddata.py for the layout of both. Text is
// never parsed as HTML here: every element is built with DOM calls and textContent.
(function () {
  "use strict";

  var source = document.getElementById("scorecard-data");
  var rubric = window.CSRSCORE_RUBRIC;
  if (!source || !rubric) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var DEEPEST = 8; // deeper lines share the last indentation step of the style sheet

  // Python's f"{round(x, 9):.{d}f}" (csrscore.precision.display_number): round half to
  // even on the exact value of the float, and a minus sign kept on a negative zero.
  function fixed(x, places) {
    if (!isFinite(x)) {
      return isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
    }
    var negative = x < 0 || (x === 0 && 1 / x < 0);
    var exact = Math.abs(x).toFixed(100);
    var point = exact.indexOf(".");
    var digits = exact.slice(0, point) + exact.slice(point + 1, point + 1 + places);
    var rest = exact.slice(point + 1 + places);
    var last = digits.charCodeAt(digits.length - 1) - 48;
    var up = rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || last % 2 === 1));
    if (up) {
      var carried = digits.split("");
      var k = carried.length - 1;
      while (k >= 0 && carried[k] === "9") {
        carried[k] = "0";
        k -= 1;
      }
      if (k < 0) {
        carried.unshift("1");
      } else {
        carried[k] = String.fromCharCode(carried[k].charCodeAt(0) + 1);
      }
      digits = carried.join("");
    }
    var whole = digits.slice(0, digits.length - places) || "0";
    var text = places ? whole + "." + digits.slice(digits.length - places) : whole;
    return (negative ? "-" : "") + text;
  }

  function number(x, places) {
    return x === null || x === undefined ? "—" : fixed(Number(fixed(x, 9)), places);
  }
  window.CSRSCORE_NUMBER = number; // for the tests, which compare it with Python's

  function element(tag, text, css) {
    var made = document.createElement(tag);
    if (text !== undefined && text !== null) {
      made.textContent = text;
    }
    if (css) {
      made.className = css;
    }
    return made;
  }

  function append(parent) {
    for (var k = 1; k < arguments.length; k += 1) {
      var child = arguments[k];
      parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return parent;
  }

  // A number shown rounded, with the explanation's own value in data-value.
  function valued(tag, x, places, css) {
    var made = element(tag, number(x, places), css);
    made.setAttribute("data-value", x === null ? "" : String(x));
    return made;
  }

  function cell(x, places, withValue) {
    return withValue ? valued("td", x, places, "num") : element("td", number(x, places), "num");
  }

  function groups() {
    var body = document.getElementById("group-rows");
    rubric.groups.forEach(function (group, k) {
      var g = data.groups[k];
      var row = element("tr", null, "depth-" + Math.min(group[2], DEEPEST));
      row.id = "group-" + group[0];
      var heading = element("th", group[1]);
      heading.setAttribute("scope", "row");
      append(
        row,
        heading,
        cell(g[0], 1, true),
        element("td", number(g[1], 2) + " / " + number(g[2], 2), "num"),
        cell(g[3] * 100, 1, false),
        cell(g[4], 2, true),
        element("td", String(g[5]), "num")
      );
      body.appendChild(row);
    });
  }

  function line(depth, text, passed) {
    var item = element("li", null, "depth-" + Math.min(depth, DEEPEST));
    if (passed !== null) {
      item.className += passed ? " pass" : " fail";
      append(item, element("span", passed ? "met" : "not met", "mark"), " ");
    }
    return append(item, text);
  }

  // The lines of one level's trace: the rubric's heads with this company's tails.
  function traceLines(heads, nodes) {
    var list = element("ul", null, "trace");
    heads.forEach(function (head, k) {
      list.appendChild(line(head[0], head[1] + data.tails[nodes[k] >> 1], (nodes[k] & 1) === 1));
    });
    return list;
  }

  function plainLines(lines) {
    var list = element("ul", null, "trace");
    lines.forEach(function (l) {
      list.appendChild(line(l[0], l[1], l[2]));
    });
    return list;
  }

  function evidence(fields) {
    var table = element("table", null, "evidence");
    append(table, element("caption", "Disclosures used"));
    var head = append(element("thead"), element("tr"));
    ["Field", "Value", "Evidence"].forEach(function (title) {
      var th = element("th", title);
      th.setAttribute("scope", "col");
      head.firstChild.appendChild(th);
    });
    var body = element("tbody");
    fields.forEach(function (field) {
      var d = data.disclosures[field];
      var name = element("th");
      name.setAttribute("scope", "row");
      append(name, element("code", field));
      var value = element("td", d[0]);
      if (d[1]) {
        append(value, " ", element("span", "assured", "tag"));
      }
      append(body, append(element("tr"), name, value, where(d)));
    });
    return append(table, head, body);
  }

  function where(d) {
    var place = element("td");
    var parts = [];
    if (d[2] !== undefined && d[2] !== null) {
      parts.push(document.createTextNode("page " + d[2]));
    }
    if (d[3]) {
      parts.push(element("q", d[3]));
    }
    if (d[4]) {
      var url;
      if (d[5]) {
        url = element("a", d[4], "evidence-url");
        url.setAttribute("href", d[5]);
        url.setAttribute("rel", "noopener noreferrer nofollow");
      } else {
        url = element("span", d[4], "evidence-url inert");
      }
      parts.push(url);
    }
    if (!parts.length) {
      place.textContent = "—";
    }
    parts.forEach(function (part, k) {
      if (k) {
        place.appendChild(document.createTextNode(" "));
      }
      place.appendChild(part);
    });
    return place;
  }

  function criterion(shared, c) {
    var section = element("section", null, "criterion");
    section.id = "criterion-" + shared.id;
    append(section, append(element("h3", shared.title + " "), element("code", shared.id)));
    var level = c[0];
    if (c[6]) {
      var because = append(
        element("p"),
        element("strong", "Not applicable"),
        " (rule of ",
        element("code", c[6][0]),
        ")."
      );
      append(section, because);
      if (c[6][1].length) {
        section.appendChild(plainLines(c[6][1]));
      }
      return section;
    }
    var label = level < shared.labels.length ? shared.labels[level] : null;
    var points = append(element("p", null, "points"), valued("span", c[1], 2));
    points.appendChild(document.createTextNode(" of " + shared.max + " points"));
    if (shared.kind === "levels") {
      points.appendChild(document.createTextNode(", level " + level));
      if (label && label[0]) {
        append(points, ": ", element("strong", label[0]));
      }
    }
    append(points, "; adds ", valued("span", c[2], 2), " to the total.");
    section.appendChild(points);
    if (label && label[1]) {
      section.appendChild(element("p", label[1], "level-text"));
    }
    if (c[5] !== undefined && c[5] !== null) {
      append(section, append(element("p", "Scored on "), element("code", shared.scored), ": " + c[5] + "."));
    }
    if (shared.rungs.length) {
      var ladder = element("ol", null, "levels");
      shared.rungs.forEach(function (rung, k) {
        var holds = c[3][k] === "1";
        var item = element("li", rung + (holds ? " — holds" : " — does not hold"), holds ? "pass" : "fail");
        // The traces of the level reached and of the next one (what is missing).
        if (k + 1 === level || k === level) {
          item.appendChild(traceLines(shared.heads[k], c[4][k]));
        }
        ladder.appendChild(item);
      });
      section.appendChild(ladder);
    }
    var shown = shared.fields.filter(function (field) {
      return Object.prototype.hasOwnProperty.call(data.disclosures, field);
    });
    if (shown.length) {
      section.appendChild(evidence(shown));
    }
    return section;
  }

  function criteria() {
    var section = document.getElementById("criteria");
    rubric.criteria.forEach(function (shared, k) {
      section.appendChild(criterion(shared, data.criteria[k]));
    });
  }

  function adjustments() {
    var section = document.getElementById("adjustments");
    if (!data.adjustments.length) {
      section.appendChild(element("p", "None."));
      return;
    }
    var table = element("table", null, "adjustments");
    var head = append(element("thead"), element("tr"));
    ["Adjustment", "Applies", "Effect on the total", "Records"].forEach(function (title) {
      var th = element("th", title);
      th.setAttribute("scope", "col");
      head.firstChild.appendChild(th);
    });
    var body = element("tbody");
    data.adjustments.forEach(function (a) {
      var name = append(element("th", a[0] + " "), element("code", a[1]));
      name.setAttribute("scope", "row");
      append(
        body,
        append(
          element("tr"),
          name,
          element("td", a[2] ? "yes" : "no"),
          valued("td", a[3], 2, "num"),
          element("td", a[4].join(", ") || "—")
        )
      );
    });
    section.appendChild(append(table, head, body));
  }

  // A missing test's lines: the node and its children, from depth 0, as the explanation's
  // `missing` entry reads in words ("not: " before a test that must not hold).
  function missingLines(shared, c, ref) {
    var heads = shared.heads[ref[0]];
    var nodes = data.criteria[c][4][ref[0]];
    var top = heads[ref[1]][0];
    var list = element("ul", null, "trace");
    for (var k = ref[1]; k < heads.length && (k === ref[1] || heads[k][0] > top); k += 1) {
      var text = heads[k][1] + data.tails[nodes[k] >> 1];
      if (k === ref[1] && ref[2] && heads[k][2]) {
        text = "not: " + text;
      }
      list.appendChild(line(heads[k][0] - top, text, (nodes[k] & 1) === 1));
    }
    return list;
  }

  function improvements() {
    var section = document.getElementById("improvements");
    if (!data.improvements.length) {
      section.appendChild(element("p", "Nothing left to gain."));
    } else {
      var list = element("ol", null, "improvements");
      data.improvements.forEach(function (step) {
        var shared = rubric.criteria[step[0]];
        var item = append(
          element("li"),
          element("strong", shared.title),
          " ",
          element("code", shared.id),
          ": +",
          valued("span", step[1], 2),
          " to the total at the next level, +" + number(step[2], 2) + " at the top."
        );
        if (step[3] === "value") {
          append(item, append(element("p", "Disclose a better value for "), element("code", shared.scored), "."));
        } else {
          step[3].forEach(function (ref) {
            item.appendChild(missingLines(shared, step[0], ref));
          });
        }
        list.appendChild(item);
      });
      section.appendChild(list);
    }
    if (data.behind.length) {
      var behind = element("p", "Behind most sector peers on: ");
      data.behind.forEach(function (b, k) {
        append(behind, element("code", b[0]), " (" + b[1] + " of " + b[2] + " ahead)");
        behind.appendChild(document.createTextNode(k + 1 < data.behind.length ? ", " : "."));
      });
      section.appendChild(behind);
    }
  }

  // The peer chart: the rubric's figure with this page's title and numbers, written into
  // the JSON island that site.js draws (after the load event), and the table behind it.
  function peers() {
    var island = document.getElementById("figure-peers");
    var figure = rubric.peers;
    var company = [];
    rubric.groups.forEach(function (group, k) {
      if (group[2] === 0) {
        company.push(data.groups[k][0]);
      }
    });
    var columns = [company, data.peers.median, data.peers.best];
    figure.data.forEach(function (trace, k) {
      trace.y = columns[k];
    });
    figure.layout.title.text = data.peers.title;
    island.textContent = JSON.stringify(figure);
    var body = document.getElementById("peer-rows");
    var k = 0;
    rubric.groups.forEach(function (group) {
      if (group[2] !== 0) {
        return;
      }
      var title = element("th", group[1]);
      title.setAttribute("scope", "row");
      append(
        body,
        append(
          element("tr"),
          title,
          element("td", number(company[k], 1)),
          element("td", number(data.peers.median[k], 1)),
          element("td", number(data.peers.best[k], 1))
        )
      );
      k += 1;
    });
  }

  peers();
  groups();
  criteria();
  adjustments();
  improvements();
  document.documentElement.setAttribute("data-scorecard", "drawn");
})();
