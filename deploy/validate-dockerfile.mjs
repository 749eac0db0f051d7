// Static checks of the image recipe, since no Docker engine runs here: the Dockerfile parses
// and passes dockerfile-utils' validation, every COPY source from the build context exists,
// and the runtime stage does not run as root.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
const problems = [];

for (const d of validate(text)) {
  problems.push(`line ${d.range.start.line + 1}: ${d.message}`);
}

const dockerfile = DockerfileParser.parse(text);
for (const instruction of dockerfile.getInstructions()) {
  if (instruction.getKeyword() !== 'COPY') continue;
  // COPY --from=<stage> copies out of another stage, not the build context.
  if (instruction.getFlags().some((f) => f.getName() === 'from')) continue;
  const args = instruction.getArguments().map((a) => a.getValue());
  for (const source of args.slice(0, -1)) {
    if (!existsSync(join(root, source))) problems.push(`COPY source missing from the build context: ${source}`);
  }
}

const stages = dockerfile.getFROMs();
const lastStageStart = stages[stages.length - 1].getRange().start.line;
const users = dockerfile.getInstructions().filter((i) => i.getKeyword() === 'USER' && i.getRange().start.line > lastStageStart);
if (users.length === 0 || ['root', '0'].includes(users[users.length - 1].getArguments()[0]?.getValue())) {
  problems.push('the runtime stage must switch to a non-root USER');
}

if (problems.length) {
  console.error(`Dockerfile: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`Dockerfile: ${dockerfile.getInstructions().length} instructions in ${stages.length} stages, no problems`);
