import { EventSchemas, Inngest } from "../engine/index.js";
import { BRIDGE_APP_ID } from "./built-in-ids.js";
const bridgeApp = new Inngest({
  id: BRIDGE_APP_ID,
  schemas: new EventSchemas().fromRecord()
});
export {
  bridgeApp
};
