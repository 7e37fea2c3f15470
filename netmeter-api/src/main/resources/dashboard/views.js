// What the dashboard shows, each view from the API with the signed-in token: nothing else is shown.

import * as api from './api.js';
import { fillTable, lineChart } from './chart.js';
import { bitRate, bytes, count, data, time } from './format.js';

const RANGES = { hour: 3600, day: 86400, month: 30 * 86400 };
const STEPS = [300, 900, 3600, 10800, 21600, 86400];
/** Points per series the automatic step aims at, at most. */
const AUTO_POINTS = 1000;
/** The API answers at most this many sums a query (UsageService.MAX_SUMS). */
const MAX_SUMS = 100000;
/** Label ids per usage query: keeps the URL short. */
const MAX_IDS = 50;
const TOP = 10;
/** Rows of the data table behind the chart: more is no table a person reads. */
const MAX_TABLE_ROWS = 2000;

/** The range and step asked for: [start, end) in epoch seconds, ends on five-minute marks. */
export function window(controls) {
  let start;
  let end;
  if (controls.range === 'custom') {
    start = Math.floor(new Date(controls.start).getTime() / 1000);
    end = Math.floor(new Date(controls.end).getTime() / 1000);
    if (!(end > start)) {
      throw new Error('Choose a start before the end.');
    }
  } else {
    end = Math.ceil(Date.now() / 1000 / 300) * 300;
    start = end - RANGES[controls.range];
  }
  const step = controls.step === 'auto'
    ? STEPS.find((candidate) => (end - start) / candidate <= AUTO_POINTS) ?? STEPS.at(-1)
    : Number(controls.step);
  return { start, end, step };
}

const iso = (seconds) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/** The key of a usage row's series: its label, and its direction where the data has one. */
const seriesKey = (row) => (row.direction ? `${row.label_id}/${row.direction}` : row.label_id);

/** A context the views share: the caller, the names it may see, the project shown ('' = every project). */
export class Session {
  constructor(caller, labels, routers) {
    this.caller = caller;
    this.labelNames = new Map(labels.map((label) => [label.id, label.name || label.id]));
    this.routerNames = new Map(routers.map((router) => [router.id, router.name || router.id]));
    this.projects = [...new Set([caller.project_id, ...labels.map((label) => label.project_id)])].sort();
  }

  get allProjects() {
    return this.caller.usage_scope === 'all';
  }

  labelName(id) {
    return this.labelNames.get(id) ?? id;
  }

  routerName(id) {
    return this.routerNames.get(id) ?? id;
  }
}

export async function signIn() {
  const caller = await api.caller();
  const [labels, routers] = await Promise.all([api.labels(), api.routers()]);
  return new Session(caller, labels, routers);
}

/** The project filter of a usage query: a tenant's own project always, an admin's choice (or none). */
function projectFilter(session, project) {
  return session.allProjects ? project || undefined : session.caller.project_id;
}

/**
 * Sums over the range by router and label, one query: the label totals and the router totals are its sums. A
 * project of very many routers and labels (more than the API answers at once) is asked by label and by router.
 */
async function rangeTotals(params) {
  try {
    const pairs = await api.usage({ ...params, granularity: 'router_label' });
    return { labelRows: pairs, routerRows: pairs };
  } catch (error) {
    if (error.status !== 400) {
      throw error;
    }
    const [labelRows, routerRows] = await Promise.all([
      api.usage({ ...params, granularity: 'label' }), api.usage({ ...params, granularity: 'router' })]);
    return { labelRows, routerRows };
  }
}

/** Sums `rows` by `key`, keeping the first row's other keys. */
function sumBy(rows, key) {
  const sums = new Map();
  for (const row of rows) {
    const sum = sums.get(row[key]) ?? { ...row, bytes: 0, pkts: 0 };
    sum.bytes += row.bytes;
    sum.pkts += row.pkts;
    sums.set(row[key], sum);
  }
  return [...sums.values()].sort((a, b) => b.bytes - a.bytes);
}

/** Top labels and routers by bytes over the range; answers the label totals, which the chart needs. */
export async function showTop(session, project, range, elements) {
  const params = { project_id: projectFilter(session, project), start: iso(range.start), end: iso(range.end) };
  const { labelRows, routerRows } = await rangeTotals(params);
  const labels = sumBy(labelRows, 'label_id');
  const showProject = session.allProjects && !project;
  fillTable(elements.labels, `Top ${TOP} labels by bytes (of ${labels.length})`,
    [{ text: 'Label' }, ...(showProject ? [{ text: 'Project' }] : []), { text: 'Bytes', numeric: true },
      { text: 'Packets', numeric: true }],
    labels.slice(0, TOP).map((row) => [session.labelName(row.label_id), ...(showProject ? [row.project_id] : []),
      data(row.bytes, bytes), count(row.pkts)]));
  const routers = sumBy(routerRows, 'router_id');
  fillTable(elements.routers, `Top ${TOP} routers by bytes (of ${routers.length})`,
    [{ text: 'Router' }, { text: 'Bytes', numeric: true }, { text: 'Packets', numeric: true }],
    routers.slice(0, TOP).map((row) => [session.routerName(row.router_id), data(row.bytes, bytes),
      count(row.pkts)]));
  return labels;
}

/**
 * The labels' usage by step: one query if the API answers every sum at once, else queries by label ids, each of at
 * most MAX_SUMS sums (a query the API still finds too large, as with directions, is split in two).
 */
async function usageSteps(session, project, range, labelIds) {
  // split=direction: a label counted per direction is two series (ingress, egress); usage without one is one.
  const params = { granularity: 'label', project_id: projectFilter(session, project), start: iso(range.start),
    end: iso(range.end), step: range.step, split: 'direction' };
  const perQuery = Math.max(1, Math.floor(MAX_SUMS / (2 * Math.ceil((range.end - range.start) / range.step))));
  if (labelIds.length <= perQuery) {
    return api.usage(params);
  }
  const piece = async (ids) => {
    try {
      return await api.usage({ ...params, label_id: ids });
    } catch (error) {
      if (error.status !== 400 || ids.length === 1) {
        throw error;
      }
      const half = Math.ceil(ids.length / 2);
      return (await Promise.all([piece(ids.slice(0, half)), piece(ids.slice(half))])).flat();
    }
  };
  const pieces = [];
  const size = Math.min(MAX_IDS, perQuery);
  for (let first = 0; first < labelIds.length; first += size) {
    pieces.push(piece(labelIds.slice(first, first + size)));
  }
  return (await Promise.all(pieces)).flat();
}

/** Usage over time per label (and direction), as rates; the total over the range in bytes. */
export async function showUsage(session, project, range, labels, elements) {
  const total = labels.reduce((sum, label) => sum + label.bytes, 0);
  elements.summary.replaceChildren('Total for the range: ', data(total, bytes), ` over ${labels.length} label(s), `,
    time(range.start), ' to ', time(range.end), `, in steps of ${range.step / 60} minutes.`);
  elements.summary.querySelector('data').id = 'usage-total';
  const rows = labels.length ? await usageSteps(session, project, range, labels.map((label) => label.label_id)) : [];
  const stepCount = Math.ceil((range.end - range.start) / range.step);
  const x = Array.from({ length: stepCount }, (unused, index) => range.start + index * range.step);
  const series = new Map();
  const totals = new Float64Array(stepCount);
  // A step's instants are parsed once, not once per label: a month of five-minute steps is 864,000 rows.
  const steps = new Map();
  for (const row of rows) {
    let step = steps.get(row.start);
    if (!step) {
      const start = Date.parse(row.start) / 1000;
      step = { index: Math.round((start - range.start) / range.step), seconds: Date.parse(row.end) / 1000 - start };
      steps.set(row.start, step);
    }
    const { index } = step;
    const key = seriesKey(row);
    if (!series.has(key)) {
      const name = session.labelName(row.label_id) + (row.direction ? ` (${row.direction})` : '');
      series.set(key, { name, values: new Array(stepCount).fill(0) });
    }
    series.get(key).values[index] = (row.bytes * 8) / step.seconds;
    totals[index] += row.bytes;
  }
  const ordered = [...series.values()].sort((a, b) => a.name.localeCompare(b.name));
  const drawing = performance.now();
  await lineChart(elements.chart, x, ordered);
  elements.chart.dataset.drawMs = String(Math.round(performance.now() - drawing));
  // The table behind the chart: made when opened, as a month of five-minute steps is thousands of rows.
  elements.details.ontoggle = () => {
    if (!elements.details.open) {
      return;
    }
    const shown = Math.min(stepCount, MAX_TABLE_ROWS);
    fillTable(elements.table,
      `Bytes per step, all labels summed${shown < stepCount ? ` (first ${shown} of ${stepCount} steps)` : ''}`,
      [{ text: 'Step start' }, { text: 'Bytes', numeric: true }, { text: 'Rate', numeric: true }],
      x.slice(0, shown).map((start, index) => [time(start), data(totals[index], bytes),
        bitRate((totals[index] * 8) / range.step)]));
  };
  elements.details.ontoggle();
  return total;
}

/** The statement of the project's current billing period, as the API makes it. */
export async function showStatement(session, project, elements) {
  const shown = session.allProjects ? project : session.caller.project_id;
  if (!shown) {
    elements.summary.textContent = 'Choose a project to see its statement.';
    elements.table.replaceChildren();
    return;
  }
  const cycle = await api.billingCycle(shown);
  const statement = await api.statement(shown, cycle.current_period.name);
  const totalBytes = statement.lines.reduce((sum, line) => sum + line.bytes, 0);
  elements.summary.replaceChildren(`Project ${statement.project_id}, period ${statement.period} (`,
    time(statement.start), ' to ', time(statement.end), `, ${statement.closed ? 'closed' : 'open'}): `,
    data(totalBytes, bytes), ` in ${statement.lines.length} line(s).`);
  elements.summary.querySelector('data').id = 'statement-total';
  fillTable(elements.table, 'Lines: one per label and direction',
    [{ text: 'Label' }, { text: 'Direction' }, { text: 'Bytes', numeric: true }, { text: 'Packets', numeric: true },
      { text: '95th percentile', numeric: true }, { text: 'Peak', numeric: true },
      { text: 'Samples', numeric: true }],
    statement.lines.map((line) => [line.label_name ?? `${line.label_id} (deleted)`, line.direction ?? 'both',
      data(line.bytes, bytes), count(line.pkts), data(line.p95_bps, bitRate), data(line.peak_bps, bitRate),
      count(line.samples)]));
}

/** Agents and their last reports, flagged when older than three report intervals (admins only). */
export async function showAgents(elements) {
  const answer = await api.agents();
  const stale = answer.agents.filter((agent) => agent.stale).length;
  elements.summary.textContent = `${answer.agents.length} agent host(s); ${stale} without a report for more `
    + `than ${answer.stale_after_seconds / 60} minutes (three report intervals).`;
  fillTable(elements.table, 'Agent hosts and their last usage report',
    [{ text: 'Host' }, { text: 'Last report' }, { text: 'Status' }],
    answer.agents.map((agent) => ({
      className: agent.stale ? 'stale' : '',
      cells: [agent.host, time(agent.last_report_at), agent.stale ? 'Late: check the agent' : 'Reporting'],
    })));
}
