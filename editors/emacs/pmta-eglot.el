;;; pmta-eglot.el --- PowerMTA configuration files with pmta-lsp in Eglot  -*- lexical-binding: t; -*-

;; The PowerMTA language server in Emacs 29 or later (Eglot is built in): a major mode for
;; PowerMTA files, the file names it goes by, the server started as soon as such a file is
;; visited, and the folder of the configuration as the project root, so that a file of
;; conf.d is checked as part of the configuration that includes it.
;;
;; Copy this file into your load path and add (require 'pmta-eglot) to your init file, or
;; load it with (load "/path/to/pmta-eglot.el").  The server is pmta-lsp's dist/server.js:
;; by default ~/pmta-lsp/dist/server.js (a clone built with `npm ci && npm run build'),
;; else set the environment variable PMTA_LSP_SERVER, or `pmta-lsp-server' before loading.

;;; Code:

(require 'eglot)
(require 'project)

(defvar pmta-lsp-server
  (or (getenv "PMTA_LSP_SERVER") (expand-file-name "~/pmta-lsp/dist/server.js"))
  "The language server's script, pmta-lsp's dist/server.js.")

(define-derived-mode powermta-mode conf-space-mode "PowerMTA"
  "Major mode for PowerMTA configuration files; the checks come from pmta-lsp through Eglot."
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+[ \t]*"))

;; The names a PowerMTA configuration goes by.  Added in front of the built-in patterns, so
;; that conf.d/*.conf is not opened in conf-mode.
(dolist (pattern '("\\.pmta\\'"
                   "/pmta\\.conf\\'"
                   "/pmta/config\\'"
                   "/pmta/[^/]*\\.conf\\'"
                   "/pmta/conf\\.d/[^/]*\\.conf\\'"))
  (add-to-list 'auto-mode-alist (cons pattern 'powermta-mode)))

;; Eglot derives the language id from the mode's name: "powermta", what the server expects.
;; The two Node options keep the server's memory low on very large configurations.
(add-to-list 'eglot-server-programs
             `(powermta-mode . ("node" "--max-semi-space-size=4" "--heap-growing-percent=20"
                                ,pmta-lsp-server "--stdio")))

(defun pmta-eglot-project (dir)
  "The project of a PowerMTA file outside version control: the folder above DIR that holds `config'.
Without it, Eglot would take the file's own folder (/etc/pmta/conf.d), and the server would
have to look above it for the configuration that includes the file."
  (when (derived-mode-p 'powermta-mode)
    (let ((root (locate-dominating-file dir "config")))
      (when root (cons 'transient (expand-file-name root))))))

;; After the version control backends (depth 0): a repository stays the project.
(add-hook 'project-find-functions #'pmta-eglot-project 50)

;; Start the server as soon as a PowerMTA file is visited.
(add-hook 'powermta-mode-hook #'eglot-ensure)

;; Settings, as in VS Code without the "pmta." prefix (the server asks for section "pmta"):
;; (setq-default eglot-workspace-configuration
;;               '(:pmta (:microsoft (:volumeTier "100k-500k") :rules (:deprecated "off"))))

(provide 'pmta-eglot)
;;; pmta-eglot.el ends here
