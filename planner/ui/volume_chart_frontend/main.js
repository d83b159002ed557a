// Read-out cards and a plotly chart over query volume whose "your volume" marker and cards move in the
// browser as the slider below it moves; Python is told the new volume afterwards (for the link, the other
// pages and everything else that reads it). Everything is drawn inside this frame: nothing outside it is
// read or written. Streamlit's component protocol (v1) in plain JavaScript: componentReady → render(args)
// → setComponentValue / setFrameHeight.
//
// args (planner/ui/volume_chart.py): spec (the figure's JSON), spec_id (the figure without its marker:
// equal ids need no redraw), config, steps [{q, label, caption, cards: [{value, delta, tone, arrow}],
// shape, annotation, trace}], index (Python's step), marker {shape, annotation, trace: indices in the
// figure}, card_labels, card_help (each card's tooltip at Python's step), colors {worse, better, off},
// label, help.
"use strict";

const plot = document.getElementById("plot");
const slider = document.getElementById("volume");
const output = document.getElementById("volume-value");
const label = document.getElementById("volume-label");

let data = null; // the last args
let specId = null; // the figure drawn
let drawnQ = null; // the volume the drawn marker is at
let clientQ = null; // the volume shown (the slider's)
let lastSent = null;
let moves = 0;
const moving = new Set(); // volumes this side moved from or sent, Python not yet caught up
let frameHeight = 0;

function post(type, extra) {
  window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type: type }, extra), "*");
}

function stepIndex(q) {
  const steps = data.steps;
  for (let i = 0; i < steps.length; i++) if (steps[i].q === q) return i;
  return -1;
}

function showReadouts(step) {
  document.getElementById("caption").textContent = step.caption || "";
  const box = document.getElementById("cards");
  const atPython = step.q === data.steps[data.index].q; // the tooltips speak of Python's volume
  while (box.children.length > step.cards.length) box.removeChild(box.lastChild);
  step.cards.forEach(function (c, i) {
    let card = box.children[i];
    if (!card) {
      card = document.createElement("div");
      card.className = "card";
      card.setAttribute("role", "listitem");
      card.setAttribute("data-testid", "volumeCard");
      for (const part of ["label", "value", "delta"]) {
        const el = document.createElement("div");
        el.className = "card-" + part;
        el.setAttribute("data-testid", "volumeCard" + part[0].toUpperCase() + part.slice(1));
        card.appendChild(el);
      }
      box.appendChild(card);
    }
    const [label, value, delta] = card.children;
    label.textContent = data.card_labels[i];
    const help = atPython ? data.card_help[i] : "";
    if (help) card.title = help; else card.removeAttribute("title");
    value.textContent = c.value;
    const rising = c.delta && !c.delta.startsWith("-");
    delta.textContent = c.delta ? (c.arrow ? (rising ? "↑ " : "↓ ") : "") + c.delta : "";
    delta.style.color = data.colors[c.tone] || "";
  });
}

function moveMarker(step) {
  const m = data.marker;
  const layout = {};
  if (m.shape !== null) {
    const s = "shapes[" + m.shape + "].";
    layout[s + "visible"] = !!step.shape;
    if (step.shape) {
      layout[s + "x0"] = step.shape.x0;
      layout[s + "x1"] = step.shape.x1;
    }
  }
  if (m.annotation !== null) {
    const a = "annotations[" + m.annotation + "].";
    layout[a + "visible"] = !!step.annotation;
    if (step.annotation) {
      for (const k of ["x", "xanchor", "xshift", "text"]) layout[a + k] = step.annotation[k];
    }
  }
  if (m.trace !== null) {
    const t = step.trace;
    const restyle = t ? { x: [t.x], y: [t.y], text: [t.text], visible: [true] } : { visible: [false] };
    Plotly.update(plot, restyle, layout, [m.trace]);
  } else {
    Plotly.relayout(plot, layout);
  }
  drawnQ = step.q;
}

function showSlider(i) {
  const step = data.steps[i];
  slider.max = String(data.steps.length - 1);
  slider.value = String(i);
  slider.setAttribute("aria-valuetext", step.label);
  output.textContent = step.label;
}

function show(i) {
  const step = data.steps[i];
  clientQ = step.q;
  showSlider(i);
  if (drawnQ !== step.q) moveMarker(step);
  showReadouts(step);
}

function fitFrame() {
  const h = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (h !== frameHeight) {
    frameHeight = h;
    post("streamlit:setFrameHeight", { height: h });
  }
}

function themed(layout, theme) {
  // what Streamlit's own plotly element adds: axes that make room for their labels, the app's font
  for (const k of Object.keys(layout)) {
    if (/^[xy]axis\d*$/.test(k) && layout[k].automargin === undefined) layout[k].automargin = true;
  }
  if (theme) {
    layout.font = Object.assign({ family: theme.font, color: theme.textColor }, layout.font || {});
    document.body.style.color = theme.textColor;
    document.body.style.fontFamily = theme.font;
    slider.style.accentColor = theme.primaryColor;
  }
  return layout;
}

function onRender(args, theme) {
  data = args;
  label.textContent = args.label;
  if (args.help) label.title = args.help;
  const pyQ = args.steps[args.index].q;
  if (moving.has(pyQ) && pyQ !== lastSent) {
    // a rerun from before the last move: keep what the slider shows
  } else {
    moving.clear();
    clientQ = pyQ;
  }
  let i = stepIndex(clientQ);
  if (i < 0) {
    i = args.index;
    clientQ = pyQ;
  }
  if (args.spec_id !== specId) {
    const fig = JSON.parse(args.spec);
    const config = Object.assign({ responsive: true }, args.config);
    Plotly.react(plot, fig.data, themed(fig.layout, theme), config);
    specId = args.spec_id;
    drawnQ = pyQ;
    fitFrame();
  }
  show(i);
  fitFrame();
}

slider.addEventListener("input", function () {
  if (!data) return;
  const before = clientQ;
  show(Number(slider.value));
  if (before !== clientQ) moving.add(before);
});

slider.addEventListener("change", function () {
  if (!data) return;
  const q = data.steps[Number(slider.value)].q;
  moving.add(q);
  lastSent = q;
  // after the marker and the read-outs are painted
  requestAnimationFrame(function () {
    setTimeout(function () { post("streamlit:setComponentValue", { value: { q: q, n: Date.now() * 1000 + (++moves % 1000) }, dataType: "json" }); }, 0);
  });
});

function validArgs(args) {
  // the shape planner/ui/volume_chart.py sends; anything else is not a render of this chart
  return (
    args !== null && typeof args === "object" && typeof args.spec === "string" &&
    Array.isArray(args.steps) && args.steps.length > 0 &&
    args.steps.every(function (s) { return s !== null && typeof s === "object" && typeof s.q === "number" && Array.isArray(s.cards); }) &&
    Number.isInteger(args.index) && args.index >= 0 && args.index < args.steps.length
  );
}

window.addEventListener("message", function (event) {
  // Only the page that holds this frame (Streamlit) renders it; a malformed or foreign message is ignored
  // and the last good chart stays (one once stopped the chart until the page was reloaded).
  if (event.source !== window.parent) return;
  const msg = event.data;
  if (!msg || msg.type !== "streamlit:render" || !validArgs(msg.args)) return;
  const last = data;
  try {
    onRender(msg.args, msg.theme);
  } catch (e) {
    data = last; // keep answering the slider with the last good steps
  }
});
window.addEventListener("resize", fitFrame);
new ResizeObserver(fitFrame).observe(document.body); // the cards wrap on a narrow page
post("streamlit:componentReady", { apiVersion: 1 });
