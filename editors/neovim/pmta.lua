-- PowerMTA configuration files with the pmta-lsp language server, in Neovim 0.10 or later.
--
-- Copy this file to ~/.config/nvim/plugin/pmta.lua (Neovim loads it at start), or source it
-- from your init.lua. The server is pmta-lsp's dist/server.js: by default
-- ~/pmta-lsp/dist/server.js (a clone built with `npm ci && npm run build`), else set the
-- environment variable PMTA_LSP_SERVER, or vim.g.pmta_lsp_server before this file runs.
-- Neovim 0.11 and later use vim.lsp.config and vim.lsp.enable; 0.10 starts the server from a
-- FileType autocommand with vim.lsp.start.

local server = vim.g.pmta_lsp_server or vim.env.PMTA_LSP_SERVER or vim.fn.expand('~/pmta-lsp/dist/server.js')

-- The names a PowerMTA configuration goes by. Patterns are checked before extensions, so that
-- conf.d/*.conf is not opened as "conf".
vim.filetype.add({
  extension = { pmta = 'powermta' },
  filename = { ['pmta.conf'] = 'powermta' },
  pattern = {
    ['.*/pmta/config'] = 'powermta',
    ['.*/pmta/[^/]*%.conf'] = 'powermta',
    ['.*/pmta/conf%.d/[^/]*%.conf'] = 'powermta',
  },
})

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'powermta',
  callback = function()
    vim.bo.commentstring = '# %s'
  end,
})

local config = {
  -- the two Node options keep the server's memory low on very large configurations
  cmd = { 'node', '--max-semi-space-size=4', '--heap-growing-percent=20', server, '--stdio' },
  filetypes = { 'powermta' },
  -- the folder of the configuration (/etc/pmta for /etc/pmta/conf.d/*.conf), or of a repository
  root_markers = { 'config', '.git' },
  -- answered to workspace/configuration (section "pmta"), the same keys as VS Code's without "pmta."
  settings = { pmta = { microsoft = { volumeTier = 'auto' } } },
}

if vim.fn.has('nvim-0.11') == 1 then
  vim.lsp.config('pmta', config)
  vim.lsp.enable('pmta')
else
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'powermta',
    callback = function(args)
      vim.lsp.start({
        name = 'pmta',
        cmd = config.cmd,
        root_dir = vim.fs.root(args.buf, config.root_markers),
        settings = config.settings,
      })
    end,
  })
end
