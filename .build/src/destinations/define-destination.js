function defineDestination(destination) {
  return destination;
}
export {
  defineDestination
};
