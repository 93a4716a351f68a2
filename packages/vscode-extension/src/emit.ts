// The Emit commands, one per editor target of the compiler's emit table (PyTorch, Keras,
// optax, TF.js, ...): ask the language server for the generated code of a schedule in the active file (`workspace/executeCommand` `anneal.emit`) and open it in an
// untitled editor beside the source. A file with several schedules asks which one.

import { targetInfo } from "@anneal/compiler/emit";
import * as vscode from "vscode";
import { ExecuteCommandRequest, type LanguageClient } from "vscode-languageclient/node";
import {
  EMIT_COMMAND,
  SCHEDULES_REQUEST,
  type EmitCommandResult,
  type EmitCommandTarget,
  type SchedulesParams,
  type SchedulesResult,
} from "./server-protocol.js";


export async function emitActiveFile(client: () => Promise<LanguageClient>, target: EmitCommandTarget): Promise<void> {
  const what = `${targetInfo(target).label} code`;
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "anneal") {
    void vscode.window.showWarningMessage(`Anneal: open an .anneal file to emit ${what}.`);
    return;
  }
  const uri = editor.document.uri.toString();
  try {
    const lc = await client();
    const params: SchedulesParams = { uri };
    const { schedules } = await lc.sendRequest<SchedulesResult>(SCHEDULES_REQUEST, params);
    if (schedules.length === 0) {
      void vscode.window.showWarningMessage(`Anneal: this file defines no schedule to emit ${what} for.`);
      return;
    }
    let name = schedules[0]!.name;
    if (schedules.length > 1) {
      const picked = await vscode.window.showQuickPick(
        schedules.map((s) => ({ label: s.name, description: s.ir ? undefined : "has errors" })),
        { title: `Emit ${what}`, placeHolder: "Which schedule?" },
      );
      if (!picked) return;
      name = picked.label;
    }
    const result = (await lc.sendRequest(ExecuteCommandRequest.type, {
      command: EMIT_COMMAND,
      arguments: [uri, target, name],
    })) as EmitCommandResult | null;
    if (!result || "error" in result) {
      void vscode.window.showErrorMessage(`Anneal: could not emit ${what}: ${result?.error ?? "the language server returned nothing"}`);
      return;
    }
    const document = await vscode.workspace.openTextDocument({ content: result.text, language: result.language });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(`Anneal: could not emit ${what}: ${reason}`);
  }
}
