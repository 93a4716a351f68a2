// One problem as the page lists it, in the editor's Problems list and in the Import
// dialog's: the code on its severity's colour, the place, the message, all one button that
// shows the place; the caller adds what can be done about it (fixes, help lines).

export interface ListedProblem {
  severity: string;
  code: string;
  /** `line:column`, or `file:line:column`. */
  where: string;
  message: string;
  /** What choosing the problem does: select its range in the text it is about. */
  show(): void;
  title: string;
}

/** A list item for one problem. */
export function problemItem(p: ListedProblem): HTMLLIElement {
  const li = document.createElement("li");
  li.className = `problem ${p.severity}`;
  const go = document.createElement("button");
  go.type = "button";
  go.className = "go";
  go.title = p.title;
  const code = document.createElement("span");
  code.className = "code";
  code.textContent = p.code;
  const where = document.createElement("span");
  where.className = "where";
  where.textContent = p.where;
  const message = document.createElement("span");
  message.className = "message";
  message.textContent = p.message;
  go.append(code, " ", where, " ", message);
  go.addEventListener("click", p.show);
  li.append(go);
  return li;
}

/** The single item of a list with nothing in it, such as "No problems.". */
export function emptyItem(text: string): HTMLLIElement {
  const li = document.createElement("li");
  li.className = "none";
  li.textContent = text;
  return li;
}
