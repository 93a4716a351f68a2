// What the page inserts as markup from the language server (hovers, completion details):
// the markdown renderer's HTML, cut down to a few text elements and the hover's plot image.
// Hover text quotes the user's source, and a shared link is anyone's source, so nothing
// else survives: no scripts, handlers, styles, links or images other than an inline SVG plot.

const ALLOWED = new Set(["P", "STRONG", "EM", "B", "I", "CODE", "PRE", "UL", "OL", "LI", "BR", "HR", "SPAN", "IMG", "H1", "H2", "H3", "H4"]);

/** Only the hover plot's own kind of image: base64 SVG in a data URI. */
const PLOT_IMAGE = /^data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+$/;

function clean(node: Node): void {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) continue;
    if (child.nodeType !== Node.ELEMENT_NODE) {
      child.remove();
      continue;
    }
    const el = child as Element;
    if (!ALLOWED.has(el.tagName)) {
      // An unknown element keeps its text, never its markup.
      el.replaceWith(document.createTextNode(el.textContent ?? ""));
      continue;
    }
    for (const attr of Array.from(el.attributes)) {
      const keep =
        (el.tagName === "IMG" && attr.name === "src" && PLOT_IMAGE.test(attr.value)) ||
        (el.tagName === "IMG" && attr.name === "alt") ||
        (el.tagName === "SPAN" && attr.name === "class");
      if (!keep) el.removeAttribute(attr.name);
    }
    if (el.tagName === "IMG" && !el.hasAttribute("src")) {
      el.remove();
      continue;
    }
    clean(el);
  }
}

export function sanitizeHtml(html: string): string {
  // DOMParser builds an inert document: nothing in it loads or runs while it is cleaned.
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  clean(doc.body);
  return doc.body.innerHTML;
}
