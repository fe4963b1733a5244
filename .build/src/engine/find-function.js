function findFunction(functions, name) {
  const exact = functions.find((fn) => fn.id === name);
  if (exact) return exact;
  const bare = functions.filter((fn) => fn.localId === name);
  return bare.length === 1 ? bare[0] : void 0;
}
export {
  findFunction
};
