function createClosers(logger) {
  const stack = [];
  return {
    push(name, close) {
      stack.push({ name, close });
    },
    async closeAll() {
      for (const { name, close } of stack.splice(0).reverse()) {
        try {
          await close();
        } catch (error) {
          logger.warn({ err: error, closing: name }, "error while stopping");
        }
      }
    }
  };
}
export {
  createClosers
};
