const Middleware = Object.freeze({
  BaseMiddleware: class BaseMiddleware {
  }
});
export {
  Middleware
};
