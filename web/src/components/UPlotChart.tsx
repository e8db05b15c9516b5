import { Box } from '@mantine/core';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * A uPlot chart that fills its container's width and follows its data. The canvas is hidden from
 * screen readers: every chart on the dashboard has its figures in text beside it.
 */
export function UPlotChart({
  options,
  data,
  height,
}: {
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height: number;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);

  // The chart is built once per set of options; new data only redraws it (the effect below).
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilding on every data change would flicker
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const plot = new uPlot({ ...options, width: element.clientWidth || 600, height }, data, element);
    chart.current = plot;
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [options, height]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);

  return <Box ref={container} aria-hidden="true" w="100%" />;
}
