/**
 * The explorer's charts as SVG made on the server, so that they exist without JavaScript: a line
 * chart over time (one line per series) and a bar chart across series for one period.
 *
 * Written here rather than with a charting library: the two shapes are small, and an SVG drawn
 * with presentation attributes (fill=, stroke=) needs no style sheet, so it passes the pages'
 * strict CSP (no style= attribute, no <style>) and stays the same file when downloaded on its own.
 * No information by colour alone: each line also has its own marker shape and dash pattern and is
 * named at its end; every mark has a <title> (period, series, value) and data-* attributes that
 * tests compare with the API's figures. The figure's caption says in words what the chart shows;
 * the table below the chart is its full text alternative.
 */
import type { ComponentChildren } from 'preact';

export interface ChartSeries {
  readonly label: string;
  /** Period → value (null: no value, e.g. suppressed). */
  readonly values: ReadonlyMap<string, number | null>;
}

/** Text drawn around a chart saved as a file of its own (on the page, the page says these). */
export interface ChartFrame {
  readonly heading: string;
  readonly footer: readonly string[];
}

export interface LineChartProps {
  readonly id: string;
  readonly title: string;
  readonly frame?: ChartFrame;
  readonly periods: readonly string[];
  readonly series: readonly ChartSeries[];
  readonly format: (n: number) => string;
}

export interface BarChartProps {
  readonly id: string;
  readonly title: string;
  readonly frame?: ChartFrame;
  readonly period: string;
  readonly bars: readonly { readonly label: string; readonly value: number }[];
  readonly format: (n: number) => string;
}

/** Colours of lines, distinguishable with the common colour-vision deficiencies (Okabe–Ito, then darker tones). */
export const LINE_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C564B', '#6A3D9A', '#B15928'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '', '6 3', '2 3', '8 3 2 3', '', '6 3'];
const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'circle', 'square', 'triangle', 'diamond', 'circle', 'square'] as const;
export const MAX_LINES = LINE_COLOURS.length;
const BAR_COLOUR = '#0b57a4';
const TEXT = '#1b1f24';
const MUTED = '#4a5361';
const GRID = '#d5dae1';
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif';

/** Round numbers for an axis from 0 (or the minimum when negative) to at least `max`: about `count` steps. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const lo = Math.min(0, min);
  const hi = max > lo ? max : lo + 1;
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.floor(lo / step) * step; v < hi + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function Marker({ shape, x, y, colour, children }: { shape: (typeof MARKERS)[number]; x: number; y: number; colour: string; children: ComponentChildren }) {
  const r = 3.5;
  const common = { fill: colour, stroke: '#fff', 'stroke-width': 1 };
  if (shape === 'square') return <rect x={x - r} y={y - r} width={2 * r} height={2 * r} {...common}>{children}</rect>;
  if (shape === 'triangle') return <polygon points={`${x},${y - r - 1} ${x - r - 1},${y + r} ${x + r + 1},${y + r}`} {...common}>{children}</polygon>;
  if (shape === 'diamond') return <polygon points={`${x},${y - r - 1} ${x + r + 1},${y} ${x},${y + r + 1} ${x - r - 1},${y}`} {...common}>{children}</polygon>;
  return <circle cx={x} cy={y} r={r} {...common}>{children}</circle>;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Room the frame's heading takes above a chart, and each footer line below it. */
const FRAME_TOP = 32;
const FRAME_LINE = 16;
const frameTop = (frame: ChartFrame | undefined) => (frame ? FRAME_TOP : 0);
const frameBottom = (frame: ChartFrame | undefined) => (frame ? 8 + FRAME_LINE * frame.footer.length : 0);

function FrameText({ frame, width, height }: { frame: ChartFrame | undefined; width: number; height: number }) {
  if (!frame) return null;
  return (
    <g>
      <text x={8} y={20} font-size="15" font-weight="600" fill={TEXT}>
        {frame.heading.length > 90 ? `${frame.heading.slice(0, 89)}…` : frame.heading}
      </text>
      {frame.footer.map((line, i) => (
        <text x={8} y={height - frameBottom(frame) + 8 + FRAME_LINE * (i + 1) - 4} font-size="11" fill={MUTED} textLength={line.length > 120 ? width - 16 : undefined} lengthAdjust="spacingAndGlyphs">
          {line}
        </text>
      ))}
    </g>
  );
}

/** Spreads label positions apart by at least `gap`, keeping their order, within [top, bottom]. */
function spread(ys: number[], gap: number, top: number, bottom: number): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  for (let k = 1; k < order.length; k++) order[k]!.y = Math.max(order[k]!.y, order[k - 1]!.y + gap);
  const overflow = order.length ? order[order.length - 1]!.y - bottom : 0;
  if (overflow > 0) for (const o of order) o.y = Math.max(top, o.y - overflow);
  for (let k = order.length - 2; k >= 0; k--) order[k]!.y = Math.min(order[k]!.y, order[k + 1]!.y - gap);
  const out = new Array<number>(ys.length);
  for (const o of order) out[o.i] = o.y;
  return out;
}

/** The root of a chart: its size, its accessible name, a white ground, and the frame of a saved file. */
function ChartRoot({ id, title, frame, width, height, children }: { id: string; title: string; frame: ChartFrame | undefined; width: number; height: number; children: ComponentChildren }) {
  return (
    <svg id={id} xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-labelledby={`${id}-title`} font-family={FONT} font-size="12" class="chart">
      <title id={`${id}-title`}>{title}</title>
      <rect width={width} height={height} fill="#fff" />
      <FrameText frame={frame} width={width} height={height} />
      {children}
    </svg>
  );
}

export function LineChart({ id, title, frame, periods, series, format }: LineChartProps) {
  const width = 760;
  const height = 380 + frameTop(frame) + frameBottom(frame);
  const m = { top: 16 + frameTop(frame), right: 170, bottom: 40 + frameBottom(frame), left: 64 };
  const values = series.flatMap((s) => [...s.values.values()].filter((v): v is number => v !== null));
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const x = (i: number) => round(m.left + (periods.length === 1 ? plotW / 2 : (i * plotW) / (periods.length - 1)));
  const y = (v: number) => round(m.top + plotH - ((v - lo) / (hi - lo)) * plotH);
  const every = Math.max(1, Math.ceil(periods.length / 10));
  const ends = series.map((s) => {
    for (let i = periods.length - 1; i >= 0; i--) {
      const v = s.values.get(periods[i]!);
      if (v !== null && v !== undefined) return { i, v };
    }
    return undefined;
  });
  const labelYs = spread(
    ends.map((e) => (e ? y(e.v) : m.top)),
    14,
    m.top + 4,
    m.top + plotH,
  );
  return (
    <ChartRoot id={id} title={title} frame={frame} width={width} height={height}>
      <g aria-hidden="true">
        {ticks.map((t) => (
          <g>
            <line x1={m.left} x2={m.left + plotW} y1={y(t)} y2={y(t)} stroke={GRID} />
            <text x={m.left - 8} y={y(t)} dy="0.32em" text-anchor="end" fill={MUTED}>
              {format(t)}
            </text>
          </g>
        ))}
        {periods.map((p, i) =>
          i % every === 0 || i === periods.length - 1 ? (
            <text x={x(i)} y={m.top + plotH + 20} text-anchor="middle" fill={MUTED}>
              {p}
            </text>
          ) : null,
        )}
        <line x1={m.left} x2={m.left + plotW} y1={y(lo)} y2={y(lo)} stroke={MUTED} />
      </g>
      {series.map((s, k) => {
        const colour = LINE_COLOURS[k % LINE_COLOURS.length]!;
        let d = '';
        let drawing = false;
        periods.forEach((p, i) => {
          const v = s.values.get(p);
          if (v === null || v === undefined) {
            drawing = false;
            return;
          }
          d += `${drawing ? 'L' : 'M'}${x(i)},${y(v)}`;
          drawing = true;
        });
        const end = ends[k];
        return (
          <g class="series" data-series={s.label}>
            <path d={d} fill="none" stroke={colour} stroke-width="2" stroke-dasharray={DASHES[k % DASHES.length] || undefined} />
            {periods.map((p, i) => {
              const v = s.values.get(p);
              if (v === null || v === undefined) return null;
              return (
                <g class="point" data-period={p} data-value={String(v)}>
                  <Marker shape={MARKERS[k % MARKERS.length]!} x={x(i)} y={y(v)} colour={colour}>
                    <title>{`${s.label}, ${p}: ${format(v)}`}</title>
                  </Marker>
                </g>
              );
            })}
            {end ? (
              <text x={x(end.i) + 8} y={labelYs[k]} dy="0.32em" fill={TEXT} aria-hidden="true">
                {s.label.length > 26 ? `${s.label.slice(0, 25)}…` : s.label}
              </text>
            ) : null}
          </g>
        );
      })}
    </ChartRoot>
  );
}

export function BarChart({ id, title, frame, period, bars, format }: BarChartProps) {
  const width = 760;
  const row = 22;
  const m = { top: 8 + frameTop(frame), right: 80, bottom: 28 + frameBottom(frame), left: 220 };
  const height = m.top + m.bottom + row * bars.length;
  const values = bars.map((b) => b.value);
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values), 4);
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const plotW = width - m.left - m.right;
  const x = (v: number) => round(m.left + ((v - lo) / (hi - lo)) * plotW);
  return (
    <ChartRoot id={id} title={title} frame={frame} width={width} height={height}>
      <g aria-hidden="true">
        {ticks.map((t) => (
          <g>
            <line x1={x(t)} x2={x(t)} y1={m.top} y2={height - m.bottom} stroke={GRID} />
            <text x={x(t)} y={height - m.bottom + 16} text-anchor="middle" fill={MUTED}>
              {format(t)}
            </text>
          </g>
        ))}
      </g>
      {bars.map((b, i) => {
        const top = m.top + i * row;
        const x0 = x(Math.min(0, b.value));
        const w = Math.max(1, round(Math.abs(x(b.value) - x(0))));
        return (
          <g class="bar" data-series={b.label} data-period={period} data-value={String(b.value)}>
            <text x={m.left - 8} y={top + row / 2} dy="0.32em" text-anchor="end" fill={TEXT}>
              {b.label.length > 30 ? `${b.label.slice(0, 29)}…` : b.label}
            </text>
            <rect x={x0} y={top + 3} width={w} height={row - 6} fill={BAR_COLOUR}>
              <title>{`${b.label}, ${period}: ${format(b.value)}`}</title>
            </rect>
            <text x={x0 + w + 6} y={top + row / 2} dy="0.32em" fill={TEXT}>
              {format(b.value)}
            </text>
          </g>
        );
      })}
    </ChartRoot>
  );
}
