/* kg map page: draws the network from the embedded JSON and builds tooltips,
 * the details panel and the search from it. Every string from the data reaches
 * the page through textContent or an attribute set from script, never through
 * innerHTML, and only http(s) links become anchors. */
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var TYPE_NAMES = {person: "Person", organisation: "Organisation", place: "Place",
                    agreement: "Agreement", event: "Event", unknown: "Entity"};
  var SIDE_NAMES = {DE: "German side", CN: "Chinese side"};

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function httpUrl(value) {
    if (typeof value !== "string") return null;
    try {
      var url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function line(parent, label, value) {
    if (value === null || value === undefined || value === "" ||
        (Array.isArray(value) && value.length === 0)) return;
    var p = el("p");
    p.appendChild(el("strong", label + ": "));
    p.appendChild(document.createTextNode(Array.isArray(value) ? value.join("; ") : String(value)));
    parent.appendChild(p);
  }

  function nodeInfo(kg, limit) {
    var box = el("div", null, "kg-tip");
    box.appendChild(el("h3", kg.name));
    var kind = TYPE_NAMES[kg.type] || kg.type;
    if (kg.side) kind += " · " + SIDE_NAMES[kg.side] + " (" + kg.country + ")";
    else if (kg.country) kind += " · " + kg.country;
    box.appendChild(el("p", kind, "kg-muted"));
    line(box, "Also called", limit ? kg.aliases.slice(0, limit) : kg.aliases);
    line(box, "Roles", limit ? kg.roles.slice(0, limit) : kg.roles);
    line(box, "Connections", kg.degree);
    if (kg.geonames) line(box, "GeoNames", kg.geonames);
    return box;
  }

  function evidenceItem(item, clickable) {
    var p = el("p", null, "kg-sentence");
    p.appendChild(document.createTextNode("“" + item.sentence + "” — "));
    var href = httpUrl(item.url);
    var source = item.title || item.doc;
    if (item.date) source += " (" + item.date + ")";
    if (href && clickable) {
      var a = el("a", source);
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      p.appendChild(a);
    } else {
      p.appendChild(el("span", source + (href ? " <" + href + ">" : "")));
    }
    return p;
  }

  function edgeInfo(edge, clickable, limit) {
    var kg = edge.kg;
    var box = el("div", null, "kg-tip");
    var a = nodes.get(edge.from), b = nodes.get(edge.to);
    box.appendChild(el("h3", (a ? a.kg.name : edge.from) + " — " + (b ? b.kg.name : edge.to)));
    line(box, "Relation", kg.kinds.join(", "));
    line(box, "Because", kg.why);
    line(box, "Documents", kg.weight);
    if (kg.first) line(box, "Dates", kg.first === kg.last ? kg.first : kg.first + " to " + kg.last);
    var shown = limit ? kg.evidence.slice(0, limit) : kg.evidence;
    shown.forEach(function (item) { box.appendChild(evidenceItem(item, clickable)); });
    var more = kg.more + kg.evidence.length - shown.length;
    if (more > 0) box.appendChild(el("p", "… and " + more + " more sentences" +
                                      (clickable ? "" : " (click the edge)"), "kg-muted"));
    return box;
  }

  data.nodes.forEach(function (n) { n.title = nodeInfo(n.kg, 5); });
  var nodes = new vis.DataSet(data.nodes);
  data.edges.forEach(function (e) { e.title = edgeInfo(e, false, 3); });
  var edges = new vis.DataSet(data.edges);

  var container = document.getElementById("kg-network");
  var status = document.getElementById("kg-status");
  var details = document.getElementById("kg-details");
  var state = {network: null, nodes: nodes, edges: edges, stabilised: false, stabilisedMs: null,
               nodeCount: data.nodes.length, edgeCount: data.edges.length};
  window.kgMap = state;

  state.timings = {prepared: Math.round(performance.now() - started)};
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  state.network = network;
  state.timings.created = Math.round(performance.now() - started);

  function settled() {
    if (state.stabilised) return;
    network.setOptions({physics: {enabled: false}});
    state.stabilised = true;
    state.stabilisedMs = Math.round(performance.now() - started);
    status.textContent = data.nodes.length + " nodes, " + data.edges.length +
      " connections. Click a node or line for details and sources.";
  }
  network.on("stabilizationProgress", function (p) {
    status.textContent = "Laying out the graph… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", settled);
  if (!data.options.physics || !data.options.physics.enabled || data.nodes.length === 0) settled();

  function show(box) {
    while (details.firstChild) details.removeChild(details.firstChild);
    var close = el("button", "Close");
    close.type = "button";
    close.addEventListener("click", function () { details.hidden = true; network.unselectAll(); });
    details.appendChild(close);
    details.appendChild(box);
    details.hidden = false;
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      var node = nodes.get(params.nodes[0]);
      var box = nodeInfo(node.kg, 0);
      var links = network.getConnectedEdges(node.id).map(function (id) { return edges.get(id); });
      if (links.length) box.appendChild(el("h3", "Connections"));
      links.slice(0, 60).forEach(function (e) {
        var other = nodes.get(e.from === node.id ? e.to : e.from);
        box.appendChild(el("p", (other ? other.kg.name : "?") + " — " + e.kg.kinds.join(", ") +
                                " (" + e.kg.weight + " doc.)"));
      });
      show(box);
    } else if (params.edges.length) {
      show(edgeInfo(edges.get(params.edges[0]), true, 0));
    } else {
      details.hidden = true;
    }
  });

  var names = document.getElementById("kg-names");
  var seen = {};
  data.nodes.map(function (n) { return n.kg.name; }).sort().forEach(function (name) {
    if (seen[name]) return;
    seen[name] = true;
    var option = document.createElement("option");
    option.value = name;
    names.appendChild(option);
  });

  function find(text) {
    var wanted = text.trim().toLowerCase();
    if (!wanted) return null;
    var all = nodes.get(), i, n;
    for (i = 0; i < all.length; i++) if (all[i].kg.name.toLowerCase() === wanted) return all[i];
    for (i = 0; i < all.length; i++) {
      n = all[i];
      if (n.kg.aliases.some(function (a) { return a.toLowerCase() === wanted; })) return n;
    }
    var partial = all.filter(function (x) {
      return x.kg.name.toLowerCase().indexOf(wanted) >= 0 ||
             x.kg.aliases.some(function (a) { return a.toLowerCase().indexOf(wanted) >= 0; });
    });
    partial.sort(function (x, y) { return y.kg.degree - x.kg.degree; });
    return partial.length ? partial[0] : null;
  }

  state.focus = function (text) {
    var node = find(text);
    if (!node) {
      status.textContent = "No node matches “" + text + "”.";
      return null;
    }
    network.selectNodes([node.id]);
    network.focus(node.id, {scale: 1.3, animation: {duration: 400, easingFunction: "easeInOutQuad"}});
    show(nodeInfo(node.kg, 0));
    status.textContent = "Found " + node.kg.name + ".";
    return node.id;
  };
  document.getElementById("kg-search").addEventListener("submit", function (event) {
    event.preventDefault();
    state.focus(document.getElementById("kg-search-input").value);
  });
  document.getElementById("kg-fit").addEventListener("click", function () {
    network.unselectAll();
    details.hidden = true;
    network.fit({animation: {duration: 400}});
  });

  /* For screenshots: hide the controls, keep title and legend, fit the graph. */
  state.paperMode = function () {
    document.body.classList.add("kg-paper");
    details.hidden = true;
    network.setOptions({nodes: {font: {size: 18}, scaling: {label: {enabled: true, min: 15, max: 30,
                                                                   drawThreshold: 3, maxVisible: 40}}}});
    network.unselectAll();
    network.redraw();
    network.fit({animation: false});
  };
})();
