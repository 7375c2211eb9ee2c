// Cross-checks Dossier's schema validation with an independent validator: every example and
// every bad-input file is converted from YAML to JSON with the `yaml` package (YAML 1.2 core
// schema, so dates stay strings; duplicate keys and parse errors make a file invalid) and
// validated with Ajv (draft 2020-12) + ajv-formats against schemas/case.schema.json. Dossier
// and ajv must agree, valid or invalid, except for the files listed in beyond-schema.txt,
// which are wrong only for reasons JSON Schema cannot express: for them ajv must say valid
// and Dossier invalid.
//
// usage: node agree.cjs NODE_PREFIX DOSSIER_BINARY SOURCE_DIR
'use strict';
const { createRequire } = require('module');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const [prefix, dossier, source] = process.argv.slice(2);
const need = createRequire(path.join(prefix, 'package.json'));
const Ajv2020 = need('ajv/dist/2020').default;
const addFormats = need('ajv-formats').default;
const YAML = need('yaml');

const schema = JSON.parse(fs.readFileSync(path.join(source, 'schemas/case.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
// The editor annotations the generated schema carries (hovers and completions in
// yaml-language-server and VS Code): known to strict mode, without effect on validation.
ajv.addVocabulary(['markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions',
                   'defaultSnippets', 'deprecationMessage', 'errorMessage']);
addFormats(ajv);
const validate = ajv.compile(schema);

// A file ajv can judge: strict UTF-8, one YAML 1.2 document, no duplicate keys.
function ajvVerdict(file) {
    let doc;
    try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
        doc = YAML.parse(text, { schema: 'core', uniqueKeys: true, prettyErrors: false });
    } catch (e) {
        return { valid: false, why: 'YAML: ' + String(e.message).split('\n')[0] };
    }
    if (doc === undefined) doc = null;
    const valid = validate(doc);
    return { valid, why: valid ? '' : ajv.errorsText(validate.errors) };
}

function dossierVerdict(file) {
    let out;
    try {
        out = execFileSync(dossier, ['check', '--json', path.basename(file)],
                           { cwd: path.dirname(file), stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
        if (e.status !== 1) throw new Error(`dossier check ${file}: exit status ${e.status}`);
        out = e.stdout;
    }
    const report = JSON.parse(out.toString('utf8'));
    return { valid: report.ok, why: report.diagnostics.map((d) => d.message).join('; ') };
}

const beyond = new Map();
for (const line of fs.readFileSync(path.join(__dirname, 'beyond-schema.txt'), 'utf8').split('\n')) {
    const m = line.match(/^([^#\s][^:]*):\s*(.+)$/);
    if (m) beyond.set(m[1].trim(), m[2].trim());
}

const files = [];
for (const dir of ['examples', 'tests/bad-inputs']) {
    for (const name of fs.readdirSync(path.join(source, dir)).sort())
        if (name.endsWith('.yaml')) files.push(path.join(dir, name));
}
for (const key of beyond.keys())
    if (!files.includes(key)) console.log(`beyond-schema.txt names a missing file: ${key}`);

let failures = 0;
for (const rel of files) {
    const file = path.join(source, rel);
    const a = ajvVerdict(file);
    const d = dossierVerdict(file);
    const expectDossier = beyond.has(rel) ? false : a.valid;
    const expectAjv = beyond.has(rel) ? true : d.valid;
    const ok = a.valid === expectAjv && d.valid === expectDossier;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${rel}: ajv ${a.valid ? 'valid' : 'invalid'}, ` +
                `dossier ${d.valid ? 'valid' : 'invalid'}` + (beyond.has(rel) ? ' (beyond schema)' : ''));
    if (!ok) {
        failures++;
        console.log(`     ajv: ${a.why}\n     dossier: ${d.why}`);
    }
}
const stale = [...beyond.keys()].filter((k) => !files.includes(k)).length;
console.log(`${files.length} files, ${beyond.size} beyond the schema, ${failures} disagreements`);
process.exit(failures || stale ? 1 : 0);
