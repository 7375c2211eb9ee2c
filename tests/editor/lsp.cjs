// Drives yaml-language-server over LSP (JSON-RPC with Content-Length framing on stdio), as an
// editor would, and checks what an editor user gets from schemas/case.schema.json:
//   1. completion on an empty line inside `facts:` offers the fact names of the clause library
//      (properties.facts.properties of the schema) with their descriptions: in a copy of
//      examples/tajikistan-lgbt.yaml whose `facts:` holds only the empty line, every fact is
//      offered and `detained` carries its description; in the unchanged example, exactly the
//      facts not yet written are offered (the server leaves out keys already present); the
//      country codes and the clause ids of `clauses.include` are offered with their names;
//   2. the example, opened where it is with its relative modeline, gets no diagnostics (and a
//      hover on `detained` shows its description), and a broken copy of it gets diagnostics at
//      the same lines as `dossier check`.
//
// usage: node lsp.cjs NODE_PREFIX DOSSIER_BINARY SOURCE_DIR WORK_DIR
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

const [prefix, dossier, source, work] = process.argv.slice(2).map((a) => path.resolve(a));
const REQUEST_TIMEOUT_MS = 30000;
const OVERALL_TIMEOUT_MS = 150000;
const SETTLE_MS = 750;  // quiet time after a publishDiagnostics before its lines are taken

const serverMain = path.join(prefix, 'node_modules/yaml-language-server/bin/yaml-language-server');
const server = spawn(process.execPath, [serverMain, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
let serverLog = '';
server.stderr.on('data', (d) => { serverLog += d; });

function fail(message) {
    console.log(`FAIL ${message}`);
    if (serverLog) console.log(`--- yaml-language-server stderr ---\n${serverLog}`);
    server.kill('SIGKILL');
    process.exit(1);
}
const watchdog = setTimeout(() => fail(`no result after ${OVERALL_TIMEOUT_MS / 1000} s`),
                            OVERALL_TIMEOUT_MS);
server.on('exit', (code, signal) => {
    if (!shuttingDown) fail(`yaml-language-server exited early (code ${code}, signal ${signal})`);
});
server.on('error', (e) => fail(`cannot start yaml-language-server: ${e.message}`));

// --- JSON-RPC over stdio -------------------------------------------------------------------
let nextId = 1;
let shuttingDown = false;
const pending = new Map();        // id -> {resolve, reject, timer}
const notificationWaiters = [];   // {method, test, resolve}
const diagnostics = new Map();    // uri -> {diagnostics, at}

function send(message) {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    server.stdin.write(body);
}
function request(method, params) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            pending.delete(id);
            reject(new Error(`${method}: no response within ${REQUEST_TIMEOUT_MS / 1000} s`));
        }, REQUEST_TIMEOUT_MS);
        pending.set(id, { resolve, reject, timer, method });
        send({ id, method, params });
    });
}
function notify(method, params) { send({ method, params }); }

function dispatch(message) {
    if (message.id !== undefined && message.method === undefined) {  // a response
        const p = pending.get(message.id);
        if (!p) return;
        pending.delete(message.id);
        clearTimeout(p.timer);
        if (message.error) p.reject(new Error(`${p.method}: ${JSON.stringify(message.error)}`));
        else p.resolve(message.result);
        return;
    }
    if (message.id !== undefined) {  // a request from the server: nothing to configure
        const result = message.method === 'workspace/configuration'
            ? (message.params.items || []).map(() => null) : null;
        send({ id: message.id, result });
        return;
    }
    if (message.method === 'textDocument/publishDiagnostics')
        diagnostics.set(message.params.uri, { diagnostics: message.params.diagnostics, at: Date.now() });
    for (let i = notificationWaiters.length - 1; i >= 0; i--) {
        const w = notificationWaiters[i];
        if (w.method === message.method && w.test(message.params)) {
            notificationWaiters.splice(i, 1);
            w.resolve(message.params);
        }
    }
}

let input = Buffer.alloc(0);
server.stdout.on('data', (chunk) => {
    input = Buffer.concat([input, chunk]);
    for (;;) {
        const end = input.indexOf('\r\n\r\n');
        if (end < 0) return;
        const header = input.subarray(0, end).toString('ascii');
        const m = header.match(/Content-Length:\s*(\d+)/i);
        if (!m) fail(`bad LSP header from the server: ${JSON.stringify(header)}`);
        const length = Number(m[1]);
        if (input.length < end + 4 + length) return;
        const body = input.subarray(end + 4, end + 4 + length).toString('utf8');
        input = input.subarray(end + 4 + length);
        dispatch(JSON.parse(body));
    }
});

function waitNotification(method, test, what) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} within ${REQUEST_TIMEOUT_MS / 1000} s`)),
                                 REQUEST_TIMEOUT_MS);
        notificationWaiters.push({ method, test, resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The diagnostics of a document once the server has stopped publishing new ones for it.
async function diagnosticsOf(uri) {
    if (!diagnostics.has(uri))
        await waitNotification('textDocument/publishDiagnostics', (p) => p.uri === uri,
                               `publishDiagnostics for ${uri}`);
    while (Date.now() - diagnostics.get(uri).at < SETTLE_MS) await sleep(100);
    return diagnostics.get(uri).diagnostics;
}

function open(uri, text) {
    notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
}

// --- the documents ---------------------------------------------------------------------------
const schemaFile = path.join(source, 'schemas/case.schema.json');
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
const facts = schema.properties.facts.properties;
const factNames = Object.keys(facts).sort();
const example = fs.readFileSync(path.join(source, 'examples/tajikistan-lgbt.yaml'), 'utf8');
const MODELINE = '# yaml-language-server: $schema=../schemas/case.schema.json';
if (!example.startsWith(MODELINE + '\n')) fail(`examples/tajikistan-lgbt.yaml does not start with ${MODELINE}`);

// work/examples/ mirrors the repository (experts/ beside the case files, schemas/ one level up),
// so the modeline's relative path and the case's `expert:` path resolve as they do in the source
// tree. The server resolves a relative $schema against the directory of the document's file:
// URI; the completion copies use an absolute file URI instead, the other form a user may write.
const examplesDir = path.join(work, 'examples');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(path.join(work, 'schemas'), { recursive: true });
fs.cpSync(path.join(source, 'examples'), examplesDir, { recursive: true });
fs.copyFileSync(schemaFile, path.join(work, 'schemas/case.schema.json'));
const absoluteModeline = `# yaml-language-server: $schema=${pathToFileURL(schemaFile).href}`;

const lines = example.split('\n');
const factsLine = lines.indexOf('facts:');
if (factsLine < 0) fail('examples/tajikistan-lgbt.yaml has no `facts:` line');
let factsEnd = factsLine + 1;
while (factsEnd < lines.length && lines[factsEnd].startsWith('  ')) factsEnd++;
const presentFacts = lines.slice(factsLine + 1, factsEnd).map((l) => l.trim().split(':')[0]);

// A copy with the absolute modeline and an empty line, indented two spaces, as the first line
// of `facts:`; with `facts:` holding only that line (keepFacts false) or its facts below it.
function completionCopy(keepFacts) {
    const copy = [absoluteModeline, ...lines.slice(1, factsLine + 1), '  ',
                  ...(keepFacts ? lines.slice(factsLine + 1) : lines.slice(factsEnd))];
    return { text: copy.join('\n'), position: { line: factsLine + 1, character: 2 } };
}

// The broken copy: one mistake per line, each a different kind of error. `detained: yes` is
// text, not a boolean, in YAML 1.2 (both the server's default and Dossier); `detension_count`
// is misspelt on the very next line, so a problem right after another one must not be lost.
const mistakes = [
    ['  gender: male', '  gender: mal'],
    ['grounds: [sexual_orientation]', 'grounds: [sexual_orientation, witchcraft]'],
    ['  detained: true', '  detained: yes'],
    ['  detention_count: 2', '  detension_count: 2'],
    ['jurisdiction: uk-ftt-iac', 'jurisdiction: uk-ftt'],
];
let broken = example;
for (const [from, to] of mistakes) {
    if (!broken.includes(from + '\n')) fail(`examples/tajikistan-lgbt.yaml has no line ${JSON.stringify(from)}`);
    broken = broken.replace(from + '\n', to + '\n');
}
const brokenFile = path.join(examplesDir, 'broken.yaml');
fs.writeFileSync(brokenFile, broken);
const brokenUri = pathToFileURL(brokenFile).href;

function dossierLines() {
    let out;
    try {
        out = execFileSync(dossier, ['check', 'broken.yaml'],
                           { cwd: examplesDir, stdio: ['ignore', 'pipe', 'pipe'] });
        fail('dossier check accepted the broken copy');
    } catch (e) {
        if (e.status !== 1) fail(`dossier check broken.yaml: exit status ${e.status} ${e.message}`);
        out = Buffer.concat([e.stdout, e.stderr]);
    }
    const found = new Map();
    for (const line of out.toString('utf8').split('\n')) {
        const m = line.match(/^broken\.yaml:(\d+):(\d+): error: (.*)$/);
        if (m) found.set(Number(m[1]), [...(found.get(Number(m[1])) || []), m[3]]);
    }
    return found;
}

function documentation(item) {
    const d = item.documentation;
    return [item.detail || '', typeof d === 'string' ? d : (d && d.value) || ''].join('\n');
}

// --- the session -----------------------------------------------------------------------------
async function main() {
    const started = Date.now();
    let failures = 0;
    const check = (ok, message) => {
        console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
        if (!ok) failures++;
    };

    const init = await request('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(source).href,
        workspaceFolders: [{ uri: pathToFileURL(source).href, name: 'dossier' }],
        capabilities: {
            textDocument: {
                completion: {
                    completionItem: { documentationFormat: ['markdown', 'plaintext'], snippetSupport: true },
                },
                hover: { contentFormat: ['markdown', 'plaintext'] },
                publishDiagnostics: { relatedInformation: true },
                synchronization: { didSave: false },
            },
        },
    });
    notify('initialized', {});
    // The modeline selects the schema, so no schema associations are given; the schema store
    // is off so that the server fetches nothing from the network.
    notify('workspace/didChangeConfiguration', {
        settings: { yaml: { validate: true, completion: true, hover: true, schemas: {},
                            schemaStore: { enable: false } } },
    });
    console.log(`yaml-language-server ${require(path.join(prefix, 'node_modules/yaml-language-server/package.json')).version}` +
                `, completion: ${init.capabilities.completionProvider ? 'yes' : 'no'}`);

    // 1. Completion of fact names.
    async function complete(name, keepFacts) {
        const { text, position } = completionCopy(keepFacts);
        const file = path.join(examplesDir, name);
        fs.writeFileSync(file, text);
        const uri = pathToFileURL(file).href;
        open(uri, text);
        const result = await request('textDocument/completion', { textDocument: { uri }, position });
        const items = Array.isArray(result) ? result : (result && result.items) || [];
        return items;
    }
    const all = await complete('case.yaml', false);
    const offered = new Set(all.map((i) => i.label));
    const missing = factNames.filter((n) => !offered.has(n));
    const extra = [...offered].filter((n) => !facts[n]);
    check(missing.length === 0 && extra.length === 0,
          `completion in an empty facts: offers the ${factNames.length} facts of the schema` +
          (missing.length ? `; missing: ${missing.join(', ')}` : '') +
          (extra.length ? `; not facts: ${extra.join(', ')}` : ''));
    for (const name of ['detained', 'detention_count', 'blackmailed', 'region']) {
        let item = all.find((i) => i.label === name);
        if (!item) continue;
        if (!documentation(item).trim() && init.capabilities.completionProvider.resolveProvider)
            item = await request('completionItem/resolve', item);
        const want = facts[name].description;
        const got = documentation(item);
        check(got.includes(want), `${name} carries its description` +
              (got.includes(want) ? '' : `: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`));
    }
    const rest = await complete('case-with-facts.yaml', true);
    const restLabels = rest.map((i) => i.label).sort();
    const notYet = factNames.filter((n) => !presentFacts.includes(n));
    check(JSON.stringify(restLabels) === JSON.stringify(notYet),
          `completion above the example's ${presentFacts.length} facts offers the other ${notYet.length}` +
          (JSON.stringify(restLabels) === JSON.stringify(notYet) ? '' : `; got: ${restLabels.join(', ')}`));

    // Values: the country codes with their names, the clause ids with their titles. Each check
    // has a document of its own (reopening one URI with new text got answers for the old text).
    async function enumCheck(what, name, text, line, character, def) {
        const file = path.join(examplesDir, name);
        fs.writeFileSync(file, text);
        const uri = pathToFileURL(file).href;
        open(uri, text);
        const result = await request('textDocument/completion', { textDocument: { uri }, position: { line, character } });
        const items = Array.isArray(result) ? result : (result && result.items) || [];
        // A value that YAML 1.1 would read as a boolean comes quoted: "NO" (Norway).
        const byLabel = new Map(items.map((i) => [i.label.replace(/^"(.*)"$/, '$1'), documentation(i)]));
        const wrong = def.enum.filter((v, k) => !(byLabel.get(v) || '').includes(def.enumDescriptions[k]));
        check(wrong.length === 0 && byLabel.size === def.enum.length,
              `completion of ${what} offers the ${def.enum.length} values of the schema with their names` +
              (wrong.length ? `; missing or without their name: ${wrong.slice(0, 10).join(', ')}` : '') +
              (byLabel.size !== def.enum.length ? `; ${byLabel.size} offered` : ''));
        notify('textDocument/didClose', { textDocument: { uri } });
    }
    const valueLines = [absoluteModeline, ...lines.slice(1)];
    const countryLine = valueLines.indexOf('country: TJ');
    if (countryLine < 0) fail('examples/tajikistan-lgbt.yaml has no line `country: TJ`');
    valueLines[countryLine] = 'country: ';
    await enumCheck('`country:`', 'country.yaml', valueLines.join('\n'), countryLine, 9, schema.$defs.country);
    valueLines[countryLine] = 'country: TJ';
    valueLines.splice(factsLine, 0, 'clauses:', '  include:', '    - ');
    await enumCheck('`clauses.include` items', 'clauses.yaml', valueLines.join('\n'), factsLine + 2, 6,
                    schema.$defs.clause_ids.items);

    // 2. Diagnostics. The example itself, opened at its place in the source tree (the text is
    // sent, nothing is written) so that its own relative modeline is used: no diagnostics.
    const exampleUri = pathToFileURL(path.join(source, 'examples/tajikistan-lgbt.yaml')).href;
    open(exampleUri, example);
    const clean = await diagnosticsOf(exampleUri);
    check(clean.length === 0, 'examples/tajikistan-lgbt.yaml in place: no diagnostics' +
          clean.map((d) => `\n       ${d.range.start.line + 1}: ${d.message.split('\n')[0]}`).join(''));

    const hover = await request('textDocument/hover',
                                { textDocument: { uri: exampleUri }, position: { line: factsLine + 1, character: 4 } });
    const hoverText = hover ? JSON.stringify(hover.contents) : '';
    check(hoverText.includes(JSON.stringify(facts.detained.description).slice(1, -1)),
          `hover on detained shows its description${hover ? '' : '; no hover'}`);

    // The broken copy: diagnostics at the same lines as dossier check.
    open(brokenUri, broken);
    const published = await diagnosticsOf(brokenUri);
    const served = new Map();
    for (const d of published) {
        const line = d.range.start.line + 1;
        served.set(line, [...(served.get(line) || []), d.message.split('\n')[0]]);
    }
    const ours = dossierLines();
    const show = (m) => [...m.keys()].sort((a, b) => a - b)
        .map((l) => `\n       ${l}: ${m.get(l).join(' | ')}`).join('');
    const onlyOurs = [...ours.keys()].filter((l) => !served.has(l));
    const onlyServer = [...served.keys()].filter((l) => !ours.has(l));
    const agree = onlyOurs.length === 0 && onlyServer.length === 0;
    check(agree && ours.size === mistakes.length,
          `broken copy (${mistakes.length} mistakes): yaml-language-server and dossier check report ` +
          `the same lines [${[...ours.keys()].sort((a, b) => a - b).join(', ')}]` +
          (agree && ours.size === mistakes.length ? '' :
              `\n     dossier check:${show(ours)}\n     yaml-language-server:${show(served)}` +
              (onlyOurs.length ? `\n     only dossier: ${onlyOurs.join(', ')}` : '') +
              (onlyServer.length ? `\n     only the server: ${onlyServer.join(', ')}` : '')));

    // 3. Shut down.
    await request('shutdown', null);
    shuttingDown = true;
    const exited = new Promise((r) => (server.exitCode !== null ? r(true) : server.once('exit', () => r(true))));
    notify('exit', null);
    const exitedInTime = await Promise.race([exited, sleep(5000).then(() => false)]);
    if (!exitedInTime) {
        server.kill('SIGKILL');
        check(false, 'yaml-language-server did not exit within 5 s of `exit`');
    }
    console.log(`${failures} failures, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    clearTimeout(watchdog);
    process.exit(failures ? 1 : 0);
}
main().catch((e) => fail(e.message));
