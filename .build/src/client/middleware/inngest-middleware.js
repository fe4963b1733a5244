class InngestMiddleware {
  name;
  init;
  constructor({ name, init }) {
    this.name = name;
    this.init = init;
  }
}
export {
  InngestMiddleware
};
