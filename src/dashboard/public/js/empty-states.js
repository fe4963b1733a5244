// @ts-check
// What an empty Runs or Deliveries page says: how to get a first one, and, when a webhook source
// cannot verify deliveries, why none may come. A newcomer's first look at these pages is empty.
import { session } from "./api.js";
import { copyButton, h } from "./dom.js";

const TRIGGER = "npx bridge trigger user.created";

/** @param {number} columns @param {import("./dom.js").Child[]} children */
function emptyState(columns, ...children) {
  return h("tr", { class: "empty-state" }, h("td", { colspan: columns, class: "empty" }, ...children));
}

/** The one command that sends a first signed webhook, with a copy button. */
function triggerCommand() {
  return h("p", {}, h("code", { class: "command" }, TRIGGER), copyButton(TRIGGER, "command"));
}

/**
 * One line per webhook source whose deliveries cannot be verified by a secret of Clerk's: none
 * at all (every delivery is refused), or the bridge's own development one (only the CLI's pass).
 * @returns {Promise<HTMLElement[]>}
 */
async function secretNotices() {
  const { webhooks = [] } = await session().catch(() => ({ webhooks: [] }));
  return webhooks.flatMap((state) => {
    if (state.secret === "missing") {
      return [
        h(
          "p",
          { class: "notice warn", dataset: { secret: "missing", source: state.source } },
          `⚠ ${state.variable} is not set: every delivery to /webhooks/${state.source} is refused (401). Set it to the endpoint's signing secret${state.source === "clerk" ? " (Clerk Dashboard → Webhooks → your endpoint → Signing Secret)" : ""} and restart.`,
        ),
      ];
    }
    if (state.secret === "local") {
      return [
        h(
          "p",
          { class: "notice", dataset: { secret: "local", source: state.source } },
          `${state.variable} is not set: /webhooks/${state.source} verifies with this bridge's development secret (${state.file ?? "in DATA_DIR"}), which ${TRIGGER} signs with. Deliveries from Clerk need ${state.variable}.`,
        ),
      ];
    }
    return [];
  });
}

/** @param {number} columns */
export async function noRunsYet(columns) {
  return emptyState(
    columns,
    h("p", { class: "empty-title" }, "No runs yet."),
    h(
      "p",
      {},
      "A run starts when an event matches a function (a new Clerk user starts user-sync and onboarding-email). Send a signed Clerk webhook from the bridge's folder:",
    ),
    triggerCommand(),
    h("p", {}, "or a test event from ", h("a", { href: "#/send" }, "Send event"), "."),
    ...(await secretNotices()),
  );
}

/** @param {number} columns */
export async function noDeliveriesYet(columns) {
  const endpoint = `${location.origin}/webhooks/clerk`;
  return emptyState(
    columns,
    h("p", { class: "empty-title" }, "No deliveries yet."),
    h(
      "p",
      {},
      "Clerk delivers webhooks to ",
      h("code", {}, endpoint),
      copyButton(endpoint, "endpoint URL"),
      " once an endpoint points there (Clerk Dashboard → Webhooks → Add Endpoint). To send a signed one now, from the bridge's folder:",
    ),
    triggerCommand(),
    ...(await secretNotices()),
  );
}
