/**
 * A Lua script's contract, declared once beside its caller: its KEYS and ARGV by name, in order,
 * and how its reply reads. The TypeScript call builds its arrays from a named object in the
 * declared order (so no caller counts positions), the reply is decoded by the declaration into a
 * union, and a test holds each declaration against its script's header (`KEYS[n] name: …`,
 * `ARGV[n] name: …`, "Returns …") and body, so a position or a reply code that moves on one side
 * only fails there, not in an integration test three layers up.
 */
export interface LuaContract<K extends string = string, A extends string = string, R = unknown> {
  /** The script's file: `name-<numKeys>.lua`, or `name.lua` when the number of keys varies. */
  readonly file: string;
  readonly keys: readonly K[];
  readonly argv: readonly A[];
  /** The keys after the named ones, when their number varies (header: `KEYS[n..] name: …`). */
  readonly moreKeys?: string;
  /** The arguments after the named ones, passed as a list (header: `ARGV[n..] name: …`). */
  readonly moreArgv?: string;
  /**
   * A group of keys and arguments repeated after the named ones (header: `KEYS[n..] per <name>`
   * and `ARGV[n..] per <name>`, each followed by `+i name: …` lines).
   */
  readonly each?: LuaGroup;
  /**
   * The reply's codes: each is named in the header's "Returns" paragraph (a number as itself, a
   * string in double quotes). A record also names each code (`<code>  <name>: …` in the header).
   */
  readonly replies: readonly (string | number)[] | Readonly<Record<number, string>>;
  /** The raw reply as the union the callers handle. */
  readonly decode: (reply: unknown) => R;
}

export interface LuaGroup<K extends string = string, A extends string = string> {
  readonly name: string;
  readonly keys: readonly K[];
  readonly argv: readonly A[];
}

/** Declares a contract, keeping its names as literal types. */
export function luaContract<const K extends string, const A extends string, R>(
  contract: LuaContract<K, A, R>,
): LuaContract<K, A, R> {
  return contract;
}

export function luaGroup<const K extends string, const A extends string>(group: LuaGroup<K, A>): LuaGroup<K, A> {
  return group;
}

/** A script's keys (or a group's) by name. */
export type KeysOf<C> = C extends { keys: readonly (infer K extends string)[] } ? Record<K, string> : never;
/** A script's arguments (or a group's) by name. */
export type ArgsOf<C> = C extends { argv: readonly (infer A extends string)[] } ? Record<A, string | number> : never;
export type ReplyOf<C> = C extends LuaContract<string, string, infer R> ? R : never;

/** Appends the named values in the declared order (no copy beyond the array being built). */
export function pushInOrder<N extends string, V>(out: V[], names: readonly N[], named: Readonly<Record<N, V>>): V[] {
  for (const name of names) out.push(named[name]);
  return out;
}

/** What a script's header documents (the comment block `--[[ … ]]` at its top). */
export interface LuaHeader {
  keys: string[];
  argv: string[];
  moreKeys?: { from: number; name: string };
  moreArgv?: { from: number; name: string };
  each: {
    keys?: { from: number; per: string; names: string[] };
    argv?: { from: number; per: string; names: string[] };
  };
  /** The "Returns …" paragraph. */
  returns: string;
}

export function readLuaHeader(source: string): LuaHeader {
  const header = /^--\[\[([\s\S]*?)\]\]/.exec(source)?.[1] ?? "";
  const parsed: LuaHeader = { keys: [], argv: [], each: {}, returns: "" };
  let group: { names: string[] } | undefined;
  for (const line of header.split("\n")) {
    const offset = group && /^\s*\+(\d+)\s+(\w+):/.exec(line);
    if (group && offset) {
      if (Number(offset[1]) !== group.names.length) group.names.push(`(+${offset[1]} out of order)`);
      group.names.push(offset[2] as string);
      continue;
    }
    // A group runs to the next blank line; a line of its own that is not `+i name:` continues the one above.
    if (line.trim() === "") group = undefined;
    if (group && !/^\s*(KEYS|ARGV)\[/.test(line)) continue;
    group = undefined;
    const named = /^\s*(KEYS|ARGV)\[(\d+)\]\s+(\w+):/.exec(line);
    if (named) {
      const list = named[1] === "KEYS" ? parsed.keys : parsed.argv;
      if (Number(named[2]) !== list.length + 1) list.push(`(${named[1]}[${named[2]}] out of order)`);
      list.push(named[3] as string);
      continue;
    }
    const open = /^\s*(KEYS|ARGV)\[(\d+)\.\.\]\s+(?:per (\w+)|(\w+):)/.exec(line);
    if (!open) continue;
    const side = open[1] === "KEYS" ? "keys" : "argv";
    if (open[3]) {
      group = { names: [] };
      parsed.each[side] = { from: Number(open[2]), per: open[3], names: group.names };
    } else parsed[side === "keys" ? "moreKeys" : "moreArgv"] = { from: Number(open[2]), name: open[4] as string };
  }
  parsed.returns =
    header
      .split(/\n\s*\n/)
      .find((paragraph) => /^\s*Returns\b/.test(paragraph))
      ?.replace(/\s+/g, " ")
      .trim() ?? "";
  return parsed;
}

/**
 * Where a script and its declaration disagree: none when they match. Compares the file's key
 * count, the header's KEYS, ARGV, repeated groups and reply codes with the declaration, and the
 * positions the body reads with the header's (a position read but not declared, or declared but
 * never read, is a shift).
 */
export function checkLuaContract(contract: LuaContract, source: string): string[] {
  const problems: string[] = [];
  const header = readLuaHeader(source);
  const body = source.replace(/^--\[\[[\s\S]*?\]\]/, "");
  const same = (what: string, declared: readonly string[] | undefined, documented: readonly string[] | undefined) => {
    if ((declared ?? []).join(",") !== (documented ?? []).join(","))
      problems.push(
        `${what}: declared [${(declared ?? []).join(", ")}], the header says [${(documented ?? []).join(", ")}]`,
      );
  };
  const variable = contract.moreKeys !== undefined || contract.each !== undefined;
  const count = /-(\d+)\.lua$/.exec(contract.file)?.[1];
  if (variable ? count !== undefined : Number(count) !== contract.keys.length)
    problems.push(
      `${contract.file}: the file name's key count does not match ${variable ? "a variable number of keys" : `${contract.keys.length} keys`}`,
    );
  same("KEYS", contract.keys, header.keys);
  same("ARGV", contract.argv, header.argv);
  for (const [side, more] of [
    ["keys", contract.moreKeys],
    ["argv", contract.moreArgv],
  ] as const) {
    const documented = side === "keys" ? header.moreKeys : header.moreArgv;
    const from = contract[side].length + 1;
    if (more !== documented?.name || (documented && documented.from !== from))
      problems.push(
        `${side === "keys" ? "KEYS" : "ARGV"}[${from}..]: declared ${more ?? "nothing"}, the header says ${documented ? `${documented.name} from ${documented.from}` : "nothing"}`,
      );
  }
  for (const side of ["keys", "argv"] as const) {
    const documented = header.each[side];
    const declared = contract.each;
    const where = `${side === "keys" ? "KEYS" : "ARGV"} per ${declared?.name ?? documented?.per}`;
    if (declared && documented && (documented.per !== declared.name || documented.from !== contract[side].length + 1))
      problems.push(`${where}: the header's group starts at ${documented.from}, per ${documented.per}`);
    same(where, declared?.[side], documented?.names);
    // The body reads a group's members at `<base> + i`: every offset declared, and no other.
    if (!declared) continue;
    const read = new Set(
      [...body.matchAll(new RegExp(`${side === "keys" ? "KEYS" : "ARGV"}\\[[a-z]\\w*(?: \\+ (\\d+))?\\]`, "g"))].map(
        (m) => Number(m[1] ?? 0),
      ),
    );
    const expected = range(declared[side].length);
    if (read.size !== expected.length || expected.some((i) => !read.has(i)))
      problems.push(
        `${where}: the body reads offsets ${[...read].sort((a, b) => a - b).join(", ")}, ${expected.length} are declared`,
      );
    // …and steps from one member to the next by the group's size (`6 + r * 7`, `a = a + 14 + count`).
    const size = declared[side].length;
    if (!new RegExp(`\\* ${size}\\b|\\+ ${size} \\+`).test(body))
      problems.push(`${where}: the body never steps by the group's ${size}`);
  }
  for (const [name, declared] of [
    ["KEYS", contract.keys],
    ["ARGV", contract.argv],
  ] as const) {
    const read = new Set([...body.matchAll(new RegExp(`${name}\\[(\\d+)\\]`, "g"))].map((m) => Number(m[1])));
    const more = name === "KEYS" ? contract.moreKeys : contract.moreArgv;
    for (const index of read)
      if (index > declared.length && !more) problems.push(`${name}[${index}] is read by the body but not declared`);
    for (let index = 1; index <= declared.length; index++)
      if (!read.has(index))
        problems.push(`${name}[${index}] (${declared[index - 1]}) is declared but never read by the body`);
  }
  const codes = Array.isArray(contract.replies) ? contract.replies : Object.keys(contract.replies).map(Number);
  for (const code of codes) {
    const token =
      typeof code === "number"
        ? new RegExp(`(^|[^\\w.-])${String(code).replace("-", "\\-")}(?!\\w|\\.\\d)`)
        : new RegExp(`"${code}"`);
    if (!token.test(header.returns))
      problems.push(`reply ${JSON.stringify(code)} is not named in the header's "Returns"`);
  }
  if (!Array.isArray(contract.replies)) {
    for (const [code, name] of Object.entries(contract.replies)) {
      if (!new RegExp(`^\\s*${code.replace("-", "\\-")}\\s+${name}:`, "m").test(source))
        problems.push(`reply ${code}: the header does not name it ${name}`);
    }
  }
  return problems;
}

function range(length: number): number[] {
  return Array.from({ length }, (_, i) => i);
}
