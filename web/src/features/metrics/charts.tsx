// The charts (Recharts, SVG), loaded with the first one shown: the page and its tables do not
// wait for the library. Each chart is named by its <title> and <desc> as well as by the
// figure around it; its accessibility layer lets a keyboard step through the points, and the
// figure's table says the same numbers.
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';

export interface Series {
  key: string;
  name: string;
  colour: string;
  /** A dashed line: told apart by more than its colour. */
  dashed?: boolean;
}

interface ChartProps {
  title: string;
  description: string;
  data: readonly object[];
  /** The field of each point on the horizontal axis. */
  x: string;
  series: Series[];
  xFormat?: (value: string) => string;
  yFormat?: (value: number) => string;
}

const SIZE = { width: '100%', height: 260 } as const;

function tooltipValue(yFormat?: (value: number) => string) {
  return (value: unknown): ReactNode => (typeof value === 'number' && yFormat ? yFormat(value) : (value as ReactNode));
}

/** Bars per point, side by side or `stacked`. */
export function BarsChart({
  title,
  description,
  data,
  x,
  series,
  xFormat,
  yFormat,
  stacked,
}: ChartProps & { stacked?: boolean }) {
  return (
    <BarChart responsive style={SIZE} data={[...data]} title={title} desc={description} margin={{ top: 10, right: 10 }}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey={x} tickFormatter={xFormat} />
      <YAxis allowDecimals={false} tickFormatter={yFormat} width="auto" />
      <Tooltip
        labelFormatter={(label) => (xFormat && typeof label === 'string' ? xFormat(label) : label)}
        formatter={tooltipValue(yFormat)}
      />
      <Legend itemSorter={null} />
      {series.map((s) => (
        <Bar
          key={s.key}
          dataKey={s.key}
          name={s.name}
          fill={s.colour}
          stroke="#ffffff"
          stackId={stacked ? 'stack' : undefined}
          isAnimationActive={false}
        />
      ))}
    </BarChart>
  );
}

/** Lines through the points; a point without a value (no answers that week) leaves a gap. */
export function LinesChart({
  title,
  description,
  data,
  x,
  series,
  xFormat,
  yFormat,
  yDomain,
  reference,
}: ChartProps & { yDomain?: [number, number]; reference?: { y: number; label: string } }) {
  return (
    <LineChart
      responsive
      style={SIZE}
      data={[...data]}
      title={title}
      desc={description}
      margin={{ top: 10, right: 10 }}
    >
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey={x} tickFormatter={xFormat} />
      <YAxis domain={yDomain} tickFormatter={yFormat} width="auto" />
      <Tooltip
        labelFormatter={(label) => (xFormat && typeof label === 'string' ? xFormat(label) : label)}
        formatter={tooltipValue(yFormat)}
      />
      <Legend itemSorter={null} />
      {reference && (
        <ReferenceLine
          y={reference.y}
          stroke="#57606a"
          strokeDasharray="6 3"
          label={{ value: reference.label, position: 'insideTopRight', fill: '#57606a' }}
        />
      )}
      {series.map((s) => (
        <Line
          key={s.key}
          type="monotone"
          dataKey={s.key}
          name={s.name}
          stroke={s.colour}
          strokeWidth={2}
          strokeDasharray={s.dashed ? '5 4' : undefined}
          dot={{ r: 3 }}
          connectNulls={false}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}
