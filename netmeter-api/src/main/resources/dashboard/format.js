// Numbers in human units and instants in the viewer's zone (UTC on hover).

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
const RATE_UNITS = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s', 'Pbit/s'];

function scaled(value, base, units) {
  let unit = 0;
  let scaledValue = Math.abs(value);
  while (scaledValue >= base && unit < units.length - 1) {
    scaledValue /= base;
    unit += 1;
  }
  const digits = unit === 0 || scaledValue >= 100 ? 0 : scaledValue >= 10 ? 1 : 2;
  return `${(Math.sign(value) * scaledValue).toFixed(digits)} ${units[unit]}`;
}

/** 1536 → "1.50 KiB" (binary multiples, as bytes are counted). */
export const bytes = (value) => scaled(value, 1024, BYTE_UNITS);

/** 1500 → "1.50 kbit/s" (decimal multiples, as line rates are given). */
export const bitRate = (value) => scaled(value, 1000, RATE_UNITS);

export const count = (value) => Number(value).toLocaleString();

const LOCAL = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An instant (ISO string, Date or epoch seconds) as a <time> in the viewer's zone, its UTC form on hover. */
export function time(instant) {
  const date = typeof instant === 'number' ? new Date(instant * 1000) : new Date(instant);
  const element = document.createElement('time');
  element.dateTime = date.toISOString();
  element.title = `${date.toISOString().replace('.000Z', 'Z')} (UTC)`;
  element.textContent = LOCAL.format(date);
  return element;
}

/** A quantity as <data value="exact">human</data>, so that the exact figure stays readable by machines. */
export function data(value, human) {
  const element = document.createElement('data');
  element.value = String(value);
  element.textContent = human(value);
  element.title = `${count(value)}`;
  return element;
}
