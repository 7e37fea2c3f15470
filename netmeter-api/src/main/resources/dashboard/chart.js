// Charts (uPlot, loaded before this module as the global uPlot) and the tables behind them.

import { bitRate } from './format.js';

const HEIGHT = 320;

/** Fills `table` with a caption, a header row and `rows` of cells (text or nodes); numeric columns align right. */
export function fillTable(table, caption, headers, rows) {
  const head = document.createElement('thead');
  const headRow = head.insertRow();
  for (const header of headers) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = header.text;
    if (header.numeric) {
      cell.className = 'number';
    }
    headRow.append(cell);
  }
  const body = document.createElement('tbody');
  for (const row of rows) {
    const tableRow = body.insertRow();
    if (row.className) {
      tableRow.className = row.className;
    }
    (row.cells ?? row).forEach((value, index) => {
      const cell = tableRow.insertCell();
      cell.append(value ?? '');
      if (headers[index]?.numeric) {
        cell.className = 'number';
      }
    });
  }
  const title = document.createElement('caption');
  title.textContent = caption;
  table.replaceChildren(title, head, body);
}

/** A distinct, readable color per series (golden-angle hues). */
function color(index) {
  return `hsl(${Math.round((index * 137.508) % 360)} 70% 45%)`;
}

/**
 * A line chart of rates over time in `container`, replacing what it held; resolves once it is drawn.
 * @param x step starts, epoch seconds
 * @param series [{name, values}] with one value (bit/s) per step
 */
export function lineChart(container, x, series) {
  container.chart?.destroy();
  container.chart = null;
  container.replaceChildren();
  if (!x.length || !series.length) {
    container.textContent = 'No usage in this range.';
    return Promise.resolve();
  }
  const options = {
    width: Math.max(container.clientWidth, 320),
    height: HEIGHT,
    scales: { x: { time: true } },
    series: [
      { label: 'Time' },
      ...series.map((one, index) => ({
        label: one.name,
        stroke: color(index),
        width: 1,
        points: { show: false },
        value: (chart, value) => (value == null ? '–' : bitRate(value)),
      })),
    ],
    axes: [{}, { size: 90, values: (chart, splits) => splits.map(bitRate) }],
    legend: { live: false },
  };
  const drawn = new Promise((resolve) => {
    options.hooks = { draw: [resolve] };
  });
  container.chart = new globalThis.uPlot(options, [x, ...series.map((one) => one.values)], container);
  if (!container.resizing) {
    container.resizing = new ResizeObserver(() =>
      container.chart?.setSize({ width: Math.max(container.clientWidth, 320), height: HEIGHT }));
    container.resizing.observe(container);
  }
  return drawn;
}
