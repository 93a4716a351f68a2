// The bundled examples, compiled into the page by build.mjs from examples/*.anneal.
declare module "anneal:examples" {
  const examples: { name: string; title: string; text: string }[];
  export default examples;
}
