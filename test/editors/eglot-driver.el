;;; eglot-driver.el --- Drives Eglot in batch mode for test/editors/run.mjs  -*- lexical-binding: t; -*-

;; Loads editors/emacs/pmta-eglot.el exactly as a user would, visits each file named in
;; PMTA_EDITOR_FILES (separated by newlines) and writes what Emacs saw to PMTA_EDITOR_OUT as
;; JSON: the major mode, the diagnostics Flymake holds (with the server's code), a hover
;; at PMTA_EDITOR_HOVER ("FILE:LINE:COLUMN", 1-based), the code action whose title matches
;; PMTA_EDITOR_ACTION applied on the first diagnostic with code PMTA_EDITOR_ACTION_CODE,
;; and whether the server asked Emacs to register anything; and the major mode each name of
;; PMTA_EDITOR_NAMES (separated by newlines, files that need not exist) would be visited in.  The comparison with the command
;; line is run.mjs's.

;;; Code:

(require 'cl-lib)
(require 'json)

(defvar pmta-driver-timeout 40 "Seconds to wait for the server at each step.")
(defvar eglot-confirm-server-edits)
(defvar eglot-confirm-server-initiated-edits)

(defun pmta-driver-wait (pred what)
  "Wait until PRED returns non-nil (running what Emacs would between commands); signal WHAT on timeout."
  (let ((deadline (+ (float-time) pmta-driver-timeout)) value)
    (while (and (not (setq value (funcall pred))) (< (float-time) deadline))
      ;; eglot-ensure connects from post-command-hook, Flymake reports after a command too
      (run-hooks 'post-command-hook)
      (accept-process-output nil 0.1))
    (or value (error "Timed out waiting for %s" what))))

(defun pmta-driver-position (pos)
  "POS as (LINE COLUMN), both 0-based (LSP's lines; characters, as the files here are ASCII)."
  (save-excursion
    (goto-char pos)
    (list (1- (line-number-at-pos)) (current-column))))

(defun pmta-driver-diagnostics ()
  "The diagnostics Flymake holds in this buffer, in order, each with the server's code and message."
  (let ((diags (sort (flymake-diagnostics) (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b))))))
    (mapcar (lambda (d)
              (let* ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))))
                     (at (pmta-driver-position (flymake-diagnostic-beg d))))
                `((line . ,(car at)) (character . ,(cadr at))
                  (code . ,(format "%s" (plist-get lsp :code)))
                  (message . ,(plist-get lsp :message))
                  (type . ,(format "%s" (flymake-diagnostic-type d))))))
            diags)))

(defun pmta-driver-settled-diagnostics ()
  "Wait until the server has published and Flymake shows it, then until nothing changes for a second."
  (pmta-driver-wait (lambda () (flymake-start) (flymake-diagnostics)) "diagnostics")
  (let ((last nil) (same 0))
    (while (< same 10)
      (flymake-start)
      (accept-process-output nil 0.1)
      (let ((now (pmta-driver-diagnostics)))
        (if (equal now last) (cl-incf same) (setq same 0 last now))))
    last))

(defun pmta-driver-hover (line column)
  "The hover's text at LINE and COLUMN (1-based line, 0-based column) of this buffer."
  (save-excursion
    (goto-char (point-min))
    (forward-line (1- line))
    (move-to-column column)
    (let ((answer (jsonrpc-request (eglot-current-server) :textDocument/hover (eglot--TextDocumentPositionParams))))
      (let ((contents (plist-get answer :contents)))
        (if (stringp contents) contents (plist-get contents :value))))))

(defun pmta-driver-apply-action (code title-regexp)
  "Apply the code action whose title matches TITLE-REGEXP on the first diagnostic with CODE; its title and line after."
  (let* ((diag (cl-find-if (lambda (d) (equal (format "%s" (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)) code))
                           (flymake-diagnostics)))
         (beg (flymake-diagnostic-beg diag))
         (actions (eglot-code-actions beg (flymake-diagnostic-end diag)))
         (action (cl-find-if (lambda (a) (string-match-p title-regexp (plist-get a :title))) actions)))
    (unless action (error "No code action matching %s among %S" title-regexp (mapcar (lambda (a) (plist-get a :title)) actions)))
    ;; no question about the edit (Emacs 29 names the option eglot-confirm-server-initiated-edits);
    ;; Emacs 30 runs an action with eglot-execute, 29 applies its edit itself
    (let ((eglot-confirm-server-edits nil)
          (eglot-confirm-server-initiated-edits nil))
      (if (fboundp 'eglot-execute)
          (eglot-execute (eglot-current-server) action)
        (eglot--apply-workspace-edit (plist-get action :edit))))
    (save-excursion
      (goto-char beg)
      `((title . ,(plist-get action :title))
        (titles . ,(vconcat (mapcar (lambda (a) (plist-get a :title)) actions)))
        (line . ,(buffer-substring-no-properties (line-beginning-position) (line-end-position)))))))

(defun pmta-driver-registrations ()
  "The methods the server asked Emacs to register (client/registerCapability, from Eglot's events buffer)."
  (with-current-buffer (jsonrpc-events-buffer (eglot-current-server))
    (let (methods)
      (goto-char (point-min))
      (while (search-forward "client/registerCapability" nil t)
        (let ((end (save-excursion (or (re-search-forward "^\\[jsonrpc\\]" nil t) (point-max)))))
          (while (re-search-forward "\"method\": *\"\\([^\"]+\\)\"\\|:method \"\\([^\"]+\\)\"" end t)
            (let ((m (or (match-string 1) (match-string 2))))
              (unless (equal m "client/registerCapability") (push m methods))))))
      (vconcat (nreverse methods)))))

(defun pmta-driver-warnings ()
  "What Eglot warned about (lines of *Messages* that speak of capabilities), as a user would see it."
  (with-current-buffer (messages-buffer)
    (vconcat (cl-remove-if-not (lambda (l) (string-match-p "capabilit" l))
                               (split-string (buffer-string) "\n" t)))))

(defun pmta-driver-visit (file hover action-code action-title)
  "Visit FILE and return what Emacs saw of it."
  (with-current-buffer (find-file-noselect file)
    (let ((result `((file . ,file) (mode . ,(symbol-name major-mode)))))
      (when (eq major-mode 'powermta-mode)
        (pmta-driver-wait (lambda () (eglot-managed-p)) "Eglot to manage the buffer")
        (setq result (append result
                             `((project . ,(project-root (eglot--project (eglot-current-server))))
                               (diagnostics . ,(vconcat (pmta-driver-settled-diagnostics))))))
        (when (and hover (equal (car hover) file))
          (setq result (append result `((hover . ,(pmta-driver-hover (nth 1 hover) (nth 2 hover)))))))
        (when (and action-code (cl-find-if (lambda (d) (equal (alist-get 'code d) action-code)) (alist-get 'diagnostics result)))
          (setq result (append result `((action . ,(pmta-driver-apply-action action-code action-title))))))
        (setq result (append result `((registrations . ,(pmta-driver-registrations)) (warnings . ,(pmta-driver-warnings))))))
      result)))

(defun pmta-driver-mode-for (name)
  "The major mode a file named NAME is visited in (as `find-file' chooses it)."
  (with-temp-buffer
    (setq buffer-file-name name)
    (set-auto-mode)
    (prog1 (symbol-name major-mode)
      (setq buffer-file-name nil))))

(defun pmta-driver-main ()
  "Load the setup, visit the files, write the JSON."
  (load (expand-file-name (getenv "PMTA_EDITOR_SETUP")) nil t)
  (let* ((files (split-string (getenv "PMTA_EDITOR_FILES") "\n" t))
         (hover-spec (getenv "PMTA_EDITOR_HOVER"))
         (hover (when hover-spec
                  (let ((parts (split-string hover-spec ":")))
                    (list (string-join (butlast parts 2) ":")
                          (string-to-number (car (last parts 2)))
                          (string-to-number (car (last parts)))))))
         (results (mapcar (lambda (f) (pmta-driver-visit f hover (getenv "PMTA_EDITOR_ACTION_CODE") (getenv "PMTA_EDITOR_ACTION")))
                          files)))
    (with-temp-file (getenv "PMTA_EDITOR_OUT")
      (insert (json-encode `((emacs . ,emacs-version)
                             (files . ,(vconcat results))
                             (modes . ,(mapcar (lambda (n) (cons n (pmta-driver-mode-for n)))
                                               (split-string (or (getenv "PMTA_EDITOR_NAMES") "") "\n" t)))))))))

(condition-case err
    (pmta-driver-main)
  (error
   (princ (format "eglot-driver: %s\n" (error-message-string err)) #'external-debugging-output)
   (kill-emacs 1)))
;; the servers end with Emacs (a polite shutdown in batch mode only logs warnings about sentinels)
(kill-emacs 0)

;;; eglot-driver.el ends here
