// @ts-check
// Send a test event through the same intake as webhooks and the Event API.
import { api } from "../api.js";
import { errorMessage, h, mount, pageHead, toast } from "../dom.js";

const EXAMPLE = {
  id: "user_29w83sxmDNGwOuEthce5gg56FcC",
  email_addresses: [{ id: "idn_1", email_address: "ada@example.com" }],
  primary_email_address_id: "idn_1",
  first_name: "Ada",
  last_name: "Lovelace",
  created_at: Date.now(),
  updated_at: Date.now(),
};

/** @param {HTMLElement} view */
export async function renderSend(view) {
  const name = h("input", {
    id: "send-name",
    value: "clerk/user.created",
    style: "width:100%",
    spellcheck: "false",
    class: "mono",
  });
  const data = h("textarea", { id: "send-data", spellcheck: "false" }, JSON.stringify(EXAMPLE, null, 2));
  const problem = h("p", { class: "form-error", hidden: true });
  /** @param {SubmitEvent} event */
  const submit = async (event) => {
    event.preventDefault();
    problem.hidden = true;
    let parsed;
    try {
      parsed = JSON.parse(data.value);
    } catch (error) {
      problem.hidden = false;
      problem.textContent = `data is not valid JSON: ${errorMessage(error)}`;
      return;
    }
    try {
      /** @type {{ ids: [string] }} */
      const { ids } = await api("/events", { method: "POST", body: { name: name.value.trim(), data: parsed } });
      toast(`Sent ${ids[0]}`);
      location.hash = `#/events/${encodeURIComponent(ids[0])}`;
    } catch (error) {
      problem.hidden = false;
      problem.textContent = errorMessage(error);
    }
  };
  mount(
    view,
    pageHead("Send event", "The event goes through the same intake as webhooks: every function it triggers runs."),
    h(
      "form",
      { class: "card pad", id: "send-form", onsubmit: submit, style: "max-width:760px" },
      h("label", { for: "send-name" }, "Name"),
      name,
      h("label", { for: "send-data" }, "Data (JSON object)"),
      data,
      problem,
      h(
        "div",
        { class: "toolbar", style: "margin-top:14px" },
        h("button", { type: "submit", class: "primary" }, "Send event"),
        h(
          "span",
          { class: "muted" },
          "Tip: ",
          h("code", {}, "bridge send event.json"),
          " does the same from a terminal.",
        ),
      ),
    ),
  );
}
