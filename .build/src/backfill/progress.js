const REDRAW_MS = 100;
const LINE_EVERY_MS = 5e3;
const BAR_WIDTH = 24;
function createProgress(stream, noun, now = Date.now) {
  let last;
  let drawn;
  let lastDrawn = 0;
  let remark = "";
  const tty = stream.isTTY === true;
  const draw = () => {
    if (!last) return;
    drawn = last;
    lastDrawn = now();
    if (tty) stream.write(`\r\x1B[2K${formatBar(noun, last)}${remark ? `  ${remark}` : ""}`);
    else stream.write(`${formatLine(noun, last)}
`);
  };
  return {
    update(stats) {
      last = stats;
      remark = "";
      if (now() - lastDrawn >= (tty ? REDRAW_MS : LINE_EVERY_MS)) draw();
    },
    note(text) {
      if (!tty || !last) {
        stream.write(`${noun}: ${text}
`);
        return;
      }
      remark = text;
      draw();
    },
    finish() {
      remark = "";
      if (tty || drawn !== last) draw();
      if (tty && last) stream.write("\n");
      last = void 0;
    }
  };
}
function formatBar(noun, stats, width = BAR_WIDTH) {
  const fraction = stats.total > 0 ? Math.min(1, stats.done / stats.total) : 1;
  const filled = Math.round(fraction * width);
  return `${noun} [${"\u2588".repeat(filled)}${"\u2591".repeat(width - filled)}]  ${formatFigures(stats)}`;
}
function formatLine(noun, stats) {
  return `${noun}: ${formatFigures(stats)}`;
}
function formatFigures(stats) {
  const percent = stats.total > 0 ? Math.min(100, Math.floor(stats.done / stats.total * 100)) : 100;
  const rate = ratePerSecond(stats);
  const remaining = Math.max(0, stats.total - stats.done);
  const eta = remaining === 0 ? "0s" : rate > 0 ? formatDuration(remaining / rate * 1e3) : "?";
  return `${count(stats.done)}/${count(stats.total)}  ${percent}%  ${count(Math.round(rate))}/s  ETA ${eta}`;
}
function ratePerSecond(stats) {
  return stats.elapsedMs > 0 ? stats.doneThisRun * 1e3 / stats.elapsedMs : 0;
}
function count(value) {
  return value.toLocaleString("en-US");
}
function formatDuration(ms) {
  const seconds = Math.round(ms / 1e3);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}
export {
  count,
  createProgress,
  formatBar,
  formatDuration,
  formatLine,
  ratePerSecond
};
