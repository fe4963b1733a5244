import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import type { Agent, buildConnector } from "undici";
import { addressRefusal, type AddressPolicy } from "./address-policy.ts";

/** `fetch` as outgoing requests make it: global fetch, through the address policy. */
export type OutboundFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A connection the address policy refused: names the host and the address it resolved to. */
export class AddressRefusedError extends Error {
  override name = "AddressRefusedError";
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(
      `refused to connect to ${address}${host === address ? "" : ` (${host})`}: a ${range} address; outgoing requests reach public addresses only, unless FETCH_ALLOW_PRIVATE allows it (true, or a CIDR list)`,
    );
  }
}

/** The refusal behind a failed fetch (undici reports a connection's failure as the `cause` of "fetch failed"). */
export function findAddressRefusal(error: unknown): AddressRefusedError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof AddressRefusedError || current.name === "AddressRefusedError")
      return current as AddressRefusedError;
  }
  return undefined;
}

/**
 * Outgoing requests checked where they connect: an undici Agent whose connector resolves the host
 * itself, refuses it when any address it resolves to is refused (a name that answers both a public
 * and a private address is refused), and connects to the addresses it checked, so a DNS answer
 * that changes between check and connect (rebinding) changes nothing. Every connection goes through
 * it, so each redirect's target is checked too. With FETCH_ALLOW_PRIVATE=true it is plain fetch.
 */
export function createOutboundFetch(policy: AddressPolicy): { fetch: OutboundFetch; close(): Promise<void> } {
  if (policy.allowAll) return { fetch: (input, init) => fetch(input, init), close: async () => {} };
  // undici is loaded on the first outgoing request: most processes never make one, and loading it
  // costs every process start (a worker restarted after a crash too) up to several hundred ms.
  let agent: Promise<Agent> | undefined;
  const dispatcher = () =>
    (agent ??= import("undici").then(({ Agent, buildConnector }) => guardedAgent(policy, Agent, buildConnector)));
  return {
    // Node's fetch takes an undici dispatcher (`dispatcher`, left out of the DOM's RequestInit type).
    fetch: async (input, init) => fetch(input, { ...init, dispatcher: await dispatcher() } as RequestInit),
    close: async () => {
      if (agent) await (await agent).close();
    },
  };
}

function guardedAgent(policy: AddressPolicy, AgentClass: typeof Agent, build: typeof buildConnector): Agent {
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return void callback(error, "", 0);
      const refused = addresses
        .map((entry) => [entry, addressRefusal(policy, entry.address)] as const)
        .find((pair): pair is readonly [LookupAddress, string] => pair[1] !== undefined);
      if (refused) return void callback(new AddressRefusedError(hostname, refused[0].address, refused[1]), "", 0);
      if (options.all)
        return void (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      callback(null, first?.address ?? "", first?.family ?? 4);
    });
  };
  const connect = build({ lookup });
  return new AgentClass({
    connect: (options, callback) => {
      // An address in the URL is connected to without a lookup: checked here.
      const host = options.hostname.replace(/^\[(.*)\]$/, "$1");
      const range = isIP(host) ? addressRefusal(policy, host) : undefined;
      if (range !== undefined) return void callback(new AddressRefusedError(host, host, range), null);
      connect(options, callback);
    },
  });
}
