/**
 * A small SVG line-chart writer (no dependency): a logarithmic or linear x axis with given ticks, a
 * linear y axis from 0, series drawn as polylines with markers (a missing value breaks the line), dashed
 * reference lines and a legend. The output's structure depends only on the chart's shape (axes, series
 * names, number of points), never on the values' magnitude beyond the y range, and numbers are written
 * with fixed decimals, so two runs differ only where the data do.
 */

export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  readonly dashed?: boolean;
  /** One value per x tick (undefined: no point there). */
  readonly values: readonly (number | undefined)[];
}

export interface ChartLine {
  readonly y: number;
  readonly label: string;
  readonly color: string;
}

export interface LineChart {
  readonly title: string;
  readonly subtitle?: string;
  readonly x: { readonly label: string; readonly ticks: readonly number[]; readonly tickLabel: (x: number) => string; readonly log?: boolean };
  readonly y: { readonly label: string; readonly tickLabel: (y: number) => string; readonly max?: number };
  readonly series: readonly ChartSeries[];
  readonly lines?: readonly ChartLine[];
  readonly width?: number;
  readonly height?: number;
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const f = (value: number) => value.toFixed(1);

/** A tick step of 1, 2, 2.5 or 5 times a power of ten, at least `value`. */
export function niceStep(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value - 1e-12) return Number((step * power).toPrecision(12));
  return 10 * power;
}

export function renderLineChart(chart: LineChart): string {
  const width = chart.width ?? 760;
  const height = chart.height ?? 440;
  const legendRows = chart.series.length + (chart.lines?.length ?? 0);
  const margin = { left: 72, right: 24, top: chart.subtitle ? 64 : 48, bottom: 64 + 18 * Math.ceil(legendRows / 2) };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const ticks = chart.x.ticks;
  const xMin = ticks[0];
  const xMax = ticks[ticks.length - 1];
  const xScale = (x: number) =>
    margin.left + (chart.x.log ? (Math.log(x) - Math.log(xMin)) / (Math.log(xMax) - Math.log(xMin)) : (x - xMin) / (xMax - xMin)) * plotW;
  const dataMax = Math.max(0, ...chart.series.flatMap((s) => s.values.filter((v): v is number => v !== undefined)), ...(chart.lines ?? []).map((l) => l.y));
  // About five intervals of a round step, the top one above the largest value.
  const top = chart.y.max ?? dataMax * 1.05;
  const step = niceStep(top / 5);
  const intervals = Math.max(1, Math.ceil(top / step - 1e-9));
  const yMax = step * intervals;
  const yScale = (y: number) => margin.top + plotH - (Math.min(y, yMax) / yMax) * plotH;
  const yTicks = Array.from({ length: intervals + 1 }, (_, i) => Number((step * i).toPrecision(12)));

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${f(width / 2)}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(chart.title)}</text>`);
  if (chart.subtitle) out.push(`<text x="${f(width / 2)}" y="40" text-anchor="middle" fill="#555555">${escape(chart.subtitle)}</text>`);
  // Grid and axes.
  out.push(`<g stroke="#e3e3e3" stroke-width="1">`);
  for (const y of yTicks) out.push(`<line x1="${f(margin.left)}" y1="${f(yScale(y))}" x2="${f(margin.left + plotW)}" y2="${f(yScale(y))}"/>`);
  for (const x of ticks) out.push(`<line x1="${f(xScale(x))}" y1="${f(margin.top)}" x2="${f(xScale(x))}" y2="${f(margin.top + plotH)}"/>`);
  out.push(`</g>`);
  out.push(`<g stroke="#333333" stroke-width="1">`);
  out.push(`<line x1="${f(margin.left)}" y1="${f(margin.top + plotH)}" x2="${f(margin.left + plotW)}" y2="${f(margin.top + plotH)}"/>`);
  out.push(`<line x1="${f(margin.left)}" y1="${f(margin.top)}" x2="${f(margin.left)}" y2="${f(margin.top + plotH)}"/>`);
  out.push(`</g>`);
  out.push(`<g fill="#333333">`);
  for (const x of ticks) out.push(`<text x="${f(xScale(x))}" y="${f(margin.top + plotH + 18)}" text-anchor="middle">${escape(chart.x.tickLabel(x))}</text>`);
  for (const y of yTicks) out.push(`<text x="${f(margin.left - 8)}" y="${f(yScale(y) + 4)}" text-anchor="end">${escape(chart.y.tickLabel(y))}</text>`);
  out.push(`<text x="${f(margin.left + plotW / 2)}" y="${f(margin.top + plotH + 40)}" text-anchor="middle">${escape(chart.x.label)}</text>`);
  out.push(`<text transform="translate(18 ${f(margin.top + plotH / 2)}) rotate(-90)" text-anchor="middle">${escape(chart.y.label)}</text>`);
  out.push(`</g>`);
  // Reference lines.
  for (const line of chart.lines ?? []) {
    out.push(`<line x1="${f(margin.left)}" y1="${f(yScale(line.y))}" x2="${f(margin.left + plotW)}" y2="${f(yScale(line.y))}" stroke="${line.color}" stroke-width="1.5" stroke-dasharray="2 4"/>`);
  }
  // Series: a polyline per run of consecutive values, a marker per value.
  for (const series of chart.series) {
    const dash = series.dashed ? ` stroke-dasharray="7 5"` : "";
    out.push(`<g stroke="${series.color}" fill="${series.color}">`);
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1) out.push(`<polyline fill="none" stroke-width="2"${dash} points="${run.join(" ")}"/>`);
      run = [];
    };
    series.values.forEach((value, i) => {
      if (value === undefined) return flush();
      run.push(`${f(xScale(ticks[i]))},${f(yScale(value))}`);
    });
    flush();
    series.values.forEach((value, i) => {
      if (value === undefined) return;
      const cx = f(xScale(ticks[i]));
      const cy = f(yScale(value));
      out.push(series.dashed ? `<rect x="${f(xScale(ticks[i]) - 3)}" y="${f(yScale(value) - 3)}" width="6" height="6" fill="#ffffff" stroke-width="1.5"/>` : `<circle cx="${cx}" cy="${cy}" r="3.5"/>`);
    });
    out.push(`</g>`);
  }
  // Legend: two columns under the plot.
  const legend = [
    ...chart.series.map((s) => ({ label: s.name, color: s.color, dash: s.dashed ? "7 5" : undefined, width: 2 })),
    ...(chart.lines ?? []).map((l) => ({ label: l.label, color: l.color, dash: "2 4", width: 1.5 })),
  ];
  const columnW = plotW / 2;
  out.push(`<g>`);
  legend.forEach((entry, i) => {
    const x = margin.left + (i % 2) * columnW;
    const y = margin.top + plotH + 60 + Math.floor(i / 2) * 18;
    out.push(`<line x1="${f(x)}" y1="${f(y - 4)}" x2="${f(x + 28)}" y2="${f(y - 4)}" stroke="${entry.color}" stroke-width="${entry.width}"${entry.dash ? ` stroke-dasharray="${entry.dash}"` : ""}/>`);
    out.push(`<text x="${f(x + 36)}" y="${f(y)}" fill="#333333">${escape(entry.label)}</text>`);
  });
  out.push(`</g>`);
  out.push(`</svg>`);
  return `${out.join("\n")}\n`;
}
