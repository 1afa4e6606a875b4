-- A real editor session with `ward lsp`, for cli/tests/lsp_neovim.rs: Neovim 0.7 (headless,
-- no configuration) starts the server, opens a Kubernetes manifest and a Rego rule of the test
-- project, and writes the diagnostics it received and a hover to standard output.
-- Environment: WARD_BIN (the ward binary), WARD_ROOT (testdata/lsp/project).

local ward = os.getenv("WARD_BIN")
local root = os.getenv("WARD_ROOT")
local out = function(line) io.stdout:write(line .. "\n") end
local received = {}

local client_id = vim.lsp.start_client({
  name = "ward",
  cmd = { ward, "lsp" },
  root_dir = root,
  handlers = {
    ["textDocument/publishDiagnostics"] = function(_, result)
      received[result.uri] = result.diagnostics
    end,
  },
})
if client_id == nil then
  out("error: the client did not start")
  vim.cmd("qa!")
end

local function open(relative)
  vim.cmd("edit " .. root .. "/" .. relative)
  local buffer = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buffer, client_id)
  local uri = vim.uri_from_bufnr(buffer)
  local arrived = vim.wait(30000, function() return received[uri] ~= nil end, 20)
  out("diagnostics " .. relative .. ":")
  if not arrived then
    out("  (none arrived)")
    return buffer
  end
  if #received[uri] == 0 then
    out("  (none)")
  end
  for _, diagnostic in ipairs(received[uri]) do
    local start = diagnostic.range.start
    out(string.format("  %d:%d %s %s", start.line + 1, start.character + 1, diagnostic.code or "-", diagnostic.message))
  end
  return buffer
end

open("deploy/app.yaml")
local rule = open("policy/rules/pdb.rego")

-- Hover on `sprintf` in the rule.
local lines = vim.api.nvim_buf_get_lines(rule, 0, -1, false)
local client = vim.lsp.get_client_by_id(client_id)
for number, line in ipairs(lines) do
  local column = string.find(line, "sprintf", 1, true)
  if column then
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(rule) },
      position = { line = number - 1, character = column },
    }
    local answer = client.request_sync("textDocument/hover", params, 30000, rule)
    local value = answer and answer.result and answer.result.contents and answer.result.contents.value
    out("hover sprintf:")
    for text in string.gmatch(value or "(no hover)", "[^\n]+") do
      out("  " .. text)
    end
    break
  end
end

client.stop()
vim.wait(5000, function() return client.is_stopped() end, 20)
vim.cmd("qa!")
