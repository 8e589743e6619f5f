-- Drives Neovim headless for test/editors/run.mjs: runs editors/neovim/pmta.lua (PMTA_EDITOR_SETUP)
-- exactly as a user's config would, edits each file named in PMTA_EDITOR_FILES (separated by
-- newlines) and writes what Neovim saw to PMTA_EDITOR_OUT as JSON: the file type, the diagnostics
-- (with the server's code), a hover at PMTA_EDITOR_HOVER ("FILE:LINE:COLUMN", 1-based line),
-- the code action whose title matches PMTA_EDITOR_ACTION (a Lua pattern) applied through
-- vim.lsp.buf.code_action on the first diagnostic with code PMTA_EDITOR_ACTION_CODE, the
-- registrations the server asked for and what the client declared it takes, and the warnings
-- shown; and the file type each name of PMTA_EDITOR_NAMES (separated by newlines, files that need
-- not exist) is given. The comparison with the command line is run.mjs's.

local TIMEOUT = 40000

local registered = {}
local warnings = {}

-- what the server asks to register, and what Neovim would show the user
local register = vim.lsp.handlers['client/registerCapability']
vim.lsp.handlers['client/registerCapability'] = function(err, params, ctx, ...)
  for _, r in ipairs(params.registrations or {}) do
    table.insert(registered, r.method)
  end
  return register(err, params, ctx, ...)
end
local notify = vim.notify
vim.notify = function(msg, level, ...)
  if level and level >= vim.log.levels.WARN then
    table.insert(warnings, msg)
  end
  return notify(msg, level, ...)
end

local function wait(what, pred)
  if not vim.wait(TIMEOUT, pred, 50) then
    error('timed out waiting for ' .. what)
  end
end

local function lsp_code(d)
  local lsp = d.user_data and d.user_data.lsp
  return tostring((lsp and lsp.code) or d.code)
end

--- The diagnostics of `buf`, once the server has published and nothing changed for a second.
local function settled_diagnostics(buf)
  wait('diagnostics', function()
    return #vim.diagnostic.get(buf) > 0
  end)
  local last, same = nil, 0
  while same < 10 do
    vim.wait(100)
    local now = vim.json.encode(vim.tbl_map(function(d)
      return { d.lnum, d.col, lsp_code(d), d.message }
    end, vim.diagnostic.get(buf)))
    if now == last then
      same = same + 1
    else
      last, same = now, 0
    end
  end
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, { line = d.lnum, character = d.col, code = lsp_code(d), message = d.message, severity = d.severity })
  end
  return out
end

local function hover(buf, line, column)
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line - 1, character = column } }
  local answers = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, TIMEOUT)
  for _, a in pairs(answers or {}) do
    local contents = a.result and a.result.contents
    if type(contents) == 'string' then
      return contents
    elseif type(contents) == 'table' then
      return contents.value
    end
  end
end

--- The first diagnostic with `code`, its code action matching `title` applied the way the user would.
local function apply_action(buf, code, title)
  local diag
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if lsp_code(d) == code then
      diag = diag or d
    end
  end
  if not diag then
    return nil
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = diag.user_data.lsp.range,
    context = { diagnostics = { diag.user_data.lsp } },
  }
  local titles = {}
  for _, a in pairs(vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, TIMEOUT) or {}) do
    for _, action in ipairs(a.result or {}) do
      table.insert(titles, action.title)
    end
  end
  local before = vim.api.nvim_buf_get_lines(buf, diag.lnum, diag.lnum + 1, false)[1]
  local chosen
  vim.api.nvim_win_set_cursor(0, { diag.lnum + 1, diag.col })
  -- one action left after the filter: applied without asking
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(a)
      if a.title:match(title) and a.isPreferred then
        chosen = a.title
        return true
      end
      return false
    end,
  })
  wait('the code action to change the buffer', function()
    return vim.api.nvim_buf_get_lines(buf, diag.lnum, diag.lnum + 1, false)[1] ~= before
  end)
  return { title = chosen, titles = titles, line = vim.api.nvim_buf_get_lines(buf, diag.lnum, diag.lnum + 1, false)[1] }
end

local function visit(file, hover_at, action_code, action_title)
  vim.cmd.edit(vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local result = { file = file, mode = vim.bo[buf].filetype }
  if result.mode ~= 'powermta' then
    return result
  end
  wait('the server to attach', function()
    return #vim.lsp.get_clients({ bufnr = buf }) > 0
  end)
  local client = vim.lsp.get_clients({ bufnr = buf })[1]
  result.project = client.config.root_dir or vim.NIL
  result.diagnostics = settled_diagnostics(buf)
  if hover_at and hover_at.file == file then
    result.hover = hover(buf, hover_at.line, hover_at.column)
  end
  if action_code then
    result.action = apply_action(buf, action_code, action_title)
  end
  local ws = client.capabilities.workspace or {}
  result.dynamic = {
    ['workspace/didChangeConfiguration'] = (ws.didChangeConfiguration or {}).dynamicRegistration == true,
    ['workspace/didChangeWatchedFiles'] = (ws.didChangeWatchedFiles or {}).dynamicRegistration == true,
  }
  result.registrations = registered
  result.warnings = warnings
  return result
end

local function main()
  dofile(os.getenv('PMTA_EDITOR_SETUP'))
  local hover_at
  local spec = os.getenv('PMTA_EDITOR_HOVER')
  if spec then
    local file, line, column = spec:match('^(.*):(%d+):(%d+)$')
    hover_at = { file = file, line = tonumber(line), column = tonumber(column) }
  end
  local results = {}
  for file in (os.getenv('PMTA_EDITOR_FILES') or ''):gmatch('[^\n]+') do
    table.insert(results, visit(file, hover_at, os.getenv('PMTA_EDITOR_ACTION_CODE'), os.getenv('PMTA_EDITOR_ACTION')))
  end
  local modes = vim.empty_dict()
  for name in (os.getenv('PMTA_EDITOR_NAMES') or ''):gmatch('[^\n]+') do
    modes[name] = vim.filetype.match({ filename = name }) or ''
  end
  local v = vim.version()
  local f = assert(io.open(os.getenv('PMTA_EDITOR_OUT'), 'w'))
  f:write(vim.json.encode({ nvim = string.format('%d.%d.%d', v.major, v.minor, v.patch), files = results, modes = modes }))
  f:close()
end

local ok, err = pcall(main)
if not ok then
  io.stderr:write('nvim-driver: ' .. tostring(err) .. '\n')
  vim.cmd('cquit 1')
end
vim.cmd('qall!')
