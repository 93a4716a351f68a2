-- Drives the Anneal language server from a real editor: Neovim 0.7+ headless, its built-in
-- LSP client. Opens a schedule with a mistake, waits for the diagnostic, asks for a hover,
-- inlay hints, code lenses and completion, renames a `let` and formats the file (applying
-- the edits as Neovim does), then breaks the schedule while "typing" and asks for the code
-- lenses again (they must keep the last good figures, marked stale), writes what it saw as
-- JSON to $ANNEAL_OUT and quits. Every wait is time-boxed, and a watchdog quits regardless,
-- so this can never hang.
--
-- Environment: ANNEAL_SERVER (the server bundle), ANNEAL_FILE (the .anneal file),
-- ANNEAL_OUT (where to write the JSON), ANNEAL_HOVER_LINE / ANNEAL_HOVER_CHAR (0-based).

local out_path = os.getenv("ANNEAL_OUT")
local result = { steps = {} }

local function finish(err)
  if err then result.error = tostring(err) end
  local f = io.open(out_path, "w")
  if f then
    f:write(vim.fn.json_encode(result))
    f:close()
  end
  vim.cmd("qall!")
end

-- The watchdog: whatever happens, write what there is and quit.
vim.defer_fn(function() finish("watchdog: the script did not finish in 25 s") end, 25000)

local function step(name) table.insert(result.steps, name) end

local function main()
  local server = assert(os.getenv("ANNEAL_SERVER"), "ANNEAL_SERVER is not set")
  local file = assert(os.getenv("ANNEAL_FILE"), "ANNEAL_FILE is not set")
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)

  local client_id = vim.lsp.start_client({
    name = "anneal",
    cmd = { "node", server, "--stdio" },
    root_dir = vim.fn.fnamemodify(file, ":h"),
    -- Neovim 0.7 neither pulls nor pushes settings by itself: send them once the server is
    -- up. The lint level makes the cut-short restart an error.
    settings = { anneal = { lint = { A309 = "error" } } },
    on_init = function(client)
      client.notify("workspace/didChangeConfiguration", { settings = client.config.settings })
    end,
  })
  assert(client_id, "vim.lsp.start_client failed")
  assert(vim.lsp.buf_attach_client(bufnr, client_id), "vim.lsp.buf_attach_client failed")
  step("attached")

  -- Settings and the first publish race; wait for the error, then take what is there.
  vim.wait(10000, function() return #vim.diagnostic.get(bufnr, { severity = vim.diagnostic.severity.ERROR }) > 0 end, 50)
  assert(#vim.diagnostic.get(bufnr) > 0, "no diagnostics within 10 s")
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.diagnostics, { code = d.code, severity = d.severity, lnum = d.lnum, col = d.col, message = d.message })
  end
  step("diagnostics")

  local position = { line = tonumber(os.getenv("ANNEAL_HOVER_LINE")), character = tonumber(os.getenv("ANNEAL_HOVER_CHAR")) }
  local function request(method, params)
    local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, 5000)
    assert(responses, method .. ": " .. tostring(err))
    local r = responses[client_id]
    assert(r, method .. ": no response from the anneal client")
    assert(not r.error, method .. ": " .. vim.inspect(r.error))
    return r.result
  end

  local hover = request("textDocument/hover", { textDocument = { uri = uri }, position = position })
  result.hover = hover and hover.contents or vim.NIL
  step("hover")

  local last = vim.api.nvim_buf_line_count(bufnr)
  result.inlay_hints = request("textDocument/inlayHint", {
    textDocument = { uri = uri },
    range = { start = { line = 0, character = 0 }, ["end"] = { line = last, character = 0 } },
  })
  step("inlay hints")

  result.code_lenses = request("textDocument/codeLens", { textDocument = { uri = uri } })
  step("code lenses")

  local function text() return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n") end
  local function line_of(needle)
    for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
      local c = l:find(needle, 1, true)
      if c then return i - 1, c - 1 end
    end
    error("no line holds " .. needle)
  end

  -- Completion right after the arrow: the phase kinds.
  local arrow_line, arrow_col = line_of("-> ")
  local items = request("textDocument/completion", { textDocument = { uri = uri }, position = { line = arrow_line, character = arrow_col + 3 } })
  result.completion = {}
  for _, it in ipairs(items.items or items) do table.insert(result.completion, it.label) end
  step("completion")

  -- Rename the `let`, applied as `vim.lsp.buf.rename()` applies it.
  local let_line, let_col = line_of("floor")
  local edit = request("textDocument/rename", { textDocument = { uri = uri }, position = { line = let_line, character = let_col + 1 }, newName = "min_lr" })
  vim.lsp.util.apply_workspace_edit(edit, "utf-16")
  result.renamed = text()
  step("rename")

  -- Formatting: the edits the server sends, applied by Neovim.
  local edits = request("textDocument/formatting", { textDocument = { uri = uri }, options = { tabSize = 2, insertSpaces = true } })
  result.format_edits = #edits
  vim.lsp.util.apply_text_edits(edits, bufnr, "utf-16")
  result.formatted = text()
  step("formatting")

  -- Typing: `total 100k steps` loses its number, an error, and the lens stays, marked stale.
  local total_line = line_of("total ")
  vim.api.nvim_buf_set_lines(bufnr, total_line, total_line + 1, false, { "total steps" })
  vim.wait(10000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr, { severity = vim.diagnostic.severity.ERROR })) do
      if d.lnum == total_line then return true end
    end
    return false
  end, 50)
  result.stale_lenses = request("textDocument/codeLens", { textDocument = { uri = uri } })
  step("stale")

  vim.lsp.stop_client(client_id)
  vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
  step("stopped")
end

local ok, err = pcall(main)
finish(not ok and err or nil)
