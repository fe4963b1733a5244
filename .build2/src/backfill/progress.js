/**
 * The backfill's progress on stderr: a bar redrawn in place on a terminal, a plain line every few
 * seconds otherwise (CI logs, `2>file`), so a log is readable and a person sees it move.
 */
const REDRAW_MS = 100;
const LINE_EVERY_MS = 5000;
const BAR_WIDTH = 24;
export function createProgress(stream, noun, now = Date.now) {
    let last;
    let drawn;
    let lastDrawn = 0;
    let remark = "";
    const tty = stream.isTTY === true;
    const draw = () => {
        if (!last)
            return;
        drawn = last;
        lastDrawn = now();
        if (tty)
            stream.write(`\r\x1b[2K${formatBar(noun, last)}${remark ? `  ${remark}` : ""}`);
        else
            stream.write(`${formatLine(noun, last)}\n`);
    };
    return {
        update(stats) {
            last = stats;
            remark = "";
            if (now() - lastDrawn >= (tty ? REDRAW_MS : LINE_EVERY_MS))
                draw();
        },
        note(text) {
            if (!tty || !last) {
                // A plain log keeps every remark, on a line of its own; so does a terminal before the bar.
                stream.write(`${noun}: ${text}\n`);
                return;
            }
            remark = text;
            draw();
        },
        finish() {
            remark = "";
            if (tty || drawn !== last)
                draw();
            if (tty && last)
                stream.write("\n");
            last = undefined;
        },
    };
}
/** `users [█████████░░░░░░░░░░░░░░░]  1,200/2,500  48%  310/s  ETA 4s` */
export function formatBar(noun, stats, width = BAR_WIDTH) {
    const fraction = stats.total > 0 ? Math.min(1, stats.done / stats.total) : 1;
    const filled = Math.round(fraction * width);
    return `${noun} [${"█".repeat(filled)}${"░".repeat(width - filled)}]  ${formatFigures(stats)}`;
}
/** `users: 1,200/2,500  48%  310/s  ETA 4s` */
export function formatLine(noun, stats) {
    return `${noun}: ${formatFigures(stats)}`;
}
function formatFigures(stats) {
    const percent = stats.total > 0 ? Math.min(100, Math.floor((stats.done / stats.total) * 100)) : 100;
    const rate = ratePerSecond(stats);
    const remaining = Math.max(0, stats.total - stats.done);
    const eta = remaining === 0 ? "0s" : rate > 0 ? formatDuration((remaining / rate) * 1000) : "?";
    return `${count(stats.done)}/${count(stats.total)}  ${percent}%  ${count(Math.round(rate))}/s  ETA ${eta}`;
}
export function ratePerSecond(stats) {
    return stats.elapsedMs > 0 ? (stats.doneThisRun * 1000) / stats.elapsedMs : 0;
}
export function count(value) {
    return value.toLocaleString("en-US");
}
/** `4s`, `2m 05s`, `1h 03m`. */
export function formatDuration(ms) {
    const seconds = Math.round(ms / 1000);
    if (seconds < 60)
        return `${seconds}s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60)
        return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
    return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}
