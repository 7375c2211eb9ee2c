// Compiles report.typ to PDF with the Typst compiler (typst.ts native Node binding), once per
// process, as a user would run it: usage node typst_compile.mjs IN.typ OUT.pdf FONT_DIR
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const [input, output, fonts] = process.argv.slice(2);
const compiler = NodeCompiler.create({
  workspace: resolve(dirname(input)),
  fontArgs: [{ fontPaths: [resolve(fonts)] }],
});
const pdf = compiler.pdf({ mainFileContent: readFileSync(input, 'utf8') });
writeFileSync(output, pdf);
