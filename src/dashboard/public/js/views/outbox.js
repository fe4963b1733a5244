// @ts-check
// The development outbox: emails the built-in functions sent while SMTP_URL is unset.
import { api } from "../api.js";
import { ago, clock } from "../format.js";
import { coalesce, errorMessage, h, mount, pageHead } from "../dom.js";

/** @param {HTMLElement} view @param {string[]} _params @param {import("../main.js").ViewContext} context */
export async function renderOutbox(view, _params, { onLive, isCurrent }) {
  async function draw() {
    /** @type {import("../api.js").MailRecord[]} */
    let messages;
    try {
      ({ messages } = await api("/outbox?limit=100"));
    } catch (error) {
      if (!isCurrent()) return;
      return mount(
        view,
        pageHead("Outbox", "Emails the bridge would have sent."),
        h("div", { class: "card empty" }, errorMessage(error)),
      );
    }
    if (!isCurrent()) return;
    mount(
      view,
      pageHead("Outbox", "SMTP_URL is unset, so emails land here instead of a mail server. Newest first."),
      messages.length === 0
        ? h("div", { class: "card empty" }, "No emails yet. Create a Clerk user to get a welcome email.")
        : h(
            "div",
            { class: "card", id: "outbox" },
            messages.map((mail) =>
              h(
                "article",
                { class: "mail" },
                h(
                  "div",
                  { style: "display:flex;justify-content:space-between;gap:12px" },
                  h("div", { class: "subject" }, mail.subject),
                  h(
                    "span",
                    { class: "muted", title: new Date(mail.sentAt).toISOString() },
                    `${clock(mail.sentAt)} · ${ago(mail.sentAt)}`,
                  ),
                ),
                h("div", { class: "muted" }, "to ", h("strong", {}, mail.to), " · from ", mail.from),
                h("div", { class: "body" }, mail.text),
              ),
            ),
          ),
    );
  }
  const reload = coalesce(() => draw(), 500);
  const unsubscribe = onLive((message) => {
    if (message.type === "run") reload.schedule();
  });
  await draw();
  return () => {
    unsubscribe();
    reload.cancel();
  };
}
