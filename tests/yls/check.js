// Validates record files with yaml-language-server (the engine of VS Code's
// YAML extension and of Neovim's yamlls), each against the schema its first
// line names. Prints one line per diagnostic, `FILE:LINE:COL: MESSAGE`, then
// a count. Used by the ignored test `schema::yaml_language_server_agrees`:
//
//   npm install --prefix /tmp/yls yaml-language-server vscode-languageserver-textdocument
//   NODE_PATH=/tmp/yls/node_modules cargo test --test cli yaml_language_server -- --ignored
const fs = require('fs');
const path = require('path');
const { pathToFileURL, fileURLToPath } = require('url');
const { getLanguageService } = require('yaml-language-server');
const { TextDocument } = require('vscode-languageserver-textdocument');

const ls = getLanguageService({
  schemaRequestService: (uri) => Promise.resolve(fs.readFileSync(fileURLToPath(uri), 'utf8')),
  workspaceContext: { resolveRelativePath: (rel, res) => new URL(rel, res).href },
});
ls.configure({ validate: true, completion: true, hover: true, schemas: [], customTags: [], yamlVersion: '1.2' });

(async () => {
  let withDiagnostics = 0;
  for (const f of process.argv.slice(2)) {
    const text = fs.readFileSync(f, 'utf8');
    const doc = TextDocument.create(pathToFileURL(path.resolve(f)).href, 'yaml', 1, text);
    const diags = await ls.doValidation(doc, false);
    if (diags.length) withDiagnostics++;
    for (const d of diags) {
      console.log(`${f}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message.replace(/\n/g, ' ')}`);
    }
  }
  console.log(`${process.argv.length - 2} files, ${withDiagnostics} with diagnostics`);
})();
