// The bundled examples, compiled into the page by build.mjs from examples/*.anneal, and the
// recipes, from the editor extension's snippets with their placeholders at their defaults.
declare module "anneal:examples" {
  const examples: { name: string; title: string; text: string }[];
  export default examples;
  export const recipes: { name: string; title: string; text: string }[];
}
