import { CronExpressionParser } from "cron-parser";
function compileCron(cron) {
  const match = /^\s*(?:(?:CRON_)?TZ=(\S+)\s+)?(.+?)\s*$/.exec(cron);
  const tz = match?.[1];
  const pattern = match?.[2] ?? "";
  if (tz !== void 0) checkTimeZone(tz);
  const fields = pattern.split(/\s+/).length;
  if (!pattern.startsWith("@") && fields !== 5 && fields !== 6) {
    throw new Error(`"${pattern}" has ${fields} fields; a cron expression has 5 (minute hour day month weekday), or 6 with seconds first`);
  }
  try {
    CronExpressionParser.parse(pattern, tz === void 0 ? {} : { tz });
  } catch (error) {
    throw new Error(`"${pattern}" is not a cron expression: ${error.message}`);
  }
  return { cron, pattern, ...tz === void 0 ? {} : { tz } };
}
function nextTick(cron, from = /* @__PURE__ */ new Date()) {
  return CronExpressionParser.parse(cron.pattern, { currentDate: from, ...cron.tz === void 0 ? {} : { tz: cron.tz } }).next().toDate();
}
function checkTimeZone(tz) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
  } catch {
    throw new Error(`"${tz}" is not an IANA time zone (such as Europe/Paris or America/New_York)`);
  }
}
export {
  compileCron,
  nextTick
};
