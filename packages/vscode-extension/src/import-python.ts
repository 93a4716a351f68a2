// The command `Anneal: Import from Python`: every scheduler the active Python script
// constructs, written as Anneal specs (`importPython()`, as `anneal import` does) in an
// untitled editor beside the script. What could not be imported is said in a message.

import { importPython } from "@anneal/compiler/python";
import * as vscode from "vscode";

export async function importActivePython(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "python") {
    void vscode.window.showWarningMessage("Anneal: open a Python training script to import its schedulers.");
    return;
  }
  const file = editor.document.uri.path.replace(/^.*\//, "");
  const r = importPython(editor.document.getText(), { file });
  const missed = r.diagnostics.filter((d) => d.code === "A520" || d.code === "A521");
  if (r.specs.length === 0) {
    const why = missed[0]?.message ?? "no learning-rate scheduler construction was found";
    void vscode.window.showWarningMessage(`Anneal: nothing to import from ${file}: ${why}.`);
    return;
  }
  const doc = await vscode.workspace.openTextDocument({ language: "anneal", content: r.text });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  if (missed.length > 0) void vscode.window.showWarningMessage(`Anneal: ${missed.length} scheduler${missed.length === 1 ? "" : "s"} of ${file} could not be imported exactly: ${missed[0]!.message}.`);
}
