const SYSTEM_OWNER = "inngest";
function reservedNames(sources) {
  const owners = new Set([...sources].map((source) => source.toLowerCase()));
  owners.add(SYSTEM_OWNER);
  return {
    ownerOf(name) {
      const slash = name.indexOf("/");
      if (slash <= 0) return void 0;
      const prefix = name.slice(0, slash).trim().toLowerCase();
      return owners.has(prefix) ? prefix : void 0;
    }
  };
}
function firstRefusedName(reserved, names, mayUse) {
  for (const name of names) {
    const owner = reserved.ownerOf(name);
    if (owner !== void 0 && !mayUse(owner)) return { name, owner };
  }
  return void 0;
}
export {
  SYSTEM_OWNER,
  firstRefusedName,
  reservedNames
};
