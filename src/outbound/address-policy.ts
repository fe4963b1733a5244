import ipaddr from "ipaddr.js";
import { z } from "zod";

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Which addresses outgoing requests (step.fetch, destinations) may connect to. By default only
 * public unicast ones: a function or a destination whose URL comes from an event must not reach
 * the bridge's own machine, its network, or a cloud's metadata service (169.254.169.254).
 * FETCH_ALLOW_PRIVATE=true lifts it; a comma list of CIDR ranges (or addresses) lets those through.
 */
export type AddressPolicy =
  | { readonly allowAll: true }
  | { readonly allowAll: false; readonly allowed: ReadonlyArray<readonly [Address, number]> };

export const DEFAULT_ADDRESS_POLICY: AddressPolicy = Object.freeze({ allowAll: false, allowed: [] });

/**
 * Why the policy refuses an address (ipaddr.js's name for its range: `loopback`, `private`,
 * `linkLocal`, `uniqueLocal`, `unspecified`, `carrierGradeNat`, ...), or undefined when it may be
 * reached. An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 one.
 */
export function addressRefusal(policy: AddressPolicy, address: string): string | undefined {
  if (policy.allowAll) return undefined;
  if (!ipaddr.isValid(address)) return "not an IP address";
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === "unicast") return undefined;
  const allowed = policy.allowed.some(
    ([network, bits]) => network.kind() === parsed.kind() && parsed.match(network, bits),
  );
  return allowed ? undefined : range;
}

/** FETCH_ALLOW_PRIVATE: unset or `false`, `true`, or a comma list of CIDR ranges and addresses. */
export const fetchAllowPrivate = z
  .string()
  .optional()
  .transform((value, ctx): AddressPolicy => {
    const text = value?.trim().toLowerCase() ?? "false";
    if (text === "false") return DEFAULT_ADDRESS_POLICY;
    if (text === "true") return { allowAll: true };
    const entries = text
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
    const allowed: Array<readonly [Address, number]> = [];
    const wrong: string[] = [];
    for (const entry of entries) {
      try {
        allowed.push(
          entry.includes("/")
            ? ipaddr.parseCIDR(entry)
            : [ipaddr.parse(entry), ipaddr.parse(entry).kind() === "ipv4" ? 32 : 128],
        );
      } catch {
        wrong.push(entry);
      }
    }
    if (entries.length === 0 || wrong.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `must be true, false, or a comma list of CIDR ranges or addresses, such as 10.0.0.0/8,127.0.0.1 (not ${wrong.join(", ") || "empty"})`,
      });
      return z.NEVER;
    }
    return { allowAll: false, allowed };
  });
